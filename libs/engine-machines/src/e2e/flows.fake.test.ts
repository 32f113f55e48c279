import { describe, expect, it } from '@jest/globals';
import { bufferCapacityChunks } from '../runtime/stemRequests.js';
import { DEFAULT_SETTINGS } from '../settings/EngineSettings.js';
import { RATE, expectedAt, maxError, quantumAt, render, rig } from './harness.fixture.js';
import type { TestSong } from './harness.fixture.js';

// Songs of a few seconds, 2-second chunks: several chunks, refills and seeks stay fast.
const SONG_A: TestSong = {
  id: 'a',
  seconds: 20,
  stems: [
    { id: 'kick', channels: 1 },
    { id: 'keys', channels: 2 },
    { id: 'pad', channels: 2, seconds: 19.5 }, // stems of one song may differ in length
  ],
};
const SONG_B: TestSong = { id: 'b', seconds: 5, stems: [{ id: 'bass', channels: 1 }, { id: 'gtr', channels: 2 }] };
const XFADE = (50 * RATE) / 1000; // 2,400 frames

describe('Flow 1: first play of a song', () => {
  it('starts on first-audio slices (urgent), then loads whole chunks at normal priority; the mix equals the sum of the stems', async () => {
    const { engine, loader } = rig([SONG_A, SONG_B]);
    const out = await render(engine, [{ at: 0, run: () => engine.playSong('a') }], 20);
    // Urgent: exactly the first 0.5 s of every stem; the loader serves those before anything else.
    const urgent = loader.requests.filter((r) => r.priority === 'urgent');
    expect(urgent.map((r) => [r.ref.stem, r.span])).toEqual([
      ['kick', { startFrame: 0, frameCount: 0.5 * RATE }],
      ['keys', { startFrame: 0, frameCount: 0.5 * RATE }],
      ['pad', { startFrame: 0, frameCount: 0.5 * RATE }],
    ]);
    expect(loader.requests.filter((r) => r.ref.song === 'a' && typeof r.span === 'number').every((r) => r.priority === 'normal')).toBe(true);
    expect(maxError(out, 0, 20 * RATE, (i) => expectedAt(SONG_A, i))).toBeLessThan(1e-6);
    const metrics = engine.metrics().songs[0];
    expect(metrics).toMatchObject({ song: 'a', mode: 'streaming', underruns: 0, state: 'ended' });
    expect(metrics.firstAudioMs).not.toBeNull();
    // Memory bounded by construction: 3 stems (1 + 2 + 2 channels) × the buffer's chunks (the window and room for a seek target) × 2 s.
    expect(metrics.peakBufferBytes).toBe((1 + 2 + 2) * bufferCapacityChunks(DEFAULT_SETTINGS.bufferChunks) * 2 * RATE * 4);
    engine.close();
  });
});

describe('Flow 2: a song played before', () => {
  it('reads its first chunks from the cache the second time', async () => {
    const { engine } = rig([SONG_A, SONG_B]);
    await render(engine, [{ at: 0, run: () => engine.playSong('b') }, { at: 1, run: () => engine.playSong('a') }, { at: 2, run: () => engine.playSong('b') }], 3);
    const [first, , second] = engine.metrics().songs.filter((song) => song.firstAudioMs !== null);
    expect(first.cache.hits).toBe(0);
    expect(second.song).toBe('b');
    expect(second.cache.hits).toBeGreaterThan(0);
    expect(second.cache.hitRate).toBeGreaterThan(0.5);
    engine.close();
  });
});

describe('Flow 3: seeking never pauses', () => {
  it('lands each seek at the first quantum at or after its time, crossfades 50 ms equal-power, and matches the stems everywhere else', async () => {
    const { engine, loader } = rig([SONG_A]);
    // The window holds chunks N..N+3 (8 s here). 1.0 s: forward out of the buffer (window 0–8 s);
    // 3.3 s: forward within it (playing 16.55 s, window 16–20 s); 4.1 s: back out of it.
    const seeks = [
      { at: 1.0, to: 14.25 },
      { at: 3.3, to: 17.5 },
      { at: 4.1, to: 0.3 },
    ];
    const out = await render(
      engine,
      [{ at: 0, run: () => engine.playSong('a') }, ...seeks.map((s) => ({ at: s.at, run: () => engine.seek(s.to) }))],
      6,
    );
    // Where each output frame comes from: segments between landings.
    const landings = seeks.map((s) => ({ frame: quantumAt(s.at), target: Math.round(s.to * RATE) }));
    const songFrame = (i: number): number => {
      let from = 0;
      let base = 0;
      for (const l of landings) if (i >= l.frame) [from, base] = [l.frame, l.target];
      return base + (i - from);
    };
    for (let k = 0; k < landings.length; k++) {
      const l = landings[k];
      const end = k + 1 < landings.length ? landings[k + 1].frame : 6 * RATE;
      // After the crossfade: exactly the target's audio.
      if (process.env.DEBUG_SEEK) {
        for (let i = l.frame + XFADE; i < end; i++) {
          const [e] = expectedAt(SONG_A, songFrame(i));
          if (Math.abs(out.left[i] - e) > 1e-6) {
            console.log({ k, i, got: out.left[i], e, songFrame: songFrame(i) });
            break;
          }
        }
      }
      expect(maxError(out, l.frame + XFADE, end, (i) => expectedAt(SONG_A, songFrame(i)))).toBeLessThan(1e-6);
      // Inside it: the equal-power blend of the old position (continuing) and the target.
      const old = k === 0 ? l.frame : landings[k - 1].target + (l.frame - landings[k - 1].frame);
      expect(
        maxError(out, l.frame, l.frame + XFADE, (i) => {
          const t = (i - l.frame) / XFADE;
          const [nl, nr] = expectedAt(SONG_A, l.target + (i - l.frame));
          const [ol, or] = expectedAt(SONG_A, old + (i - l.frame));
          const gin = Math.sin((t * Math.PI) / 2);
          const gout = Math.cos((t * Math.PI) / 2);
          return [gin * nl + gout * ol, gin * nr + gout * or];
        }),
      ).toBeLessThan(1e-6);
    }
    // Before the first seek, the song from the start.
    expect(maxError(out, 0, landings[0].frame, (i) => expectedAt(SONG_A, i))).toBeLessThan(1e-6);
    const metrics = engine.metrics().songs[0];
    expect(metrics.seeks).toEqual({ requested: 3, landed: 3, superseded: 0, rejected: 0 });
    expect(metrics.seekLatencyMs).toHaveLength(3);
    expect(metrics.underruns).toBe(0);
    // The out-of-buffer seek asked for its target slice urgently.
    expect(loader.requests.some((r) => typeof r.span === 'object' && r.span.startFrame === 14.25 * RATE && r.priority === 'urgent')).toBe(true);
    expect(loader.requests.some((r) => typeof r.span === 'object' && r.span.startFrame === 17.5 * RATE)).toBe(false);
    engine.close();
  });

  it('rejects seeks outside the song and before it is ready, with a reason', async () => {
    const { engine } = rig([SONG_A]);
    const reasons: string[] = [];
    engine.actor.on('seek.rejected', (e) => reasons.push(e.reason));
    await render(
      engine,
      [
        {
          at: 0,
          run: () => {
            engine.playSong('a');
            engine.seek(2); // still opening: rejected
          },
        },
        { at: 0.5, run: () => engine.seek(60) },
        { at: 0.6, run: () => engine.seek(-1) },
      ],
      1,
    );
    const seeks = engine.metrics().songs[0].seeks;
    expect(seeks).toMatchObject({ requested: 3, rejected: 3, landed: 0 });
    expect(reasons).toEqual([
      'a is not ready to seek yet (still loading, or failed)',
      'seek to 60.000 s is outside the song (0–20.000 s)',
      'seek to -1.000 s is outside the song (0–20.000 s)',
    ]);
    engine.close();
  });
});

describe('Flow 4: preloading and gapless transitions', () => {
  it('prepares the first two songs when the setlist loads, at idle priority, and continues into the second with 0 samples of gap', async () => {
    const { engine, loader, requestedAt } = rig([SONG_B, SONG_A]);
    const out = await render(engine, [{ at: 0, run: () => engine.playSong('b') }]);
    // Both songs are asked for before anything plays, the second at idle priority.
    expect(requestedAt[loader.requests.findIndex((r) => r.ref.song === 'a')]).toBe(0);
    expect(loader.requests.filter((r) => r.ref.song === 'a').slice(0, 3).every((r) => r.priority === 'idle')).toBe(true);
    // b (5 s) then a (20 s), back to back: 25 s of audio, exact across the boundary.
    expect(out.frames).toBeGreaterThanOrEqual(25 * RATE);
    expect(maxError(out, 0, 5 * RATE, (i) => expectedAt(SONG_B, i))).toBeLessThan(1e-6);
    expect(maxError(out, 5 * RATE, 25 * RATE, (i) => expectedAt(SONG_A, i - 5 * RATE))).toBeLessThan(1e-6);
    const [b, a] = engine.metrics().songs;
    expect(a.transitionGapFrames).toBe(0);
    expect(b.state).toBe('ended');
    engine.close();
  });

  it('preloads the song after the one playing at 80 % of it, at idle priority, when it was not prepared', async () => {
    // Prepared at load: c and b. Playing b makes c go and leaves a to be preloaded at 80 % of b (5 s).
    const SONG_C: TestSong = { id: 'c', seconds: 3, stems: [{ id: 'kick', channels: 1 }] };
    const { engine, loader, requestedAt } = rig([SONG_C, SONG_B, SONG_A]);
    const out = await render(engine, [{ at: 0, run: () => engine.playSong('b') }], 7);
    const firstOfA = loader.requests.findIndex((r) => r.ref.song === 'a');
    expect(requestedAt[firstOfA]).toBeGreaterThanOrEqual(0.8 * 5 * RATE);
    expect(requestedAt[firstOfA]).toBeLessThan(0.8 * 5 * RATE + 1024);
    expect(loader.requests.filter((r) => r.ref.song === 'a').slice(0, 3).every((r) => r.priority === 'idle')).toBe(true);
    expect(maxError(out, 5 * RATE, 7 * RATE, (i) => expectedAt(SONG_A, i - 5 * RATE))).toBeLessThan(1e-6);
    engine.close();
  });

  it('with auto-advance off, arms the next song and starts it at once on PLAY', async () => {
    const { engine } = rig([SONG_B, SONG_A], { settings: { autoAdvance: false } });
    const out = await render(engine, [{ at: 0, run: () => engine.playSong('b') }, { at: 6, run: () => engine.play() }], 8);
    expect(maxError(out, 5 * RATE, 6 * RATE, () => [0, 0])).toBe(0);
    expect(maxError(out, 6 * RATE, 8 * RATE, (i) => expectedAt(SONG_A, i - 6 * RATE))).toBeLessThan(1e-6);
    engine.close();
  });
});

describe('mixing controls', () => {
  it('applies gain (dB), mute and solo from the moment they are set', async () => {
    const { engine } = rig([SONG_A]);
    const out = await render(
      engine,
      [
        { at: 0, run: () => engine.playSong('a') },
        { at: 1, run: () => engine.setStem({ stem: 'keys', gainDb: -6 }) },
        { at: 2, run: () => engine.setStem({ stem: 'kick', muted: true }) },
        { at: 3, run: () => engine.setStem({ stem: 'kick', solo: true }) },
        { at: 4, run: () => engine.setStem({ stem: 'kick', solo: false, muted: false }) },
      ],
      5,
    );
    const g = 10 ** (-6 / 20);
    const at = (s: number) => quantumAt(s);
    expect(maxError(out, 0, at(1), (i) => expectedAt(SONG_A, i))).toBeLessThan(1e-6);
    expect(maxError(out, at(1), at(2), (i) => expectedAt(SONG_A, i, { keys: g }))).toBeLessThan(1e-6);
    expect(maxError(out, at(2), at(3), (i) => expectedAt(SONG_A, i, { keys: g, kick: 0 }))).toBeLessThan(1e-6);
    expect(maxError(out, at(3), at(4), (i) => expectedAt(SONG_A, i, { keys: 0, pad: 0 }))).toBeLessThan(1e-6); // solo wins over mute
    expect(maxError(out, at(4), 5 * RATE, (i) => expectedAt(SONG_A, i, { keys: g }))).toBeLessThan(1e-6);
    engine.close();
  });
});

describe('settings and metrics', () => {
  it('refuses an invalid setting with a reason and keeps the old one; turning auto-advance off disarms the next song', async () => {
    const { engine } = rig([SONG_B, SONG_A]);
    const errors: string[] = [];
    engine.actor.on('engine.error', (e) => errors.push(e.message));
    engine.setSettings({ bufferChunks: 1 });
    expect(errors).toEqual(['setting bufferChunks = 1 is invalid: expected an integer in 2..32']);
    expect(engine.settings.bufferChunks).toBe(4);
    const out = await render(engine, [{ at: 0, run: () => engine.playSong('b') }, { at: 4.5, run: () => engine.setSettings({ autoAdvance: false }) }], 6);
    expect(engine.settings.autoAdvance).toBe(false);
    // b ends at 5 s; a was preloaded (80 % = 4 s) and armed, then disarmed: silence after b.
    expect(maxError(out, 5 * RATE, 6 * RATE, () => [0, 0])).toBe(0);
    expect(engine.metrics().songs.map((s) => [s.song, s.state])).toEqual([
      ['b', 'ended'],
      ['a', 'ready'],
    ]);
    await engine.close();
  });

  it('publishes metrics snapshots as an observable and as JSON', async () => {
    const { engine } = rig([SONG_B]);
    const seen: number[] = [];
    const subscription = engine.metrics$.subscribe((m) => seen.push(m.outputFrames));
    await render(engine, [{ at: 0, run: () => engine.playSong('b') }, { at: 1, run: () => engine.seek(3) }], 2);
    subscription.unsubscribe();
    expect(seen.length).toBeGreaterThan(3);
    expect(seen).toEqual([...seen].sort((x, y) => x - y));
    const json = JSON.parse(JSON.stringify(engine.metrics()));
    expect(json).toMatchObject({ sampleRate: RATE, outputFrames: 2 * RATE, currentSong: 'b', droppedMixerEvents: 0 });
    expect(json.songs[0]).toMatchObject({ song: 'b', underruns: 0, seeks: { requested: 1, landed: 1 }, cache: { hitRate: 0 } });
    expect(json.songs[0].seekLatencyMs).toHaveLength(1);
    expect(Object.keys(json.songs[0].stems)).toEqual(['bass', 'gtr']);
    expect(json.songs[0].stems.gtr.bufferedSeconds).toBeGreaterThan(0);
    await engine.close();
  });
});
