import { describe, expect, it, jest } from '@jest/globals';
import { SimulatedClock } from 'xstate';
import { parseResumeJournal } from '../journal/parseResumeJournal.js';
import { renderCountInClick } from '../music/countIn.js';
import { fakeStemFacts, fakeStemProber } from '../testing/fakeCheckPorts.js';
import { MemoryJournalStore } from '../testing/MemoryJournalStore.js';
import { syntheticPcm } from '../testing/syntheticPcm.js';
import { RATE, expectedAt, maxError, quantumAt, render, renderRealtime, rig } from './harness.fixture.js';
import type { Gains, TestSong } from './harness.fixture.js';

/*
 * Musical navigation end to end on the fake loader: every position below is computed by hand from
 * the tempo (120 BPM in 4/4 at 48 kHz: a beat is 24,000 frames, a bar 96,000) and checked in the
 * rendered output against the synthetic stems (the oracle).
 */
// Renders of 10–30 s of audio, some in simulated real time: seconds each on a loaded machine.
jest.setTimeout(60_000);

const BEAT = 24_000;
const BAR = 4 * BEAT;
const S = RATE; // frames per second
const TEMPO_120 = [{ at: 0, bpm: 120, beatsPerBar: 4, beatUnit: 4 }];

// 20 s: Intro 0, Verse 4 s (bar 3), Chorus 12 s (bar 7), Outro 16 s (bar 9). Chunks are 2 s, the window 8 s.
const NAV: TestSong = {
  id: 'nav',
  seconds: 20,
  stems: [
    { id: 'kick', channels: 1 },
    { id: 'keys', channels: 2 },
  ],
  music: {
    tempoMap: TEMPO_120,
    sections: [
      { name: 'Intro', at: 0 },
      { name: 'Verse', at: 4 },
      { name: 'Chorus', at: 12 },
      { name: 'Outro', at: 16 },
    ],
  },
};
const PLAIN: TestSong = { id: 'plain', seconds: 5, stems: [{ id: 'bass', channels: 1 }] };

/** Output frame → song frame, for output made of straight stretches: [outputStart, songStart] pairs in order. */
const stretches =
  (...pieces: [number, number][]) =>
  (i: number): number => {
    let frame = i;
    for (const [out, song] of pieces) if (i >= out) frame = song + (i - out);
    return frame;
  };

describe('scheduled jumps', () => {
  it('a jump at the next bar lands at exactly barStart(n), sample-exactly, with no crossfade', async () => {
    const { engine } = rig([NAV]);
    const seen: unknown[] = [];
    const out = await render(
      engine,
      [
        { at: 0, run: () => engine.playSong('nav') },
        // Asked at output 3.3 s = frame 158,464 (the first quantum at or after it), in bar 2 [96,000, 192,000).
        { at: 3.3, run: () => engine.jump({ to: 'Chorus', when: 'nextBar' }) },
        { at: 3.5, run: () => seen.push(engine.navigation().jump) },
      ],
      6,
    );
    expect(quantumAt(3.3)).toBe(158_464);
    const landing = 2 * BAR; // barStart(3) = 192,000
    const chorus = 12 * S;
    expect(maxError(out, 0, landing, (i) => expectedAt(NAV, i))).toBeLessThan(1e-6);
    expect(maxError(out, landing, 6 * S, (i) => expectedAt(NAV, chorus + i - landing))).toBeLessThan(1e-6);
    expect(seen).toEqual([expect.objectContaining({ state: 'armed.ready', to: 'Chorus', when: 'nextBar', target: chorus, landing, landingSeconds: 4, ready: true, late: false })]);
    expect(engine.navigation().jump).toBeNull();
    expect(engine.metrics().songs[0]).toMatchObject({ jumps: { requested: 1, landed: 1, late: 0 }, underruns: 0 });
    await engine.close();
  });

  it('lands on the next beat, at the section end and after n bars', async () => {
    const { engine } = rig([NAV]);
    const out = await render(
      engine,
      [
        { at: 0, run: () => engine.playSong('nav') },
        // Song frame 48,000 (bar 1): two bars on from bar 1's start is barStart(3) = 192,000; to 10 s.
        { at: 1, run: () => engine.jump({ to: 10, when: { afterBars: 2 } }) },
        // Output 244,864 = song 480,000 + 52,864 = 532,864: the next beat is 23 × 24,000 = 552,000, at output 264,000; to the Verse (192,000).
        { at: 5.1, run: () => engine.jump({ to: 'Verse', when: 'nextBeat' }) },
        // Output 288,000 = song 216,000, in the Verse [192,000, 576,000): its end, 576,000, comes at output 648,000; to the Intro.
        { at: 6, run: () => engine.jump({ to: 'Intro', when: 'sectionEnd' }) },
      ],
      14,
    );
    const songFrame = stretches([2 * BAR, 10 * S], [264_000, 4 * S], [648_000, 0]);
    expect(maxError(out, 0, 14 * S, (i) => expectedAt(NAV, songFrame(i)))).toBeLessThan(1e-6);
    expect(engine.metrics().songs[0].jumps).toMatchObject({ requested: 3, landed: 3, late: 0 });
    await engine.close();
  });

  it('a cancelled jump never lands; a newer jump replaces a pending one', async () => {
    const { engine } = rig([NAV]);
    const out = await render(
      engine,
      [
        { at: 0, run: () => engine.playSong('nav') },
        { at: 1, run: () => engine.jump({ to: 'Outro', when: 'nextBar' }) },
        { at: 1.5, run: () => engine.cancelJump() },
        { at: 2.1, run: () => engine.jump({ to: 'Outro', when: 'nextBar' }) },
        { at: 2.5, run: () => engine.jump({ to: 10, when: 'nextBar' }) },
      ],
      6,
    );
    expect(maxError(out, 0, 6 * S, (i) => expectedAt(NAV, stretches([2 * BAR, 10 * S])(i)))).toBeLessThan(1e-6);
    expect(engine.metrics().songs[0].jumps).toEqual({ requested: 3, landed: 1, late: 0, cancelled: 1, replaced: 1, rejected: 0 });
    await engine.close();
  });

  it('refuses, with a reason, a section the song does not have, a song without a tempo, a landing past the end', async () => {
    const { engine } = rig([NAV, PLAIN]);
    const reasons: string[] = [];
    engine.actor.on('jump.rejected', (e) => reasons.push(`${e.songId}: ${e.reason}`));
    await render(
      engine,
      [
        { at: 0, run: () => engine.playSong('nav') },
        { at: 0.5, run: () => engine.jump({ to: 'Bridge', when: 'nextBar' }) },
        { at: 0.6, run: () => engine.jump({ to: 30, when: 'nextBar' }) },
        { at: 0.7, run: () => engine.jump({ to: 'Chorus', when: { afterBars: 20 } }) },
        { at: 1, run: () => engine.playSong('plain') },
        { at: 2, run: () => engine.jump({ to: 1, when: 'nextBeat' }) },
      ],
      2.5,
    );
    expect(reasons).toEqual([
      'nav: nav: has no section "Bridge" (its sections: "Intro", "Verse", "Chorus", "Outro")',
      'nav: nav: cannot jump to 30 s: the song is 0:20.000 long',
      'nav: nav: the song ends (at 0:20.000) before the jump could land (afterBars 20: 0:40.000)',
      expect.stringMatching(/^plain: plain: has no tempo: a jump on the nextBeat needs "tempo" or "tempoMap"/),
    ]);
    await engine.close();
  });

  it('in real time, a jump whose target is not loaded by its landing lands as soon as it is, crossfaded, and counts late', async () => {
    const clock = new SimulatedClock();
    // Every request takes 400 ms: the target's slices (2 stems) take 0.8 s, the landing is the next beat (< 0.5 s away).
    const { engine } = rig([NAV], { engine: { clock }, loader: { clock, latencyMs: () => 400 } });
    const states: string[] = [];
    engine.playSong('nav');
    await renderRealtime(engine, clock, 10, [
      { at: 5, run: () => engine.jump({ to: 'Outro', when: 'nextBeat' }) },
      ...Array.from({ length: 40 }, (_, k) => ({ at: 5.01 + k * 0.1, run: () => states.push(engine.navigation().jump?.state ?? 'none') })),
    ]);
    expect(states).toContain('armed.loading');
    expect(states).toContain('armed.late');
    expect(states.at(-1)).toBe('none');
    const song = engine.metrics().songs[0];
    expect(song.jumps).toMatchObject({ requested: 1, landed: 1, late: 1 });
    // It did land: the song plays on from the Outro.
    expect(song.positionSeconds).toBeGreaterThan(16);
    await engine.close();
  });
});

describe('vamps (loops)', () => {
  it('a vamp over 2 bars repeated 3 times equals the source range concatenated 3 times', async () => {
    const { engine } = rig([NAV]);
    const seen: unknown[] = [];
    const out = await render(
      engine,
      [
        { at: 0, run: () => engine.playSong('nav') },
        // Bars 2–3: [96,000, 288,000) = [2 s, 6 s).
        { at: 0.5, run: () => engine.loop({ from: 2, to: 6 }) },
        { at: 7, run: () => seen.push(engine.navigation().loop) },
        // In the third pass (output 10–14 s): released at its end, the song goes on from 6 s at output 14 s.
        { at: 11, run: () => engine.releaseLoop('atLoopEnd') },
      ],
      16,
    );
    const loop = [2 * S, 6 * S];
    const expected = (i: number) => (i < 6 * S ? i : i < 14 * S ? loop[0] + ((i - 6 * S) % (4 * S)) : 6 * S + (i - 14 * S));
    expect(maxError(out, 0, 16 * S, (i) => expectedAt(NAV, expected(i)))).toBeLessThan(1e-6);
    // The three passes, frame for frame: output [2 s, 6 s), [6 s, 10 s) and [10 s, 14 s) are the same frames.
    for (let k = 0; k < 4 * S; k += 997) {
      expect(out.left[2 * S + k]).toBe(out.left[6 * S + k]);
      expect(out.left[6 * S + k]).toBe(out.left[10 * S + k]);
    }
    expect(seen).toEqual([expect.objectContaining({ state: 'looping', start: loop[0], end: loop[1], wraps: 1, section: null })]);
    expect(engine.navigation().loop).toBeNull();
    expect(engine.metrics().songs[0]).toMatchObject({ loopWraps: 2, underruns: 0 });
    await engine.close();
  });

  it('loops a section and releases now: playback goes on from where it is', async () => {
    const { engine } = rig([NAV]);
    const out = await render(
      engine,
      [
        { at: 0, run: () => engine.playSong('nav') },
        { at: 1, run: () => engine.loop({ section: 'Verse' }) },
        { at: 14, run: () => engine.releaseLoop('now') },
      ],
      17,
    );
    // Verse = [4 s, 12 s): wraps at output 12 s back to 4 s; released at output 14 s (song 6 s), it goes on.
    expect(maxError(out, 0, 17 * S, (i) => expectedAt(NAV, i < 12 * S ? i : i - 8 * S))).toBeLessThan(1e-6);
    await engine.close();
  });

  it('refuses a loop behind the play position, and one over a section the song does not have', async () => {
    const { engine } = rig([NAV]);
    const reasons: string[] = [];
    engine.actor.on('loop.rejected', (e) => reasons.push(e.reason));
    await render(
      engine,
      [
        { at: 0, run: () => engine.playSong('nav') },
        { at: 5, run: () => engine.loop({ section: 'Intro' }) },
        { at: 5, run: () => engine.loop({ section: 'Bridge' }) },
        { at: 5, run: () => engine.loop({ from: 8, to: 7 }) },
      ],
      5.5,
    );
    expect(reasons).toEqual([
      'nav: the loop over "Intro" ends before the play position: jump back to it first',
      'nav: has no section "Bridge" (its sections: "Intro", "Verse", "Chorus", "Outro")',
      "nav: the loop's end (7 s) must be after its start (8 s) and inside the song",
    ]);
    await engine.close();
  });

  /** First non-silent output frame: where the song started in a real-time run. */
  const startOf = (left: Float32Array) => left.findIndex((v) => v !== 0);

  it('in real time, a one-bar loop across a chunk boundary and a loop longer than the window never underrun', async () => {
    for (const { loop, seconds } of [
      { loop: [3, 5], seconds: 14 }, // one bar over the 4 s chunk boundary
      { loop: [2, 14], seconds: 32 }, // 12 s: longer than the 8-s window, its start reloaded each pass before its end
    ]) {
      const clock = new SimulatedClock();
      const { engine } = rig([NAV], { engine: { clock }, loader: { clock, latencyMs: () => 40 } });
      engine.playSong('nav');
      const { left } = await renderRealtime(engine, clock, seconds, [{ at: 1, run: () => engine.loop({ from: loop[0], to: loop[1] }) }]);
      const start = startOf(left);
      const [from, to] = [loop[0] * S, loop[1] * S];
      const songFrame = (i: number) => (i - start < to ? i - start : from + ((i - start - to) % (to - from)));
      expect(maxError({ left, right: left } as never, start, left.length, (i) => [expectedAt(NAV, songFrame(i))[0], expectedAt(NAV, songFrame(i))[0]])).toBeLessThan(1e-6);
      const metrics = engine.metrics().songs[0];
      expect(metrics.underruns).toBe(0);
      expect(metrics.loopWraps).toBeGreaterThanOrEqual(2);
      await engine.close();
    }
  });
});

describe('count-in', () => {
  const COUNTED: TestSong = { id: 'counted', seconds: 6, stems: [{ id: 'pad', channels: 2 }], music: { tempoMap: TEMPO_120, countIn: 1 } };

  it('clicks on the beat for one bar (a generated click), then the song starts at the bar line', async () => {
    const { engine } = rig([COUNTED]);
    const out = await render(engine, [{ at: 0, run: () => engine.playSong('counted') }], 4);
    const click = renderCountInClick({ bars: 1, bpm: 120, beatsPerBar: 4, sampleRate: RATE });
    expect(click.length).toBe(BAR);
    expect(maxError(out, 0, BAR, (i) => [click[i], click[i]])).toBeLessThan(1e-6);
    // The clicks start on the beat frames: silence just before each, the click's peak on it (accented downbeat).
    expect([0, BEAT, 2 * BEAT, 3 * BEAT].map((f) => out.left[f])).toEqual([Math.fround(0.8), 0.5, 0.5, 0.5]);
    expect([BEAT - 1, 2 * BEAT - 1, 3 * BEAT - 1, BAR - 1].map((f) => out.left[f])).toEqual([0, 0, 0, 0]);
    expect(maxError(out, BAR, 4 * S, (i) => expectedAt(COUNTED, i - BAR))).toBeLessThan(1e-6);
    await engine.close();
  });

  it("plays the count-in on the song's own click stem (its first bar), then the whole song from its first frame", async () => {
    const CLICKED: TestSong = { id: 'clicked', seconds: 6, stems: [{ id: 'click', channels: 1 }, { id: 'band', channels: 2 }], music: { tempoMap: TEMPO_120, countIn: 1 } };
    const { engine } = rig([CLICKED]);
    const out = await render(engine, [{ at: 0, run: () => engine.playSong('clicked') }], 4);
    const clickStem = syntheticPcm('clicked', 'click', 1, 0, BAR)[0];
    expect(maxError(out, 0, BAR, (i) => [clickStem[i], clickStem[i]])).toBeLessThan(1e-6);
    expect(maxError(out, BAR, 4 * S, (i) => expectedAt(CLICKED, i - BAR))).toBeLessThan(1e-6);
    await engine.close();
  });
});

describe('transitions', () => {
  const song = (id: string, seconds: number, transition?: NonNullable<TestSong['music']>['transition']): TestSong => ({
    id,
    seconds,
    stems: [{ id: `${id}-x`, channels: 2 }],
    ...(transition ? { music: { transition } } : {}),
  });

  it('a gap has exactly the set number of zero frames', async () => {
    const A = song('a', 3, { kind: 'gap', seconds: 0.5 });
    const B = song('b', 2);
    const { engine } = rig([A, B]);
    const out = await render(engine, [{ at: 0, run: () => engine.playSong('a') }]);
    const gap = 0.5 * S; // 24,000 frames
    // The render stops at the end of the quantum in which the setlist ended.
    expect(out.frames).toBe(quantumAt(5.5));
    expect(maxError(out, 0, 3 * S, (i) => expectedAt(A, i))).toBeLessThan(1e-6);
    const zeros = out.left.subarray(3 * S, 3 * S + gap);
    expect(zeros.every((v) => v === 0) && out.right.subarray(3 * S, 3 * S + gap).every((v) => v === 0)).toBe(true);
    expect(out.left[3 * S - 1]).not.toBe(0);
    expect(out.left[3 * S + gap]).not.toBe(0);
    expect(maxError(out, 3 * S + gap, 5.5 * S, (i) => expectedAt(B, i - 3 * S - gap))).toBeLessThan(1e-6);
    expect(engine.metrics().songs[1].transitionGapFrames).toBe(gap);
    await engine.close();
  });

  it("a crossfade transition equals the equal-power sum of the two songs' renders", async () => {
    const A = song('a', 4, { kind: 'crossfade', seconds: 1 });
    const B = song('b', 3);
    const { engine } = rig([A, B]);
    const out = await render(engine, [{ at: 0, run: () => engine.playSong('a') }]);
    expect(out.frames).toBe(6 * S); // 4 s + 3 s − 1 s of overlap
    expect(maxError(out, 0, 3 * S, (i) => expectedAt(A, i))).toBeLessThan(1e-6);
    expect(
      maxError(out, 3 * S, 4 * S, (i) => {
        const t = (i - 3 * S) / S;
        const [al, ar] = expectedAt(A, i);
        const [bl, br] = expectedAt(B, i - 3 * S);
        const fadeOut = Math.cos((t * Math.PI) / 2);
        const fadeIn = Math.sin((t * Math.PI) / 2);
        return [fadeOut * al + fadeIn * bl, fadeOut * ar + fadeIn * br];
      }),
    ).toBeLessThan(1e-6);
    expect(maxError(out, 4 * S, 6 * S, (i) => expectedAt(B, i - 3 * S))).toBeLessThan(1e-6);
    const [a, b] = engine.metrics().songs;
    expect(a).toMatchObject({ song: 'a', state: 'ended', underruns: 0 });
    expect(b).toMatchObject({ song: 'b', transitionGapFrames: 0, underruns: 0 });
    await engine.close();
  });

  it('stop: the next song is armed, not started, and plays from its start on PLAY', async () => {
    const A = song('a', 2, { kind: 'stop' });
    const B = song('b', 2);
    const { engine } = rig([A, B]);
    const states: string[] = [];
    const out = await render(
      engine,
      [
        { at: 0, run: () => engine.playSong('a') },
        { at: 2.5, run: () => states.push(String(engine.actor.getSnapshot().context.current?.getSnapshot().value)) },
        { at: 3, run: () => engine.play() },
      ],
      5,
    );
    expect(states).toEqual(['ready']);
    expect(maxError(out, 0, 2 * S, (i) => expectedAt(A, i))).toBeLessThan(1e-6);
    expect(out.left.subarray(2 * S, 3 * S).every((v) => v === 0)).toBe(true);
    expect(maxError(out, 3 * S, 5 * S, (i) => expectedAt(B, i - 3 * S))).toBeLessThan(1e-6);
    await engine.close();
  });

  it('a gapless hand-over into a song with a count-in plays the count-in between them', async () => {
    const A = song('a', 2);
    const C: TestSong = { id: 'c', seconds: 2, stems: [{ id: 'c-x', channels: 1 }], music: { tempoMap: TEMPO_120, countIn: 1 } };
    const { engine } = rig([A, C]);
    const out = await render(engine, [{ at: 0, run: () => engine.playSong('a') }]);
    const click = renderCountInClick({ bars: 1, bpm: 120, beatsPerBar: 4, sampleRate: RATE });
    expect(out.frames).toBe(2 * S + BAR + 2 * S);
    expect(maxError(out, 2 * S, 2 * S + BAR, (i) => [click[i - 2 * S], click[i - 2 * S]])).toBeLessThan(1e-6);
    expect(maxError(out, 2 * S + BAR, out.frames, (i) => expectedAt(C, i - 2 * S - BAR))).toBeLessThan(1e-6);
    await engine.close();
  });
});

describe('resume after a crash', () => {
  const MIX: Gains = { kick: 10 ** (-6 / 20), keys: 0 };

  it('journals the song, bar, mix and loop; a new engine re-arms the same bar with the same mix and loop', async () => {
    const store = new MemoryJournalStore();
    const first = rig([NAV], { engine: { journal: store } });
    await render(
      first.engine,
      [
        { at: 0, run: () => first.engine.playSong('nav') },
        { at: 0.5, run: () => first.engine.setStem({ stem: 'keys', muted: true }) },
        { at: 1, run: () => first.engine.setStem({ stem: 'kick', gainDb: -6 }) },
        { at: 2.2, run: () => first.engine.jump({ to: 'Chorus', when: 'nextBar' }) }, // lands at output 4 s on 12 s
        { at: 5, run: () => first.engine.loop({ section: 'Chorus' }) }, // [12 s, 16 s): wraps at output 8 s
      ],
      9, // the "crash": output 9 s = song 13 s, in bar 7 [12 s, 14 s)
    );
    await first.engine.close();
    const journal = parseResumeJournal(store.text as string, 'memory');
    expect(journal).toMatchObject({
      song: 'nav',
      position: { frame: 13 * S, sampleRate: RATE, bar: 7 },
      playing: true,
      mix: [
        { stem: 'kick', gainDb: -6, muted: false, solo: false },
        { stem: 'keys', gainDb: 0, muted: true, solo: false },
      ],
      loop: { start: 12 * S, end: 16 * S, section: 'Chorus' },
    });

    const second = rig([NAV], { engine: { journal: store, resume: 'play' } });
    expect(await second.engine.resumed).toEqual({ resumed: true, song: 'nav', frame: 13 * S, playing: true });
    const out = await render(second.engine, [], 6);
    // From the start of bar 7 (12 s), the same mix, the loop [12 s, 16 s) again: at output 4 s back to 12 s.
    expect(maxError(out, 0, 6 * S, (i) => expectedAt(NAV, 12 * S + (i % (4 * S)), MIX))).toBeLessThan(1e-6);
    await second.engine.close();
  });

  it('resumes paused by default (silence until PLAY), and refuses a journal of another setlist', async () => {
    const store = new MemoryJournalStore();
    const first = rig([NAV], { engine: { journal: store } });
    await render(first.engine, [{ at: 0, run: () => first.engine.playSong('nav') }], 5.5); // song 5.5 s: bar 3 (4 s)
    await first.engine.close();

    const paused = rig([NAV], { engine: { journal: store, resume: true } });
    expect(await paused.engine.resumed).toMatchObject({ resumed: true, playing: false });
    const out = await render(paused.engine, [{ at: 1, run: () => paused.engine.play() }], 2);
    expect(out.left.subarray(0, S).every((v) => v === 0)).toBe(true);
    expect(maxError(out, S, 2 * S, (i) => expectedAt(NAV, 2 * BAR + i - S))).toBeLessThan(1e-6);
    await paused.engine.close();

    const other = rig([NAV], { engine: { journal: store, resume: true, setlist: { name: 'other', source: '/elsewhere.json', songs: [] } } });
    expect(await other.engine.resumed).toEqual({ resumed: false, reason: 'memory:resume.json is the journal of another setlist (/fake/setlist.json, not /elsewhere.json)' });
    await other.engine.close();
  });

  it('removes the journal when the setlist ends', async () => {
    const store = new MemoryJournalStore();
    const { engine } = rig([PLAIN], { engine: { journal: store } });
    await render(engine, [{ at: 0, run: () => engine.playSong('plain') }]);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(store.text).toBeUndefined();
    await engine.close();
  });
});

describe('engine.check()', () => {
  it('runs the pre-show check on the loaded setlist through the given ports', async () => {
    const facts = fakeStemFacts({ channels: 1, frames: 20 * RATE });
    const { engine } = rig([NAV], {
      engine: { checkPorts: { prober: fakeStemProber({ '/fake/nav/kick.flac': facts }) } },
    });
    const report = await engine.check();
    expect(report.playable).toBe(false);
    expect(report.songs[0].problems).toEqual([expect.objectContaining({ kind: 'missing-file', stem: 'keys' })]);
    await engine.close();
    const bare = rig([NAV]);
    await expect(bare.engine.check()).rejects.toThrow('engine.check() needs createEngine({ checkPorts })');
    await bare.engine.close();
  });
});
