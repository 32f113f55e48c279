import { bufferCapacityChunks } from '../runtime/stemRequests.js';
import { DEFAULT_SETTINGS } from '../settings/EngineSettings.js';
import { describe, expect, it } from '@jest/globals';
import { SimulatedClock } from 'xstate';
import type { InspectionEvent } from 'xstate';
import { RATE, expectedAt, maxError, quantumAt, render, rig } from './harness.fixture.js';
import type { TestSong } from './harness.fixture.js';

const SONG_A: TestSong = {
  id: 'a',
  seconds: 20,
  stems: [
    { id: 'kick', channels: 1 },
    { id: 'keys', channels: 2 },
    { id: 'pad', channels: 2 },
  ],
};
const SONG_B: TestSong = { id: 'b', seconds: 6, stems: [{ id: 'bass', channels: 1 }, { id: 'gtr', channels: 2 }] };
const XFADE = (50 * RATE) / 1000;
const JUMP_FADE = (20 * RATE) / 1000;

/** Deterministic pseudo-random numbers in [0, 1) (a 32-bit LCG). */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

describe('seek storm', () => {
  it('survives 200 seeks in a row: the last one wins, the output is consistent, memory returns to its bound', async () => {
    const { engine, loader } = rig([SONG_A]);
    const random = lcg(7);
    const targets = Array.from({ length: 200 }, () => Math.round(random() * 18 * 100) / 100);
    const script = [
      { at: 0, run: () => engine.playSong('a') },
      // 100 seeks at once: each supersedes the previous while it loads.
      { at: 1, run: () => targets.slice(0, 100).forEach((t) => engine.seek(t)) },
      // 100 more, one per quantum: each lands and is cut short by the next.
      ...targets.slice(100).map((t, k) => ({ at: 1.5 + (k * 128) / RATE, run: () => engine.seek(t) })),
    ];
    const out = await render(engine, script, 4);
    const last = targets[199];
    const landing = quantumAt(1.5 + (99 * 128) / RATE);
    const target = Math.round(last * RATE);
    expect(maxError(out, landing + XFADE, 4 * RATE, (i) => expectedAt(SONG_A, target + i - landing))).toBeLessThan(1e-6);
    const metrics = engine.metrics().songs[0];
    expect(metrics.seeks.requested).toBe(200);
    expect(metrics.seeks.landed + metrics.seeks.superseded).toBe(200);
    expect(metrics.seeks.superseded).toBeGreaterThanOrEqual(99);
    expect(metrics.underruns).toBe(0);
    // One buffer set per stem once the crossfades are over: 4 chunks × 2 s × (1 + 2 + 2) channels.
    // Allocated once per stem: a seek storm never adds memory.
    const bound = bufferCapacityChunks(DEFAULT_SETTINGS.bufferChunks) * 2 * RATE * (1 + 2 + 2) * 4;
    expect(metrics.bufferBytes).toBeLessThanOrEqual(bound);
    expect(metrics.peakBufferBytes).toBeLessThanOrEqual(bound);
    expect(loader.cancellations).toBeGreaterThan(0);
    engine.close();
  });
});

describe('random song jumps', () => {
  it('fades the current song out over 20 ms, starts the new one as soon as primed, and frees the old one', async () => {
    const { engine, loader, cancelFilters } = rig([SONG_A, SONG_B]);
    const out = await render(
      engine,
      [
        { at: 0, run: () => engine.playSong('a') },
        { at: 1, run: () => engine.playSong('b') },
        { at: 2, run: () => engine.playSong('a') },
      ],
      3,
    );
    const jump1 = quantumAt(1);
    const jump2 = quantumAt(2);
    const fade = (k: number) => Math.cos((k / JUMP_FADE) * (Math.PI / 2));
    expect(maxError(out, 0, jump1, (i) => expectedAt(SONG_A, i))).toBeLessThan(1e-6);
    expect(
      maxError(out, jump1, jump1 + JUMP_FADE, (i) => {
        const [al, ar] = expectedAt(SONG_A, i);
        const [bl, br] = expectedAt(SONG_B, i - jump1);
        const g = fade(i - jump1);
        return [g * al + bl, g * ar + br];
      }),
    ).toBeLessThan(1e-6);
    expect(maxError(out, jump1 + JUMP_FADE, jump2, (i) => expectedAt(SONG_B, i - jump1))).toBeLessThan(1e-6);
    expect(maxError(out, jump2 + JUMP_FADE, 3 * RATE, (i) => expectedAt(SONG_A, i - jump2))).toBeLessThan(1e-6);
    const [a1, b, a2] = engine.metrics().songs;
    expect([a1.instance, b.instance, a2.instance]).toEqual([1, 2, 3]);
    expect([a1.state, b.state, a2.state]).toEqual(['released', 'released', 'playing']);
    expect(a1.bufferBytes).toBe(0);
    expect(b.bufferBytes).toBe(0);
    expect(b.firstAudioMs).not.toBeNull();
    // Replaced songs' loads are withdrawn at once; the songs are closed in the loader later
    // (their cache write-backs may still run), at the latest when the engine closes.
    expect(cancelFilters).toContainEqual({ song: 'a' });
    expect(cancelFilters).toContainEqual({ song: 'b' });
    expect(loader.closedSongs).toEqual([]);
    await engine.close();
    expect(loader.closedSongs.sort()).toEqual(['a', 'b']);
  });
});

describe('fallback to legacy', () => {
  it('decodes every stem whole when streaming is disabled, with progress events, and plays the same mix', async () => {
    const { engine, loader } = rig([SONG_B], { settings: { streamingEnabled: false } });
    const progress: number[] = [];
    engine.actor.on('legacy.progress', (e) => progress.push(e.progress.stemsDone));
    const out = await render(engine, [{ at: 0, run: () => engine.playSong('b') }]);
    expect(maxError(out, 0, 6 * RATE, (i) => expectedAt(SONG_B, i))).toBeLessThan(1e-6);
    expect(loader.requests).toHaveLength(0);
    expect(loader.wholeDecodes).toBe(2);
    expect(progress).toContain(2);
    expect(engine.metrics().songs[0]).toMatchObject({ mode: 'legacy', state: 'ended', underruns: 0 });
    engine.close();
  });

  it('falls back when a stem cannot be opened or indexed', async () => {
    const { engine } = rig([SONG_B], {
      loader: {
        stems: (s) => ({ channels: s.stem === 'bass' ? 1 : 2, totalFrames: 6 * RATE, openError: s.stem === 'gtr' ? 'no frame sync found: cannot index' : undefined }),
      },
    });
    const out = await render(engine, [{ at: 0, run: () => engine.playSong('b') }], 3);
    expect(maxError(out, 0, 3 * RATE, (i) => expectedAt(SONG_B, i))).toBeLessThan(1e-6);
    expect(engine.metrics().songs[0].mode).toBe('legacy');
    engine.close();
  });

  it('falls back after repeated terminal load errors of a stem, resuming where it was', async () => {
    const { engine, loader } = rig([SONG_A], {
      settings: { loadRetryDelayMs: 0, maxLoadFailures: 3 },
      loader: { failure: (r) => (r.ref.stem === 'keys' && r.chunkIndex === 3 ? 'CRC mismatch in frame 812' : null) },
    });
    const out = await render(engine, [{ at: 0, run: () => engine.playSong('a') }], 10);
    if (process.env.DEBUG_FALLBACK) {
      for (let i = 0; i < 10 * RATE; i++) {
        if (Math.abs(out.left[i] - expectedAt(SONG_A, i)[0]) > 1e-6) {
          const nz = out.left.findIndex((v, k) => k > i && v !== 0);
          console.log({ i, got: out.left[i], e: expectedAt(SONG_A, i)[0], nextNonZero: nz, match: nz > 0 ? [out.left[nz], expectedAt(SONG_A, nz)[0], expectedAt(SONG_A, nz - (nz - i))[0]] : null });
          break;
        }
      }
    }
    expect(maxError(out, 0, 10 * RATE, (i) => expectedAt(SONG_A, i))).toBeLessThan(1e-6);
    expect(loader.requests.filter((r) => r.ref.stem === 'keys' && r.chunkIndex === 3)).toHaveLength(3);
    expect(engine.metrics().songs[0]).toMatchObject({ mode: 'legacy', state: 'playing' });
    engine.close();
  });

  it('with fallback off, fails the song with a reason naming the stem', async () => {
    const { engine } = rig([SONG_B], {
      settings: { fallbackToLegacy: false },
      loader: { stems: (s) => ({ channels: 1, totalFrames: 6 * RATE, openError: s.stem === 'gtr' ? 'not a FLAC file' : undefined }) },
    });
    const failures: string[] = [];
    engine.actor.on('song.failed', (e) => failures.push(e.reason));
    const out = await render(engine, [{ at: 0, run: () => engine.playSong('b') }], 1);
    expect(failures).toEqual(['b/gtr: cannot open /fake/b/gtr.flac for streaming: not a FLAC file']);
    // An open-ended render stops instead of waiting on a failed song.
    expect((await render(engine, [])).frames).toBe(0);
    expect(engine.metrics().songs[0]).toMatchObject({ state: 'failed', failure: failures[0] });
    expect(maxError(out, 0, RATE, () => [0, 0])).toBe(0);
    engine.close();
  });
});

describe('underruns in real time', () => {
  /**
   * Plays `seconds` of song A in simulated time with a loader taking `latencyMs` per request: like
   * an audio thread, the mixer renders each 128-frame quantum when its time comes, whether or not
   * the data is there (deterministic: the in-process mixer on a simulated clock).
   */
  async function playRealtime(latencyMs: number, seconds: number) {
    const clock = new SimulatedClock();
    const { engine } = rig([SONG_A], { engine: { clock }, loader: { clock, latencyMs: () => latencyMs } });
    const left: number[] = [];
    const out = [new Float32Array(128), new Float32Array(128)];
    let quanta = 0;
    engine.playSong('a');
    for (let t = 0; t < seconds * 1000; t += 5) {
      clock.increment(5);
      for (const due = Math.floor(((t + 5) / 1000) * (RATE / 128)); quanta < due; quanta++) {
        engine.playback.render(out, 128);
        engine.playback.pump();
        for (let i = 0; i < 128; i++) left.push(out[0][i]);
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    return { engine, left };
  }

  it('counts one underrun per quantum in which an audible stem had no data, and plays silence for that stem only', async () => {
    const { engine, left } = await playRealtime(700, 8);
    const metrics = engine.metrics().songs[0];
    expect(metrics.underruns).toBeGreaterThan(0);
    // Independent count: quanta whose output is not the full mix; each frame must be the mix of
    // some subset of the stems (missing ones silent), all at the one position.
    const start = left.findIndex((v) => v !== 0);
    const stems = SONG_A.stems.map((s) => s.id);
    const subsets = Array.from({ length: 1 << stems.length }, (_, m) => Object.fromEntries(stems.map((id, k) => [id, m & (1 << k) ? 1 : 0])));
    const offQuanta = new Set<number>();
    const unexplained: number[] = [];
    for (let i = start; i < left.length; i++) {
      const frame = i - start;
      const full = expectedAt(SONG_A, frame)[0];
      if (Math.abs(left[i] - full) < 1e-6) continue;
      if (!subsets.some((gains) => Math.abs(left[i] - expectedAt(SONG_A, frame, gains)[0]) < 1e-6) && unexplained.length < 5) unexplained.push(i);
      offQuanta.add(Math.floor(i / 128));
    }
    expect(unexplained).toEqual([]);
    expect(metrics.underruns).toBe(offQuanta.size);
    expect(Object.values(metrics.stems).some((s) => s.underruns > 0)).toBe(true);
    engine.close();
  });

  it('has no underruns when the loader keeps up', async () => {
    const { engine, left } = await playRealtime(20, 8);
    expect(engine.metrics().songs[0].underruns).toBe(0);
    expect(left.length).toBe(Math.floor(8 * (RATE / 128)) * 128);
    engine.close();
  });
});

describe('inspection', () => {
  it('names actors for devtools and never hands the observer an audio buffer', async () => {
    const { engine, inspection } = rig([SONG_A], { inspect: true });
    await render(engine, [{ at: 0, run: () => engine.playSong('a') }, { at: 0.5, run: () => engine.seek(15) }], 1);
    const systemIds = new Set(inspection.filter((e) => e.type === '@xstate.snapshot').map((e) => (e.actorRef as { systemId?: string }).systemId));
    for (const id of ['engine', 'song:a', 'song:a/stem:kick', 'song:a/stem:keys', 'song:a/seek:1']) expect(systemIds).toContain(id);
    const seen = new Set<unknown>();
    const findTyped = (value: unknown, depth: number, path = ''): boolean => {
      if (value === null || typeof value !== 'object' || seen.has(value) || depth > 12) return false;
      seen.add(value);
      if (ArrayBuffer.isView(value)) {
        if (process.env.DEBUG_INSPECT) console.log(path);
        return true;
      }
      return Object.entries(value).some(([key, v]) => findTyped(v, depth + 1, `${path}.${key}`));
    };
    expect(inspection.some((e: InspectionEvent) => findTyped(e, 0))).toBe(false);
    const snapshot = inspection.filter((e) => e.type === '@xstate.snapshot').find((e) => (e.actorRef as { systemId?: string }).systemId === 'song:a/stem:keys');
    expect(JSON.stringify((snapshot as { snapshot: unknown }).snapshot)).toContain('"stem":"keys"');
    engine.close();
  });
});
