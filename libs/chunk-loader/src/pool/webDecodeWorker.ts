// Entry point of a decode Web Worker (started by WebWorkerDecodePool). Bundle it for the browser
// (esbuild, ES module, one file: the WebAssembly decoder and libsamplerate inline their wasm).
import { ChunkDecoder, openHttpSource } from '@trax/chunk-decoder';
import type { DecoderFactory } from '../ports/StemDecoder.js';
import { warmUpChunkDecoding } from './warmUpChunkDecoding.js';
import { serveDecodeRequestsInWebWorker, type WebWorkerScope } from './serveWebWorker.js';

const scope = globalThis as unknown as WebWorkerScope & { location: { href: string } };

/** In a browser every stem path is a URL, read by range; a relative one is relative to the worker script. */
const urlDecoderFactory: DecoderFactory = async (path, options) => ChunkDecoder.open(await openHttpSource(new URL(path, scope.location.href)), options);

serveDecodeRequestsInWebWorker(scope, urlDecoderFactory, warmUpChunkDecoding);
