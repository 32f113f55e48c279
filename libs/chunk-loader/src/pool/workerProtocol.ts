import type { DecodeTask, StemHeader } from '../ports/DecodePool.js';
import type { StemSource } from '../types.js';
import type { DecoderOptions, PcmBlock } from '../ports/StemDecoder.js';

// The messages the loader's thread and a decode worker exchange: plain, structured-clonable
// objects, each built by one named factory below. PCM travels in transfer lists (moved, not copied).

/** Given to each worker as `workerData`. */
export interface WorkerConfig {
  readonly workerId: number;
  readonly decoderOptions: DecoderOptions;
}

/** An error flattened for `postMessage` (class instances lose their prototype across threads). */
export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly context: Readonly<Record<string, unknown>>;
}

export type ToWorker =
  | { readonly type: 'open'; readonly id: number; readonly stem: StemSource }
  | { readonly type: 'decode'; readonly id: number; readonly task: DecodeTask }
  | { readonly type: 'release-song'; readonly id: number; readonly song: string };

export type FromWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'opened'; readonly id: number; readonly header: StemHeader }
  | { readonly type: 'decoded'; readonly id: number; readonly pcm: PcmBlock; readonly decodeMs: number }
  | { readonly type: 'failed'; readonly id: number; readonly error: SerializedError }
  | { readonly type: 'released'; readonly id: number };

/** Loader thread → worker: open the stem's decoder now (kept for its decodes) and report its header. */
export function openRequest(id: number, stem: StemSource): ToWorker {
  return { type: 'open', id, stem };
}

/** Loader thread → worker: decode this span. */
export function decodeRequest(id: number, task: DecodeTask): ToWorker {
  return { type: 'decode', id, task };
}

/** Loader thread → worker: close the decoders of `song`. */
export function releaseSongRequest(id: number, song: string): ToWorker {
  return { type: 'release-song', id, song };
}

/** Worker → loader thread: modules loaded, ready for work. */
export function readyNotice(): FromWorker {
  return { type: 'ready' };
}

/** Worker → loader thread: the header of the stem opened for request `id`. */
export function openedReply(id: number, header: StemHeader): FromWorker {
  return { type: 'opened', id, header };
}

/** Worker → loader thread: the PCM of request `id` (post with its buffers as the transfer list). */
export function decodedReply(id: number, pcm: PcmBlock, decodeMs: number): FromWorker {
  return { type: 'decoded', id, pcm, decodeMs };
}

/** Worker → loader thread: request `id` failed. */
export function failedReply(id: number, error: unknown): FromWorker {
  return { type: 'failed', id, error: serializeError(error) };
}

/** Worker → loader thread: the song's decoders are closed. */
export function releasedReply(id: number): FromWorker {
  return { type: 'released', id };
}

export function serializeError(error: unknown): SerializedError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error), context: {} };
  const context: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(error)) {
    if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) context[key] = value;
  }
  return { name: error.name, message: error.message, context };
}
