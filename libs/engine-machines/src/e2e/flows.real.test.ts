import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ChunkLoader, consoleLogger as loaderConsoleLogger } from '@trax/chunk-loader';
import { StreamingCache, streamingCacheStore } from '@trax/streaming-cache/node';
import { fixture, generateStemPcm, hasFlacCli, referenceDecode } from '@trax/test-audio';
import type { GeneratedSong } from '@trax/test-audio';
import { bufferCapacityChunks } from '../runtime/stemRequests.js';
import { DEFAULT_SETTINGS } from '../settings/EngineSettings.js';
import { createEngine } from '../createEngine.js';
import type { Engine } from '../createEngine.js';
import type { SongMetrics } from '../metrics/SongMetrics.js';
import type { ChunkSource } from '../ports/ChunkSource.js';
import { consoleLogger } from '../ports/EngineLogger.js';
import type { EngineSettings } from '../settings/EngineSettings.js';
import type { Setlist, SongMusic } from '../setlist/setlistTypes.js';
import type { MixerPort } from '../mixer/MixerPort.js';
import { RealtimeSink } from '../node/RealtimeSink.js';
import { WavWriter, parseFloatWav } from '../node/WavWriter.js';
import { chunkDecoderWholeStem } from '../node/chunkDecoderWholeStem.js';
import { RenderSink } from '../sinks/RenderSink.js';
import type { TimedAction } from '../sinks/RenderSink.js';

/**
 * End to end over the real stack: FLAC files written by @trax/test-audio, @trax/chunk-loader
 * (decoding inline) with a @trax/streaming-cache on disk, @trax/streaming-buffer buffers, and the
 * engine rendering offline to a WAV. The oracle is each stem decoded directly (the reference
 * `flac -d` when installed, else the generator's own PCM, which test-audio checks equals it),
 * converted as Trax does (int / 2^(bits−1)) and summed: the mix must equal it within 1e-6.
 */
const RATE = 48_000;
const CHUNK_SECONDS = 2;
const XFADE = (50 * RATE) / 1000;
const { abs, max } = Math;

interface Oracle {
  readonly song: GeneratedSong;
  /** Sum of the stems, [left, right], as float64. */
  readonly mix: [Float64Array, Float64Array];
}

async function oracle(song: GeneratedSong): Promise<Oracle> {
  const left = new Float64Array(song.frames);
  const right = new Float64Array(song.frames);
  const scale = 2 ** (song.bitDepth - 1);
  for (const stem of song.stems) {
    const pcm = hasFlacCli() ? await referenceDecode(stem.path) : generateStemPcm(stem.spec);
    const l = pcm[0];
    const r = pcm[pcm.length > 1 ? 1 : 0];
    for (let i = 0; i < song.frames; i++) {
      left[i] += l[i] / scale;
      right[i] += r[i] / scale;
    }
  }
  return { song, mix: [left, right] };
}

function setlistOf(songs: readonly GeneratedSong[], music: Readonly<Record<string, SongMusic>> = {}): Setlist {
  // Unit gains: the mix must equal the plain sum.
  return {
    name: 'real',
    source: 'test',
    songs: songs.map((s) => ({ id: s.id, title: s.title, stems: s.stems.map((st) => ({ id: st.id, path: st.path, gainDb: 0 })), ...music[s.id] })),
  };
}

/** Max |out − oracle| over output frames [from, to), output frame i showing song frame `at(i)`. */
function maxError(out: [Float32Array, Float32Array], from: number, to: number, o: Oracle, at: (i: number) => number): number {
  let worst = 0;
  for (let i = from; i < to; i++) {
    const f = at(i);
    worst = max(worst, abs(out[0][i] - o.mix[0][f]), abs(out[1][i] - o.mix[1][f]));
  }
  return worst;
}

// Seconds → frames rounds first (as the sink does), so 2.2 s is frame 105,600, not 105,600.000…01.
const quantumAt = (seconds: number) => Math.ceil(Math.round(seconds * RATE) / 128) * 128;

let songA: Oracle;
let songB: Oracle;
let workDir: string;

beforeAll(async () => {
  // Cached on disk by parameters (test-audio's fixture cache); the internal encoder needs no tools.
  const [a, b] = await Promise.all([
    fixture({ songId: 'engine-e2e-a', stems: 3, seconds: 12, sampleRate: RATE, bitDepth: 24, channels: 2, encoder: 'internal' }),
    fixture({ songId: 'engine-e2e-b', stems: 2, seconds: 5, sampleRate: RATE, bitDepth: 16, channels: 1, encoder: 'internal' }),
  ]);
  [songA, songB] = await Promise.all([oracle(a), oracle(b)]);
  workDir = await mkdtemp(path.join(tmpdir(), 'trax-engine-e2e-'));
}, 120_000);

afterAll(async () => {
  await rm(workDir, { recursive: true, force: true, maxRetries: 3 });
});

interface RealRig {
  readonly engine: Engine;
  readonly loader: ChunkLoader;
  readonly cache: StreamingCache;
  close(): Promise<void>;
}

async function realRig(
  settings: Partial<EngineSettings> = {},
  wrap: (loader: ChunkLoader) => ChunkSource = (l) => l,
  cacheDir = path.join(workDir, `cache-${Math.random()}`),
  order: readonly Oracle[] = [songA, songB],
  mixer?: MixerPort,
  music: Readonly<Record<string, SongMusic>> = {},
): Promise<RealRig> {
  const cache = await StreamingCache.open({ directory: cacheDir, durable: false });
  const loader = await ChunkLoader.start({
    workers: 0,
    chunkSeconds: CHUNK_SECONDS,
    outputSampleRate: RATE,
    cache: streamingCacheStore(cache),
    logger: process.env.DEBUG_LOADER ? loaderConsoleLogger('debug') : undefined,
  });
  const engine = createEngine({
    loader: wrap(loader),
    legacyDecoder: chunkDecoderWholeStem,
    sampleRate: RATE,
    settings: { chunkSeconds: CHUNK_SECONDS, ...settings },
    setlist: setlistOf(
      order.map((o) => o.song),
      music,
    ),
    logger: process.env.DEBUG_ENGINE ? consoleLogger('debug') : undefined,
    mixer,
  });
  return {
    engine,
    loader,
    cache,
    async close() {
      // Let the idle cache write-backs finish first: closing a song in the loader drops its own.
      while (loader.pendingJobs > 0) await new Promise((resolve) => setTimeout(resolve, 10));
      await engine.close();
      await loader.stop();
      await cache.close();
    },
  };
}

/** The metrics of the instance of `o`'s song that played last (prepared instances may precede it). */
function played(engine: Engine, o: Oracle): SongMetrics {
  const song = engine.metrics().songs.filter((s) => s.song === o.song.id && s.firstAudioMs !== null).at(-1);
  if (!song) throw new Error(`${o.song.id} never played`);
  return song;
}

/** Renders through a WAV file and reads it back: the test checks what a listener would get. */
async function renderWav(engine: Engine, script: readonly TimedAction[], seconds?: number): Promise<[Float32Array, Float32Array]> {
  const wavPath = path.join(workDir, `mix-${Math.random()}.wav`);
  const wav = await WavWriter.create(wavPath, RATE, 2);
  await new RenderSink(engine.playback).run({ script, seconds, onAudio: (out, frames) => wav.write(out, frames), stallTimeoutMs: 60_000 });
  await wav.close();
  const { sampleRate, channelData } = parseFloatWav(new Uint8Array(await readFile(wavPath)));
  expect(sampleRate).toBe(RATE);
  return [channelData[0], channelData[1]];
}

describe('end to end over real FLAC files', () => {
  it('Flows 1 and 3: first play with seeks in and out of the buffer equals the stems decoded directly, outside crossfades', async () => {
    const rig = await realRig();
    const { engine } = rig;
    const seeks = [
      { at: 1.0, to: 9.5 }, // out of the buffer (window 0–8 s)
      { at: 1.6, to: 10.75 }, // within it (window 8–12 s)
      { at: 2.2, to: 0.4 }, // back, out of it
    ];
    const out = await renderWav(engine, [{ at: 0, run: () => engine.playSong(songA.song.id) }, ...seeks.map((s) => ({ at: s.at, run: () => engine.seek(s.to) }))], 4);
    const landings = seeks.map((s) => ({ frame: quantumAt(s.at), target: Math.round(s.to * RATE) }));
    expect(maxError(out, 0, landings[0].frame, songA, (i) => i)).toBeLessThan(1e-6);
    landings.forEach((l, k) => {
      const end = k + 1 < landings.length ? landings[k + 1].frame : 4 * RATE;
      if (process.env.DEBUG_SEEK) {
        for (let i = l.frame + XFADE; i < end; i++) {
          const f = l.target + i - l.frame;
          if (abs(out[0][i] - songA.mix[0][f]) > 1e-6) {
            console.log({ k, i, f, got: out[0][i], want: songA.mix[0][f], chunkOffset: f % (CHUNK_SECONDS * RATE) });
            break;
          }
        }
      }
      expect(maxError(out, l.frame + XFADE, end, songA, (i) => l.target + i - l.frame)).toBeLessThan(1e-6);
    });
    const metrics = played(engine, songA);
    expect(metrics).toMatchObject({ song: songA.song.id, mode: 'streaming', underruns: 0 });
    expect(metrics.seeks).toMatchObject({ requested: 3, landed: 3 });
    expect(metrics.firstAudioMs).toBeGreaterThan(0);
    await rig.close();
  }, 60_000);

  it('navigation: a vamp over 2 bars repeated 3 times equals the source range concatenated 3 times; a jump at the next bar lands at barStart(n)', async () => {
    // 120 BPM in 4/4: a bar is 2 s (96,000 frames); songA is 12 s of 3 stems, in 2-s chunks.
    const music = { [songA.song.id]: { tempoMap: [{ at: 0, bpm: 120, beatsPerBar: 4, beatUnit: 4 }] } };
    const rig = await realRig({}, undefined, undefined, [songA, songB], undefined, music);
    const { engine } = rig;
    const out = await renderWav(
      engine,
      [
        { at: 0, run: () => engine.playSong(songA.song.id) },
        { at: 0.5, run: () => engine.loop({ from: 2, to: 6 }) }, // bars 2–3
        { at: 11, run: () => engine.releaseLoop('atLoopEnd') }, // in the third pass: on from 6 s at output 14 s
        // Output 14.5 s = song 6.5 s, in bar 4 [6 s, 8 s): lands at barStart(5) = 8 s (output 16 s), on 1.25 s.
        { at: 14.5, run: () => engine.jump({ to: 1.25, when: 'nextBar' }) },
      ],
      18,
    );
    const s = RATE;
    const songFrame = (i: number) => (i < 6 * s ? i : i < 14 * s ? 2 * s + ((i - 6 * s) % (4 * s)) : i < 16 * s ? 6 * s + (i - 14 * s) : 1.25 * s + (i - 16 * s));
    expect(maxError(out, 0, 18 * s, songA, songFrame)).toBeLessThan(1e-6);
    // The three passes are the same frames, bit for bit.
    let differing = 0;
    for (let k = 0; k < 4 * s; k++) {
      if (out[0][2 * s + k] !== out[0][6 * s + k] || out[0][6 * s + k] !== out[0][10 * s + k] || out[1][2 * s + k] !== out[1][10 * s + k]) differing++;
    }
    expect(differing).toBe(0);
    const metrics = engine.metrics().songs[0];
    expect(metrics).toMatchObject({ loopWraps: 2, underruns: 0, jumps: { requested: 1, landed: 1, late: 0 } });
    await rig.close();
  }, 90_000);

  it('Flow 2: a song played before reads its first chunks from the disk cache, and sounds the same', async () => {
    const cacheDir = path.join(workDir, 'cache-flow2');
    const first = await realRig({}, undefined, cacheDir);
    await renderWav(first.engine, [{ at: 0, run: () => first.engine.playSong(songB.song.id) }], 5);
    await first.close(); // waits for the idle cache write-backs
    const second = await realRig({}, undefined, cacheDir);
    const out = await renderWav(second.engine, [{ at: 0, run: () => second.engine.playSong(songB.song.id) }], 5);
    expect(maxError(out, 0, 5 * RATE, songB, (i) => i)).toBeLessThan(1e-6);
    const metrics = played(second.engine, songB);
    expect(metrics.cache.hits).toBeGreaterThan(0);
    expect(metrics.cache.hitRate).toBeGreaterThan(0.5);
    await second.close();
  }, 60_000);

  it('Flow 4: preloads the next song at 80 % and plays it with 0 samples of gap', async () => {
    const rig = await realRig({}, undefined, undefined, [songB, songA]);
    const { engine } = rig;
    const out = await renderWav(engine, [{ at: 0, run: () => engine.playSong(songB.song.id) }]);
    expect(out[0].length).toBeGreaterThanOrEqual(songB.song.frames + songA.song.frames);
    expect(maxError(out, 0, songB.song.frames, songB, (i) => i)).toBeLessThan(1e-6);
    expect(maxError(out, songB.song.frames, songB.song.frames + songA.song.frames, songA, (i) => i - songB.song.frames)).toBeLessThan(1e-6);
    const [b, a] = engine.metrics().songs;
    expect([b.song, a.song]).toEqual([songB.song.id, songA.song.id]);
    expect(a.transitionGapFrames).toBe(0);
    await rig.close();
  }, 60_000);

  it('applies gain, mute and solo to the real stems', async () => {
    const rig = await realRig();
    const { engine } = rig;
    const [s1, s2, s3] = songA.song.stems.map((s) => s.id);
    const out = await renderWav(
      engine,
      [
        { at: 0, run: () => engine.playSong(songA.song.id) },
        { at: 0.5, run: () => engine.setStem({ stem: s1, gainDb: -12 }) },
        { at: 1.0, run: () => engine.setStem({ stem: s2, muted: true }) },
        { at: 1.5, run: () => engine.setStem({ stem: s3, solo: true }) },
      ],
      2,
    );
    // Oracle per stem (reference decode), to weigh each one.
    const perStem = await Promise.all(songA.song.stems.map((st) => (hasFlacCli() ? referenceDecode(st.path) : Promise.resolve(generateStemPcm(st.spec)))));
    const scale = 2 ** 23;
    const g = 10 ** (-12 / 20);
    const weighted = (gains: number[]) => (i: number): [number, number] => {
      let l = 0;
      let r = 0;
      perStem.forEach((pcm, k) => {
        l += (gains[k] * pcm[0][i]) / scale;
        r += (gains[k] * pcm[1][i]) / scale;
      });
      return [l, r];
    };
    const check = (from: number, to: number, gains: number[]) => {
      let worst = 0;
      const at = weighted(gains);
      for (let i = from; i < to; i++) {
        const [l, r] = at(i);
        worst = max(worst, abs(out[0][i] - l), abs(out[1][i] - r));
      }
      return worst;
    };
    expect(check(0, quantumAt(0.5), [1, 1, 1])).toBeLessThan(1e-6);
    expect(check(quantumAt(0.5), quantumAt(1), [g, 1, 1])).toBeLessThan(1e-6);
    expect(check(quantumAt(1), quantumAt(1.5), [g, 0, 1])).toBeLessThan(1e-6);
    expect(check(quantumAt(1.5), 2 * RATE, [0, 0, 1])).toBeLessThan(1e-6);
    await rig.close();
  }, 60_000);

  it('survives a storm of 200 seeks and ends consistent, with memory back to its bound', async () => {
    const rig = await realRig();
    const { engine } = rig;
    let state = 12345;
    const next = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    const targets = Array.from({ length: 200 }, () => Math.round(next() * 11 * 100) / 100);
    const script = [
      { at: 0, run: () => engine.playSong(songA.song.id) },
      { at: 0.5, run: () => targets.slice(0, 150).forEach((t) => engine.seek(t)) },
      ...targets.slice(150).map((t, k) => ({ at: 0.75 + (k * 256) / RATE, run: () => engine.seek(t) })),
    ];
    const out = await renderWav(engine, script, 2);
    const landing = quantumAt(0.75 + (49 * 256) / RATE);
    const target = Math.round(targets[199] * RATE);
    const end = Math.min(2 * RATE, landing + songA.song.frames - target);
    expect(maxError(out, landing + XFADE, end, songA, (i) => target + i - landing)).toBeLessThan(1e-6);
    const metrics = played(engine, songA);
    expect(metrics.seeks.requested).toBe(200);
    expect(metrics.seeks.landed + metrics.seeks.superseded).toBe(200);
    // One buffer set of 4 chunks × 2 s per stereo stem once the last crossfade is over.
    const bound = songA.song.stems.length * bufferCapacityChunks(DEFAULT_SETTINGS.bufferChunks) * CHUNK_SECONDS * RATE * 2 * 4;
    expect(metrics.bufferBytes).toBeLessThanOrEqual(bound);
    await rig.close();
  }, 60_000);

  it('jumps between songs: 20 ms fade-out, the new song from its start as soon as primed', async () => {
    const rig = await realRig();
    const { engine } = rig;
    const out = await renderWav(
      engine,
      [
        { at: 0, run: () => engine.playSong(songA.song.id) },
        { at: 1, run: () => engine.playSong(songB.song.id) },
      ],
      2,
    );
    const jump = quantumAt(1);
    const fade = (20 * RATE) / 1000;
    expect(maxError(out, 0, jump, songA, (i) => i)).toBeLessThan(1e-6);
    let worst = 0;
    for (let i = jump; i < jump + fade; i++) {
      const g = Math.cos(((i - jump) / fade) * (Math.PI / 2));
      worst = max(worst, abs(out[0][i] - (g * songA.mix[0][i] + songB.mix[0][i - jump])));
    }
    expect(worst).toBeLessThan(1e-6);
    expect(maxError(out, jump + fade, 2 * RATE, songB, (i) => i - jump)).toBeLessThan(1e-6);
    const [a, b] = rig.engine.metrics().songs;
    expect(a).toMatchObject({ state: 'released', bufferBytes: 0 });
    expect(b.state).toBe('playing');
    await rig.close();
  }, 60_000);

  it('falls back to the legacy full decode when forced by the flag', async () => {
    const rig = await realRig({ streamingEnabled: false });
    const out = await renderWav(rig.engine, [{ at: 0, run: () => rig.engine.playSong(songB.song.id) }], 5);
    expect(maxError(out, 0, 5 * RATE, songB, (i) => i)).toBeLessThan(1e-6);
    expect(played(rig.engine, songB)).toMatchObject({ mode: 'legacy' });
    expect(played(rig.engine, songB).legacyDecodeMs).toBeGreaterThan(0);
    await rig.close();
  }, 60_000);

  it('falls back to the legacy full decode when a stem cannot be indexed for streaming', async () => {
    // The streaming side refuses one stem as the loader would refuse a file it cannot index; the
    // legacy decoder then reads every stem whole.
    const refuse = (loader: ChunkLoader): ChunkSource => ({
      openStem: (s) => (s.stem === songB.song.stems[1].id ? Promise.reject(new Error(`${s.path}: no FLAC frame found after the metadata; cannot index`)) : loader.openStem(s)),
      request: (ref, span, priority) => loader.request(ref, span, priority),
      cancel: (filter) => loader.cancel(filter),
      closeSong: (song) => loader.closeSong(song),
    });
    const rig = await realRig({}, refuse);
    const out = await renderWav(rig.engine, [{ at: 0, run: () => rig.engine.playSong(songB.song.id) }], 5);
    expect(maxError(out, 0, 5 * RATE, songB, (i) => i)).toBeLessThan(1e-6);
    expect(played(rig.engine, songB).mode).toBe('legacy');
    await rig.close();
  }, 60_000);

  it('counts underruns under the real-time audio thread when the loader is too slow', async () => {
    // Whole chunks arrive only a second after first audio: the first slices play out in 0.5 s and
    // every stem starves for the rest of that second, however fast or loaded the machine is.
    let releaseChunks: () => void = () => undefined;
    const chunksLate = new Promise<void>((resolve) => (releaseChunks = resolve));
    const slow = (loader: ChunkLoader): ChunkSource => ({
      openStem: (s) => loader.openStem(s),
      request: (ref, span, priority) => loader.request(ref, span, priority).then(async (chunk) => (typeof span === 'number' ? chunksLate.then(() => chunk) : chunk)),
      cancel: (filter) => loader.cancel(filter),
      closeSong: (song) => loader.closeSong(song),
    });
    const sink = await RealtimeSink.start({ sampleRate: RATE });
    const rig = await realRig({}, slow, undefined, undefined, sink.mixer);
    rig.engine.playSong(songA.song.id);
    while (rig.engine.metrics().songs.find((s) => s.song === songA.song.id)?.firstAudioMs == null) await new Promise((resolve) => setTimeout(resolve, 20));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    releaseChunks();
    await sink.stop();
    const metrics = played(rig.engine, songA);
    expect(metrics.underruns).toBeGreaterThan(0);
    expect(Object.values(metrics.stems).every((s) => s.underruns > 0)).toBe(true);
    await rig.close();
  }, 60_000);
});
