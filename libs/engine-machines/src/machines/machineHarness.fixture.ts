import { SimulatedClock } from 'xstate';
import type { AnyActorRef } from 'xstate';
import type { ChunkSource, ChunkSpan, LoadedChunk, Priority, StemInfo, StemRef, StemSource } from '../ports/ChunkSource.js';
import { silentLogger } from '../ports/EngineLogger.js';
import type { WholeStem, WholeStemDecoder } from '../ports/WholeStemDecoder.js';
import { StreamingStemBuffer } from '../buffers/StreamingStemBuffer.js';
import { InProcessMixer } from '../mixer/InProcessMixer.js';
import { EngineEnvironment } from '../runtime/EngineEnvironment.js';
import { DEFAULT_SETTINGS, mergeSettings } from '../settings/EngineSettings.js';
import type { EngineSettings } from '../settings/EngineSettings.js';
import type { SongSpec } from '../setlist/setlistTypes.js';
import { FakeCancelledError } from '../testing/FakeChunkSource.js';
import { syntheticPcm } from '../testing/syntheticPcm.js';

export const RATE = 48_000;
/** 1-second chunks and 4-second stems keep machine tests small. */
export const CHUNK = RATE;
export const LENGTH = 4 * RATE;

interface Deferred<T> {
  readonly resolve: (value: T) => void;
  readonly reject: (error: unknown) => void;
}

interface PendingRequest extends Deferred<LoadedChunk> {
  readonly ref: StemRef;
  readonly span: ChunkSpan;
  readonly priority: Priority;
  readonly deadline: number | undefined;
}

/**
 * A loader and legacy decoder whose every answer the test gives by hand: opens, requests and
 * whole decodes wait until the test resolves or rejects them, so a model's events map to exact
 * moments in the machines under test.
 */
export class ControlledLoader implements ChunkSource, WholeStemDecoder {
  readonly opens: (Deferred<StemInfo> & { source: StemSource })[] = [];
  readonly requests: PendingRequest[] = [];
  readonly decodes: (Deferred<WholeStem> & { stem: StemSource })[] = [];
  cancelled = 0;

  openStem(source: StemSource): Promise<StemInfo> {
    return new Promise((resolve, reject) => this.opens.push({ source, resolve, reject }));
  }

  request(ref: StemRef, span: ChunkSpan, priority: Priority, deadline?: number): Promise<LoadedChunk> {
    return new Promise((resolve, reject) => this.requests.push({ ref, span, priority, deadline, resolve, reject }));
  }

  cancel(filter: { song?: string; stem?: string }): number {
    let count = 0;
    for (let i = this.requests.length - 1; i >= 0; i--) {
      const r = this.requests[i];
      if ((filter.song === undefined || r.ref.song === filter.song) && (filter.stem === undefined || r.ref.stem === filter.stem)) {
        this.requests.splice(i, 1);
        r.reject(new FakeCancelledError('cancelled'));
        count++;
      }
    }
    this.cancelled += count;
    return count;
  }

  async closeSong(song: string): Promise<void> {
    this.cancel({ song });
  }

  decode(stem: StemSource): Promise<WholeStem> {
    return new Promise((resolve, reject) => this.decodes.push({ stem, resolve, reject }));
  }

  /** Opens every pending stem (mono, 4 s, 1-second chunks). */
  openAll(): void {
    for (const open of this.opens.splice(0)) open.resolve(infoOf(open.source));
  }

  failOpens(message: string): void {
    for (const open of this.opens.splice(0)) open.reject(new Error(message));
  }

  /** Delivers every pending request whose span matches `which` (default all) with synthetic PCM. */
  deliver(which: (r: PendingRequest) => boolean = () => true): number {
    const due = this.requests.filter(which);
    for (const r of due) {
      this.requests.splice(this.requests.indexOf(r), 1);
      const start = typeof r.span === 'number' ? r.span * CHUNK : r.span.startFrame;
      const count = typeof r.span === 'number' ? Math.min(CHUNK, LENGTH - start) : Math.min(r.span.frameCount, LENGTH - start);
      r.resolve({
        ...r.ref,
        chunkIndex: Math.floor(start / CHUNK),
        startFrame: start,
        frameCount: count,
        channelData: syntheticPcm(r.ref.song, r.ref.stem, 1, start, count),
        sampleRate: RATE,
        from: 'decode',
        errors: [],
        timing: { queuedMs: 0, loadMs: 0 },
      });
    }
    return due.length;
  }

  /** Rejects every pending request of `stem` with a terminal load error. */
  failRequests(stem: string, message: string): number {
    const due = this.requests.filter((r) => r.ref.stem === stem);
    for (const r of due) {
      this.requests.splice(this.requests.indexOf(r), 1);
      r.reject(Object.assign(new Error(message), { name: 'ChunkLoadError' }));
    }
    return due.length;
  }

  finishDecodes(): void {
    for (const d of this.decodes.splice(0)) d.resolve({ channelData: syntheticPcm(d.stem.song, d.stem.stem, 1, 0, LENGTH), sampleRate: RATE, totalFrames: LENGTH });
  }

  failDecodes(message: string): void {
    for (const d of this.decodes.splice(0)) d.reject(new Error(message));
  }
}

export function infoOf(source: StemSource): StemInfo {
  return { ...source, sampleRate: RATE, outputSampleRate: RATE, channels: 1, bitDepth: 24, totalFrames: LENGTH, chunkFrames: CHUNK, totalChunks: 4, md5: 'x' };
}

export const SONG: SongSpec = {
  id: 's',
  title: 's',
  stems: [
    { id: 'one', path: '/s/one.flac', gainDb: 0 },
    { id: 'two', path: '/s/two.flac', gainDb: 0 },
  ],
};

/** An engine environment over a controlled loader, streaming buffers, the in-process mixer and a simulated clock. */
export function testEnv(loader: ControlledLoader, settings: Partial<EngineSettings> = {}): EngineEnvironment {
  return new EngineEnvironment(
    loader,
    loader,
    new SimulatedClock(),
    silentLogger,
    StreamingStemBuffer.factory(RATE),
    new InProcessMixer(RATE),
    RATE,
    mergeSettings(DEFAULT_SETTINGS, { chunkSeconds: 1, firstAudioSeconds: 0.25, maxLoadFailures: 1, loadRetryDelayMs: 0, ...settings }),
    (env) => ({ at: 0, sampleRate: RATE, outputFrames: 0, currentSong: null, droppedMixerEvents: 0, songs: env.history.map(() => ({}) as never) }),
  );
}

/** A stand-in for a song actor whose state is `value` (a SongRuntime derives its state from its actor). */
export function songActorIn(value: string): AnyActorRef {
  return { getSnapshot: () => ({ status: 'active', value }) } as unknown as AnyActorRef;
}

/** Lets promise callbacks and the actors' event queues run (no time passes). */
export async function flush(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
}
