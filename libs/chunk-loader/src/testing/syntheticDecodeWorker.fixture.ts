// Test fixture: a decode worker serving synthetic stems (see syntheticStem.fixture.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { serveDecodeRequests } from '../pool/decodeService.js';
import type { WorkerConfig } from '../pool/workerProtocol.js';
import { syntheticDecoderFactory } from './syntheticStem.fixture.js';

if (!parentPort) throw new Error('syntheticDecodeWorker.fixture.ts must run in a worker thread');
serveDecodeRequests(parentPort, workerData as WorkerConfig, syntheticDecoderFactory);
