import type { CancelFilter, ChunkSource, ChunkSpan, LoadedChunk, Priority, StemInfo, StemRef, StemSource } from '../ports/ChunkSource.js';
import type { EngineClock } from '../ports/EngineClock.js';
import type { WholeStem, WholeStemDecoder, WholeDecodeProgress } from '../ports/WholeStemDecoder.js';
import type { Frames, Millis } from '../units.js';
import { syntheticPcm } from './syntheticPcm.js';

/** A stem as the fake knows it. */
export interface FakeStemShape {
  readonly channels: number;
  readonly totalFrames: Frames;
  /** Opening (indexing) fails with this message. */
  readonly openError?: string;
}

export interface FakeChunkSourceOptions {
  /** Shape of each stem, by its song, stem id and path. */
  readonly stems: (source: StemSource) => FakeStemShape;
  readonly sampleRate?: number;
  /** Default 5 s. */
  readonly chunkFrames?: Frames;
  /** Whole chunks below this index are "cached" once decoded (default 12). */
  readonly cacheChunks?: number;
  /** Work time of one request (default 0: delivered on the next microtask). Driven by `clock`. */
  readonly latencyMs?: (request: FakeRequest) => Millis;
  /** Clock for latency (default: the host's timers). Pass a SimulatedClock for deterministic time. */
  readonly clock?: Pick<EngineClock, 'setTimeout'>;
  /** A terminal load error for this request, or null. */
  readonly failure?: (request: FakeRequest) => string | null;
}

export interface FakeRequest {
  readonly ref: StemRef;
  readonly span: ChunkSpan;
  readonly priority: Priority;
  /** When the audio is needed (engine clock ms); Infinity = no deadline. */
  readonly deadline: Millis;
  readonly startFrame: Frames;
  readonly frameCount: Frames;
  readonly chunkIndex: number;
}

interface Queued extends FakeRequest {
  readonly resolve: (chunk: LoadedChunk) => void;
  readonly reject: (error: unknown) => void;
  readonly queuedAt: number;
}

/** Rejects a withdrawn request; named like `@trax/chunk-loader`'s so `isCancellation` knows it. */
export class FakeCancelledError extends Error {
  override readonly name = 'CancelledError';
}

const RANK: Record<Priority, number> = { urgent: 0, normal: 1, idle: 2 };

/** The loader's order: idle work last; otherwise earliest deadline first, then priority, then oldest. */
function before(a: Queued, b: Queued): boolean {
  const idleA = a.priority === 'idle';
  const idleB = b.priority === 'idle';
  if (idleA !== idleB) return idleB;
  if (a.deadline !== b.deadline) return a.deadline < b.deadline;
  if (a.priority !== b.priority) return RANK[a.priority] < RANK[b.priority];
  return a.queuedAt < b.queuedAt;
}

/**
 * A deterministic stand-in for the chunk loader and the legacy decoder: stems of synthetic PCM
 * (`syntheticPcm(song, stem, channel, frame)`, the tests' oracle), one request worked at a time in
 * the loader's order (earliest deadline first, idle work last) with a controllable latency, scripted
 * failures, a simulated cache of the first chunks, and a log of every request.
 */
export class FakeChunkSource implements ChunkSource, WholeStemDecoder {
  readonly requests: FakeRequest[] = [];
  readonly opened: StemSource[] = [];
  readonly closedSongs: string[] = [];
  cancellations = 0;
  wholeDecodes = 0;
  private readonly infos = new Map<string, StemInfo>();
  private readonly queue: Queued[] = [];
  private readonly cached = new Set<string>();
  /** Whole synthetic stems, computed once; deliveries are copies of slices. */
  private readonly pcm = new Map<string, Float32Array[]>();
  private busy = false;
  private readonly sampleRate: number;
  private readonly chunkFrames: Frames;

  constructor(private readonly options: FakeChunkSourceOptions) {
    this.sampleRate = options.sampleRate ?? 48_000;
    this.chunkFrames = options.chunkFrames ?? 5 * this.sampleRate;
  }

  async openStem(source: StemSource): Promise<StemInfo> {
    await Promise.resolve();
    this.opened.push(source);
    const shape = this.options.stems(source);
    if (shape.openError) throw new Error(shape.openError);
    const info: StemInfo = {
      ...source,
      sampleRate: this.sampleRate,
      outputSampleRate: this.sampleRate,
      channels: shape.channels,
      bitDepth: 24,
      totalFrames: shape.totalFrames,
      chunkFrames: this.chunkFrames,
      totalChunks: Math.ceil(shape.totalFrames / this.chunkFrames),
      md5: `fake-${source.song}-${source.stem}`,
    };
    this.infos.set(key(source), info);
    return info;
  }

  request(ref: StemRef, span: ChunkSpan, priority: Priority, deadline: Millis = Number.POSITIVE_INFINITY): Promise<LoadedChunk> {
    const info = this.infos.get(key(ref));
    if (!info) return Promise.reject(new Error(`${ref.song}/${ref.stem}: stem not open`));
    const startFrame = typeof span === 'number' ? span * info.chunkFrames : span.startFrame;
    const frameCount = typeof span === 'number' ? Math.min(info.chunkFrames, info.totalFrames - startFrame) : Math.min(span.frameCount, info.totalFrames - span.startFrame);
    if (!(frameCount > 0) || frameCount > info.chunkFrames) return Promise.reject(new Error(`${ref.song}/${ref.stem}: invalid span ${JSON.stringify(span)}`));
    const request: FakeRequest = { ref: { song: ref.song, stem: ref.stem }, span, priority, deadline, startFrame, frameCount, chunkIndex: Math.floor(startFrame / info.chunkFrames) };
    this.requests.push(request);
    return new Promise((resolve, reject) => {
      this.queue.push({ ...request, resolve, reject, queuedAt: this.requests.length });
      this.pump();
    });
  }

  cancel(filter: CancelFilter): number {
    let count = 0;
    for (let i = this.queue.length - 1; i >= 0; i--) {
      const q = this.queue[i];
      if ((filter.song === undefined || q.ref.song === filter.song) && (filter.stem === undefined || q.ref.stem === filter.stem) && (filter.priority === undefined || q.priority === filter.priority)) {
        this.queue.splice(i, 1);
        q.reject(new FakeCancelledError(`${q.ref.song}/${q.ref.stem} chunk #${q.chunkIndex}: cancelled`));
        count++;
      }
    }
    this.cancellations += count;
    return count;
  }

  async closeSong(song: string): Promise<void> {
    this.cancel({ song });
    this.closedSongs.push(song);
    for (const k of [...this.infos.keys()]) if (JSON.parse(k)[0] === song) this.infos.delete(k);
  }

  /** Requests waiting (not yet being worked). */
  get queued(): number {
    return this.queue.length;
  }

  async decode(stem: StemSource, options: { signal: AbortSignal; sampleRate: number; onProgress?: (p: WholeDecodeProgress) => void }): Promise<WholeStem> {
    await Promise.resolve();
    options.signal.throwIfAborted();
    this.wholeDecodes++;
    const shape = this.options.stems(stem);
    const channelData = syntheticPcm(stem.song, stem.stem, shape.channels, 0, shape.totalFrames, this.sampleRate);
    options.onProgress?.({ decodedFrames: shape.totalFrames, totalFrames: shape.totalFrames });
    return { channelData, sampleRate: this.sampleRate, totalFrames: shape.totalFrames };
  }

  private wholeStem(info: StemInfo): Float32Array[] {
    const k = key(info);
    let pcm = this.pcm.get(k);
    if (!pcm) {
      pcm = syntheticPcm(info.song, info.stem, info.channels, 0, info.totalFrames, this.sampleRate);
      this.pcm.set(k, pcm);
    }
    return pcm;
  }

  private pump(): void {
    if (this.busy || this.queue.length === 0) return;
    let best = 0;
    for (let i = 1; i < this.queue.length; i++) {
      const a = this.queue[i];
      const b = this.queue[best];
      if (before(a, b)) best = i;
    }
    const job = this.queue.splice(best, 1)[0];
    this.busy = true;
    const latency = this.options.latencyMs?.(job) ?? 0;
    const finish = () => {
      this.busy = false;
      this.complete(job, latency);
      this.pump();
    };
    if (latency > 0) (this.options.clock ?? { setTimeout }).setTimeout(finish, latency);
    else queueMicrotask(finish);
  }

  private complete(job: Queued, latency: Millis): void {
    const error = this.options.failure?.(job) ?? null;
    if (error !== null) {
      job.reject(Object.assign(new Error(error), { name: 'ChunkLoadError' }));
      return;
    }
    const info = this.infos.get(key(job.ref));
    if (!info) {
      job.reject(new FakeCancelledError(`${job.ref.song}/${job.ref.stem}: song closed`));
      return;
    }
    const whole = typeof job.span === 'number';
    const cacheKey = `${key(job.ref)}#${job.chunkIndex}`;
    const fromCache = whole && this.cached.has(cacheKey);
    if (whole && job.chunkIndex < (this.options.cacheChunks ?? 12)) this.cached.add(cacheKey);
    job.resolve({
      song: job.ref.song,
      stem: job.ref.stem,
      chunkIndex: job.chunkIndex,
      startFrame: job.startFrame,
      frameCount: job.frameCount,
      channelData: this.wholeStem(info).map((channel) => channel.slice(job.startFrame, job.startFrame + job.frameCount)),
      sampleRate: this.sampleRate,
      from: fromCache ? 'cache' : 'decode',
      errors: [],
      timing: { queuedMs: 0, loadMs: latency },
    });
  }
}

function key(ref: StemRef): string {
  return JSON.stringify([ref.song, ref.stem]);
}
