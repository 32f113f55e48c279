import type { InspectionEvent } from 'xstate';
import { createEngine } from '../createEngine.js';
import type { CreateEngineOptions, Engine } from '../createEngine.js';
import type { CancelFilter, ChunkSource } from '../ports/ChunkSource.js';
import type { WholeStemDecoder } from '../ports/WholeStemDecoder.js';
import { consoleLogger } from '../ports/EngineLogger.js';
import type { EngineSettings } from '../settings/EngineSettings.js';
import type { Setlist, SongMusic, SongSpec } from '../setlist/setlistTypes.js';
import { RenderSink } from '../sinks/RenderSink.js';
import type { RenderResult, TimedAction } from '../sinks/RenderSink.js';
import { FakeChunkSource } from '../testing/FakeChunkSource.js';
import type { FakeChunkSourceOptions } from '../testing/FakeChunkSource.js';
import { syntheticPcm } from '../testing/syntheticPcm.js';

export const RATE = 48_000;
// Module-level copies: global lookups in hot loops are slow inside Jest's vm context.
const { abs, max, round } = Math;

/** A test song: stem ids with channel counts and a length. */
export interface TestSong {
  readonly id: string;
  readonly seconds: number;
  readonly stems: readonly { readonly id: string; readonly channels: 1 | 2; readonly seconds?: number }[];
  /** Tempo, sections, count-in, transition (as a parsed setlist has them). */
  readonly music?: SongMusic;
}

export function setlistOf(songs: readonly TestSong[]): Setlist {
  const specs: SongSpec[] = songs.map((song) => ({
    id: song.id,
    title: song.id,
    stems: song.stems.map((stem) => ({ id: stem.id, path: `/fake/${song.id}/${stem.id}.flac`, gainDb: 0 })),
    ...song.music,
  }));
  return { name: 'test', source: '/fake/setlist.json', songs: specs };
}

/** Geometry for the fake loader from the test songs. */
export function fakeStems(songs: readonly TestSong[]): FakeChunkSourceOptions['stems'] {
  return (source) => {
    const song = songs.find((s) => s.id === source.song);
    const stem = song?.stems.find((s) => s.id === source.stem);
    if (!song || !stem) throw new Error(`unknown fake stem ${source.song}/${source.stem}`);
    return { channels: stem.channels, totalFrames: Math.round((stem.seconds ?? song.seconds) * RATE) };
  };
}

export interface Rig {
  readonly engine: Engine;
  readonly loader: FakeChunkSource;
  /** Output frame at which each request was made (same order as `loader.requests`). */
  readonly requestedAt: number[];
  /** Every `cancel` filter the engine used. */
  readonly cancelFilters: CancelFilter[];
  readonly inspection: InspectionEvent[];
}

/** An engine over a fake loader (2-second chunks keep songs short), recording requests and inspection. */
export function rig(
  songs: readonly TestSong[],
  options: { settings?: Partial<EngineSettings>; loader?: Partial<FakeChunkSourceOptions>; inspect?: boolean; engine?: Partial<CreateEngineOptions> } = {},
): Rig {
  const loader = new FakeChunkSource({ stems: fakeStems(songs), chunkFrames: 2 * RATE, ...options.loader });
  const requestedAt: number[] = [];
  const cancelFilters: CancelFilter[] = [];
  const inspection: InspectionEvent[] = [];
  let engine: Engine | null = null;
  const recording: ChunkSource & WholeStemDecoder = {
    openStem: (s) => loader.openStem(s),
    request: (ref, span, priority, deadline) => {
      requestedAt.push(engine?.playback.outputFrames ?? 0);
      return loader.request(ref, span, priority, deadline);
    },
    cancel: (f) => {
      cancelFilters.push(f);
      return loader.cancel(f);
    },
    closeSong: (s) => loader.closeSong(s),
    decode: (s, o) => loader.decode(s, o),
  };
  engine = createEngine({
    loader: recording,
    legacyDecoder: recording,
    settings: { chunkSeconds: 2, ...options.settings },
    setlist: setlistOf(songs),
    logger: process.env.DEBUG_ENGINE ? consoleLogger('debug') : undefined,
    inspect: options.inspect ? (e) => inspection.push(e) : undefined,
    ...options.engine,
  });
  return { engine, loader, requestedAt, cancelFilters, inspection };
}

export interface Rendered extends RenderResult {
  readonly left: Float32Array;
  readonly right: Float32Array;
}

/** Renders offline with a script; returns the whole output. */
export async function render(engine: Engine, script: readonly TimedAction[], seconds?: number): Promise<Rendered> {
  const left: number[] = [];
  const right: number[] = [];
  const result = await new RenderSink(engine.playback).run({
    script,
    seconds,
    stallTimeoutMs: 10_000,
    onAudio: (out, frames) => {
      for (let i = 0; i < frames; i++) {
        left.push(out[0][i]);
        right.push(out[1][i]);
      }
    },
  });
  return { ...result, left: Float32Array.from(left), right: Float32Array.from(right) };
}

/** Gains a test applies: stem id → linear gain (missing = 1; 0 = muted). */
export type Gains = Readonly<Record<string, number>>;

const pcmCache = new Map<string, Float32Array[]>();

/** A test stem's whole synthetic PCM (the oracle), computed once per test file. */
function stemPcm(song: TestSong, stem: TestSong['stems'][number]): Float32Array[] {
  const key = `${song.id}/${stem.id}/${stem.channels}/${stem.seconds ?? song.seconds}`;
  let pcm = pcmCache.get(key);
  if (!pcm) {
    pcm = syntheticPcm(song.id, stem.id, stem.channels, 0, round((stem.seconds ?? song.seconds) * RATE));
    pcmCache.set(key, pcm);
  }
  return pcm;
}

/** The expected stereo mix of `song` at `frame`, from the synthetic oracle (mono to both sides). */
export function expectedAt(song: TestSong, frame: number, gains: Gains = {}): [number, number] {
  let l = 0;
  let r = 0;
  for (const stem of song.stems) {
    const g = gains[stem.id] ?? 1;
    if (g === 0) continue;
    const pcm = stemPcm(song, stem);
    if (frame < 0 || frame >= pcm[0].length) continue;
    const a = pcm[0][frame];
    l += g * a;
    r += g * (stem.channels === 1 ? a : pcm[1][frame]);
  }
  return [l, r];
}

/**
 * Largest |output − expected| over output frames [from, to), where `source(outputFrame)` gives the
 * song frame expected there (or null for silence).
 */
export function maxError(out: Rendered, from: number, to: number, expected: (outputFrame: number) => [number, number]): number {
  let worst = 0;
  for (let i = from; i < to; i++) {
    const [l, r] = expected(i);
    worst = max(worst, abs(out.left[i] - l), abs(out.right[i] - r));
  }
  return worst;
}

/** The first quantum boundary (128 frames) at or after `seconds`. */
export function quantumAt(seconds: number, quantum = 128): number {
  // Seconds → frames rounds first, as the sink does (2.2 s is frame 105,600, not 105,600.000…01).
  return Math.ceil(round(seconds * RATE) / quantum) * quantum;
}

/**
 * Plays in simulated real time: the mixer renders each 128-frame quantum when its time comes on
 * `clock`, whether or not the data is there (as an audio thread would), with `script` actions at
 * their output times. Deterministic: the in-process mixer on a simulated clock.
 */
export async function renderRealtime(
  engine: Engine,
  clock: { increment(ms: number): void },
  seconds: number,
  script: readonly TimedAction[] = [],
): Promise<{ left: Float32Array; right: Float32Array }> {
  const left = new Float32Array(Math.floor(seconds * (RATE / 128)) * 128);
  const right = new Float32Array(left.length);
  const out = [new Float32Array(128), new Float32Array(128)];
  const due = [...script].sort((a, b) => a.at - b.at);
  let next = 0;
  let quanta = 0;
  for (let t = 0; t < seconds * 1000; t += 5) {
    clock.increment(5);
    for (const until = Math.floor(((t + 5) / 1000) * (RATE / 128)); quanta < until && quanta * 128 < left.length; quanta++) {
      while (next < due.length && round(due[next].at * RATE) <= quanta * 128) due[next++].run();
      engine.playback.render(out, 128);
      engine.playback.pump();
      left.set(out[0], quanta * 128);
      right.set(out[1], quanta * 128);
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { left, right };
}
