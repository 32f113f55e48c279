/** @packageDocumentation Prioritised, cancellable loading of stem chunks from a cache or a decode pool. */
export { ChunkLoader } from './ChunkLoader.js';
export type { ChunkLoaderCoreOptions, ChunkLoaderOptions } from './ChunkLoaderOptions.js';
export { DEFAULT_CACHE_CHUNKS, DEFAULT_WRITE_BACK_BUDGET } from './ChunkLoaderOptions.js';
export { PRIORITIES } from './types.js';
export type { CancelFilter, ChunkIssue, ChunkSpan, Frames, LoadedChunk, Millis, Priority, StemInfo, StemRef, StemSource } from './types.js';
export { CancelledError, ChunkLoadError, InvalidSpanError, LoaderStoppedError, RemoteDecodeError, UnknownStemError, WorkerCrashedError } from './errors.js';
export type { CancelContext, CancelReason, RequestContext } from './errors.js';
export type {
  CacheWriteEvent,
  LoaderCounters,
  LoaderEvent,
  RequestCompletedEvent,
  RequestRetryEvent,
  RequestsCancelledEvent,
  StemFailedEvent,
  WorkerCrashedEvent,
} from './metrics/LoaderEvent.js';
export { consoleLogger, silentLogger } from './ports/Logger.js';
export type { LogContext, Logger, LogLevel } from './ports/Logger.js';
export type { ChunkStore } from './ports/ChunkStore.js';
export type { DecodeOutcome, DecodePool, DecodeTask, StemHeader } from './ports/DecodePool.js';
export type { DecoderFactory, DecoderOptions, PcmBlock, StemDecoder } from './ports/StemDecoder.js';
export { DEFAULT_RETRY_POLICY, retryDelay } from './retry/RetryPolicy.js';
export type { RetryPolicy } from './retry/RetryPolicy.js';
export { PriorityScheduler } from './scheduler/PriorityScheduler.js';
export type { Lane, ScheduledJob, Waiter } from './scheduler/PriorityScheduler.js';
export { InlineDecodePool } from './pool/InlineDecodePool.js';
export { WorkerDecodePool, defaultWorkerCount } from './pool/WorkerDecodePool.js';
export type { WorkerDecodePoolOptions } from './pool/WorkerDecodePool.js';
export { WebWorkerDecodePool, defaultWebWorkerCount } from './pool/WebWorkerDecodePool.js';
export type { WebWorkerDecodePoolOptions } from './pool/WebWorkerDecodePool.js';
export { serveDecodeRequestsInWebWorker } from './pool/serveWebWorker.js';
export type { WebWorkerScope } from './pool/serveWebWorker.js';
export type { WorkerScript } from './pool/workerScript.js';
export { workerScriptAt } from './pool/workerScript.js';
export { MemoryChunkStore } from './store/MemoryChunkStore.js';
