// Entry point of a decode worker thread (started by WorkerDecodePool; see workerScript.ts for how
// it is found built and from source).
import { parentPort, workerData } from 'node:worker_threads';
import { chunkDecoderFactory } from './chunkDecoderFactory.js';
import { warmUpChunkDecoding } from './warmUpChunkDecoding.js';
import { serveDecodeRequests } from './decodeService.js';
import type { WorkerConfig } from './workerProtocol.js';

if (!parentPort) throw new Error('decodeWorker.js is a worker_threads entry point; WorkerDecodePool starts it');
serveDecodeRequests(parentPort, workerData as WorkerConfig, chunkDecoderFactory, warmUpChunkDecoding);
