// Test fixture: the page side of the Web Worker pool tests, bundled for Chromium. It drives a
// WebWorkerDecodePool and hands results back to the jest test: summaries through page.evaluate,
// PCM by POST to the test's server (so the MD5 against the reference is computed in Node).
import { WebWorkerDecodePool } from '../pool/WebWorkerDecodePool.js';
import type { DecodeOutcome, DecodeTask, StemHeader } from '../ports/DecodePool.js';
import type { StemSource } from '../types.js';

/** What a test learns about one stem decoded in the page. */
export interface PageStemResult {
  readonly path: string;
  readonly header?: StemHeader;
  /** The pool refused it: the error's class name (`RemoteDecodeError` carries the original one). */
  readonly refused?: { readonly name: string; readonly remoteName?: string; readonly message: string };
  /** Frames decoded (all chunks). */
  readonly frames: number;
  readonly issues: readonly string[];
  /** Every channel buffer arrived whole (its own ArrayBuffer of exactly frameCount floats). */
  readonly ownBuffers: boolean;
  /** No sample was NaN or infinite. */
  readonly finite: boolean;
}

/** A rejected pool call, flattened for page.evaluate. */
export interface PageError {
  readonly name: string;
  readonly message: string;
  readonly workerId?: number;
}

let pool: WebWorkerDecodePool | undefined;

function running(): WebWorkerDecodePool {
  if (!pool) throw new Error('no pool: call trax.start() first');
  return pool;
}

function flatten(error: unknown): PageError {
  const e = error as { name?: string; message?: string; workerId?: number };
  return { name: e.name ?? 'Error', message: e.message ?? String(error), ...(e.workerId === undefined ? {} : { workerId: e.workerId }) };
}

const api = {
  async start(script: string, workers: number, chunkSeconds: number): Promise<PageError | undefined> {
    try {
      pool = await WebWorkerDecodePool.start({ script, workers, decoderOptions: { chunkSeconds } });
      return undefined;
    } catch (error) {
      return flatten(error);
    }
  },

  async stop(): Promise<void> {
    await pool?.stop();
    pool = undefined;
  },

  workerIds(): number[] {
    return pool?.workerIds ?? [];
  },

  /** One decode through the pool: the outcome's summary, or the error. */
  async decode(task: DecodeTask): Promise<{ ok: true; outcome: Omit<DecodeOutcome, 'channelData'> & { channelData: number[][] } } | { ok: false; error: PageError }> {
    try {
      const outcome = await running().decode(task);
      return { ok: true, outcome: { ...outcome, channelData: outcome.channelData.map((channel) => Array.from(channel)) } };
    } catch (error) {
      return { ok: false, error: flatten(error) };
    }
  },

  async probe(stem: StemSource): Promise<{ ok: true; header: StemHeader } | { ok: false; error: PageError }> {
    try {
      return { ok: true, header: await running().probe(stem) };
    } catch (error) {
      return { ok: false, error: flatten(error) };
    }
  },

  /**
   * Opens each stem, decodes all its chunks through the pool, and POSTs its PCM as the reference
   * decoder writes it (see {@link referenceBytes}) to `${postTo}?i=<index>`. Each stem is its own song, released when
   * done; `concurrency` stems at a time, so both workers stay busy between short files.
   */
  async decodeStems(paths: string[], postTo: string, concurrency = 4): Promise<PageStemResult[]> {
    const results: PageStemResult[] = new Array(paths.length);
    let next = 0;
    const lane = async () => {
      for (let index = next++; index < paths.length; index = next++) results[index] = await decodeStem(paths[index], index, postTo);
    };
    await Promise.all(Array.from({ length: concurrency }, lane));
    return results;
  },
};

async function decodeStem(path: string, index: number, postTo: string): Promise<PageStemResult> {
  const stem: StemSource = { song: `song-${index}`, stem: 'stem', path };
  let header: StemHeader;
  try {
    header = await running().probe(stem);
  } catch (error) {
    const e = error as { name: string; message: string; remoteName?: string };
    return { path, refused: { name: e.name, message: e.message, ...(e.remoteName ? { remoteName: e.remoteName } : {}) }, frames: 0, issues: [], ownBuffers: true, finite: true };
  }
  const chunks = await Promise.all(
    Array.from({ length: header.totalChunks }, (_, k) => {
      const startFrame = k * header.chunkFrames;
      return running().decode({ stem, chunkIndex: k, startFrame, frameCount: Math.min(header.chunkFrames, header.totalFrames - startFrame), wholeChunk: true });
    }),
  );
  const frames = chunks.reduce((sum, chunk) => sum + chunk.frameCount, 0);
  const { bytes, finite } = referenceBytes(chunks, header.channels, header.bitDepth, frames);
  const response = await fetch(`${postTo}?i=${index}`, { method: 'POST', body: bytes });
  if (!response.ok) throw new Error(`posting the PCM of ${path}: ${response.status}`);
  await running().releaseSong(stem.song);
  return {
    path,
    header,
    frames,
    issues: chunks.flatMap((chunk) => chunk.errors.map((issue) => `${issue.kind} at ${issue.sampleOffset}: ${issue.message}`)),
    ownBuffers: chunks.every((chunk) => chunk.channelData.every((channel) => channel.byteOffset === 0 && channel.buffer.byteLength === chunk.frameCount * 4)),
    finite,
  };
}

/**
 * The chunks' PCM as integers round(x·2^(b−1)), interleaved, signed little-endian in whole bytes:
 * the layout of the manifest's MD5 (the reference decoder's raw output) and of STREAMINFO's.
 * Converted here because the page does it ~25x faster than jest's module context did.
 */
function referenceBytes(chunks: readonly { channelData: Float32Array[]; frameCount: number }[], channels: number, bitDepth: number, frames: number): { bytes: Uint8Array; finite: boolean } {
  const width = Math.ceil(bitDepth / 8);
  const scale = 2 ** (bitDepth - 1);
  const bytes = new Uint8Array(frames * channels * width);
  let finite = true;
  let at = 0;
  for (const chunk of chunks)
    for (let i = 0; i < chunk.frameCount; i++)
      for (let c = 0; c < channels; c++) {
        const x = chunk.channelData[c][i];
        if (!Number.isFinite(x)) finite = false;
        const s = Math.round(x * scale);
        for (let b = 0; b < width; b++) bytes[at++] = (s >> (8 * b)) & 0xff;
      }
  return { bytes, finite };
}

/** The page's API as the tests call it: `(globalThis as TraxPage).trax.start(...)`. */
export type TraxPage = typeof globalThis & { trax: typeof api };

(globalThis as TraxPage).trax = api;
