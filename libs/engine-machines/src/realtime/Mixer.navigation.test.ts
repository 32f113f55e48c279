import { describe, expect, it } from '@jest/globals';
import { PerformanceObserver, constants } from 'node:perf_hooks';
import { renderCountInClick } from '../music/countIn.js';
import { armNextCommand, cancelSeekCommand, loopCommand, pauseCommand, playCommand, releaseLoopCommand, seekCommand, startCommand } from './MixerCommand.js';
import { MixerEventKind } from './MixerEvent.js';
import { MixerRig, value } from './mixerRig.fixture.js';
import type { RigSong } from './mixerRig.fixture.js';

const { cos, sin, PI, abs, max } = Math;

/** Largest |out[i] − expected(i)| over [from, to) of the left channel. */
function worst(out: Float32Array, from: number, to: number, expected: (i: number) => number): number {
  let w = 0;
  for (let i = from; i < to; i++) w = max(w, abs(out[i] - expected(i)));
  return w;
}

const mono = (id: string) => [{ id, channels: 1 }];
const v = (song: RigSong, frame: number) => value(song, 0, 0, frame);

describe('Mixer: scheduled jumps', () => {
  it('switches exactly at the landing frame, inside a quantum, with no crossfade when the target is there', () => {
    const rig = new MixerRig();
    const song = rig.song('j', 20_000, mono('m'));
    rig.post(startCommand(song.instance, 0, 0), playCommand(), seekCommand(3, song.instance, 10_000, 2400, 1000));
    const [left] = rig.render(2048);
    // Frame 1000 lies inside the quantum 896..1023: every frame before it is the old position, every frame from it the target.
    expect(worst(left, 0, 1000, (i) => v(song, i))).toBe(0);
    expect(worst(left, 1000, 2048, (i) => v(song, 10_000 + i - 1000))).toBe(0);
    const seen = rig.events();
    expect(seen.find((e) => e.kind === MixerEventKind.SeekLanded)).toMatchObject({ id: 3, outputFrame: 1000, value: 10_000, detail: -1 });
    expect(seen.find((e) => e.kind === MixerEventKind.Released)).toMatchObject({ id: 3, outputFrame: 1000 });
    expect(seen.some((e) => e.kind === MixerEventKind.JumpMissed)).toBe(false);
    expect(rig.counters(song).position).toBe(10_000 + 1048);
  });

  it('waits for the landing frame while paused, and lands when playback reaches it', () => {
    const rig = new MixerRig();
    const song = rig.song('p', 20_000, mono('m'));
    rig.post(startCommand(song.instance, 0, 0), playCommand());
    rig.render(256);
    rig.post(pauseCommand(), seekCommand(4, song.instance, 5000, 2400, 300));
    rig.render(512);
    expect(rig.counters(song).position).toBe(256);
    rig.post(playCommand());
    const [left] = rig.render(128);
    expect(worst(left, 0, 44, (i) => v(song, 256 + i))).toBe(0);
    expect(worst(left, 44, 128, (i) => v(song, 5000 + i - 44))).toBe(0);
  });

  it('lands late, with the crossfade, when the target is not there at the landing frame (and says so)', () => {
    const rig = new MixerRig();
    const song = rig.song('l', 20_000, mono('m'), { loaded: false });
    rig.load(song, 0, 0, 4096);
    rig.post(startCommand(song.instance, 0, 0), playCommand(), seekCommand(5, song.instance, 10_000, 256, 1000));
    const [early] = rig.render(1280);
    // Playback goes on past the landing frame: the jump missed it.
    expect(worst(early, 0, 1280, (i) => v(song, i))).toBe(0);
    expect(rig.events().filter((e) => e.kind === MixerEventKind.JumpMissed)).toEqual([expect.objectContaining({ id: 5, outputFrame: 1000, value: 1000 })]);
    rig.load(song, 0, 10_000, 20_000);
    const [late] = rig.render(512);
    // It lands at the first quantum with the target's data (1280), crossfading 256 frames.
    for (const k of [0, 100, 255, 256, 300]) {
      const t = k / 256;
      const expected = k < 256 ? sin((t * PI) / 2) * v(song, 10_000 + k) + cos((t * PI) / 2) * v(song, 1280 + k) : v(song, 10_000 + k);
      expect(late[k]).toBeCloseTo(expected, 6);
    }
    expect(rig.events().find((e) => e.kind === MixerEventKind.SeekLanded)).toMatchObject({ id: 5, outputFrame: 1280, value: 10_000, detail: 1280 });
  });

  it('treats a landing frame already passed as missed, and a cancelled jump as never asked', () => {
    const rig = new MixerRig();
    const song = rig.song('c', 20_000, mono('m'));
    rig.post(startCommand(song.instance, 0, 0), playCommand());
    rig.render(1024);
    rig.post(seekCommand(6, song.instance, 8000, 0, 1500), cancelSeekCommand(6));
    const [left] = rig.render(1024);
    expect(worst(left, 0, 1024, (i) => v(song, 1024 + i))).toBe(0);
    rig.post(seekCommand(7, song.instance, 8000, 0, 100));
    rig.render(128);
    const seen = rig.events();
    expect(seen.find((e) => e.kind === MixerEventKind.JumpMissed)).toMatchObject({ id: 7, outputFrame: 2048 });
    expect(seen.find((e) => e.kind === MixerEventKind.SeekLanded)).toMatchObject({ id: 7, outputFrame: 2048 });
  });
});

describe('Mixer: loops', () => {
  it('repeats [start, end) sample-exactly, wrapping inside quanta, until released at its end', () => {
    const rig = new MixerRig();
    const song = rig.song('v', 5000, mono('m'));
    rig.post(startCommand(song.instance, 0, 0), loopCommand(song.instance, 9, 300, 700), playCommand());
    const [first] = rig.render(1300);
    // 0..699, then 300..699 again and again: the output is the source range concatenated.
    const expected = (i: number) => (i < 700 ? i : 300 + ((i - 700) % 400));
    expect(worst(first, 0, 1300, (i) => v(song, expected(i)))).toBe(0);
    expect(rig.events().filter((e) => e.kind === MixerEventKind.LoopWrapped).map((e) => [e.id, e.outputFrame, e.value, e.detail])).toEqual([
      [9, 700, 1, 300],
      [9, 1100, 2, 300],
    ]);
    // Playing 500 now. Released at its end: the rest of this pass (500..699), then on from 700.
    rig.post(releaseLoopCommand(song.instance, true));
    const [second] = rig.render(1000);
    expect(worst(second, 0, 1000, (i) => v(song, 500 + i))).toBe(0);
    const seen = rig.events();
    expect(seen.filter((e) => e.kind === MixerEventKind.LoopWrapped)).toEqual([]);
    expect(seen.find((e) => e.kind === MixerEventKind.LoopReleased)).toMatchObject({ id: 9, outputFrame: 1500, value: 2 });
    expect(rig.counters(song).loopWraps).toBe(2);
  });

  it('releases now: playback goes on from where it is', () => {
    const rig = new MixerRig();
    const song = rig.song('r', 5000, mono('m'));
    rig.post(startCommand(song.instance, 0, 0), loopCommand(song.instance, 9, 0, 256), playCommand());
    rig.render(384); // 0..255, 0..127
    rig.post(releaseLoopCommand(song.instance, false));
    const [left] = rig.render(512);
    expect(worst(left, 0, 512, (i) => v(song, 128 + i))).toBe(0);
    expect(rig.events().find((e) => e.kind === MixerEventKind.LoopReleased)).toMatchObject({ outputFrame: 384 });
  });

  it('a jump due at the loop end leaves the loop; a landing inside the loop keeps it', () => {
    const rig = new MixerRig();
    const song = rig.song('x', 20_000, mono('m'));
    rig.post(startCommand(song.instance, 0, 0), loopCommand(song.instance, 9, 200, 600), playCommand(), seekCommand(1, song.instance, 300, 0, 500));
    rig.render(1000);
    // 0..499, jump to 300 (inside the loop: kept) → 300..599, wrap → 200..
    let seen = rig.events();
    expect(seen.find((e) => e.kind === MixerEventKind.LoopReleased)).toBeUndefined();
    expect(seen.find((e) => e.kind === MixerEventKind.LoopWrapped)).toMatchObject({ outputFrame: 800 });
    rig.post(seekCommand(2, song.instance, 10_000, 0, 600));
    const [left] = rig.render(1024);
    // Playing 400 at output 1000: 200 frames to the loop end, where the jump wins over the wrap.
    expect(worst(left, 0, 200, (i) => v(song, 400 + i))).toBe(0);
    expect(worst(left, 200, 1024, (i) => v(song, 10_000 + i - 200))).toBe(0);
    seen = rig.events();
    expect(seen.find((e) => e.kind === MixerEventKind.LoopReleased)).toMatchObject({ outputFrame: 1200 });
  });
});

describe('Mixer: transitions and count-in', () => {
  it('a gap transition plays exactly the set number of zero frames between the songs', () => {
    const rig = new MixerRig();
    const a = rig.song('g1', 1000, mono('x'));
    const b = rig.song('g2', 1000, mono('y'));
    rig.post(startCommand(a.instance, 0, 0), armNextCommand(b.instance, { gapFrames: 333, crossfadeFrames: 0, countIn: false }), playCommand());
    const [left] = rig.render(2500);
    expect(worst(left, 0, 1000, (i) => v(a, i))).toBe(0);
    expect(left.subarray(1000, 1333).every((s) => s === 0)).toBe(true);
    expect(left[1333]).not.toBe(0);
    expect(worst(left, 1333, 2333, (i) => v(b, i - 1333))).toBe(0);
    expect(rig.counters(b).transitionGapFrames).toBe(333);
    expect(rig.events().find((e) => e.kind === MixerEventKind.Started && e.song === 'g2')).toMatchObject({ outputFrame: 1333, value: 333 });
  });

  it('a crossfade transition mixes the last frames of one song and the first of the next with equal-power curves', () => {
    const rig = new MixerRig();
    const a = rig.song('x1', 3000, mono('x'));
    const b = rig.song('x2', 3000, mono('y'));
    const fade = 1000;
    rig.post(startCommand(a.instance, 0, 0), armNextCommand(b.instance, { gapFrames: 0, crossfadeFrames: fade, countIn: true }), playCommand());
    const [left] = rig.render(5000);
    expect(worst(left, 0, 2000, (i) => v(a, i))).toBe(0);
    expect(
      worst(left, 2000, 3000, (i) => {
        const t = (i - 2000) / fade;
        return cos((t * PI) / 2) * v(a, i) + sin((t * PI) / 2) * v(b, i - 2000);
      }),
    ).toBeLessThan(1e-6);
    expect(worst(left, 3000, 5000, (i) => v(b, i - 2000))).toBe(0);
    const seen = rig.events();
    expect(seen.find((e) => e.kind === MixerEventKind.Ended)).toMatchObject({ song: 'x1', id: 1, outputFrame: 2000, value: fade });
    expect(seen.find((e) => e.kind === MixerEventKind.Started && e.song === 'x2')).toMatchObject({ id: 1, outputFrame: 2000 });
    expect(seen.find((e) => e.kind === MixerEventKind.Released)).toMatchObject({ song: 'x1', id: -1, outputFrame: 3000 });
  });

  it('starts a crossfade late, and shorter, when the next song has no data at its start', () => {
    const rig = new MixerRig();
    const a = rig.song('y1', 3000, mono('x'));
    const b = rig.song('y2', 3000, mono('y'), { loaded: false });
    rig.post(startCommand(a.instance, 0, 0), armNextCommand(b.instance, { gapFrames: 0, crossfadeFrames: 1000, countIn: false }), playCommand());
    const [early] = rig.render(2304);
    expect(worst(early, 0, 2304, (i) => v(a, i))).toBe(0);
    rig.load(b, 0, 0, 3000);
    const [late] = rig.render(1024);
    // Starts at 2304 over A's 696 remaining frames.
    expect(worst(late, 0, 696, (i) => cos(((i / 696) * PI) / 2) * v(a, 2304 + i) + sin(((i / 696) * PI) / 2) * v(b, i))).toBeLessThan(1e-6);
    expect(worst(late, 696, 1024, (i) => v(b, i))).toBe(0);
  });

  it('plays the count-in (a generated click) before the song, which starts on the count-in\'s bar line', () => {
    const rig = new MixerRig();
    const click = renderCountInClick({ bars: 1, bpm: 960, beatsPerBar: 4, sampleRate: 48_000 }); // 4 beats of 3000 frames
    const song = rig.song('ci', 20_000, mono('m'), { countIn: { frames: click.length, click } });
    rig.post(startCommand(song.instance, 0, 0, true), playCommand());
    const [left, right] = rig.render(16_000);
    expect(click.length).toBe(12_000);
    expect(worst(left, 0, 12_000, (i) => click[i])).toBe(0);
    expect(worst(right, 0, 12_000, (i) => click[i])).toBe(0);
    expect(worst(left, 12_000, 16_000, (i) => v(song, i - 12_000))).toBe(0);
    const seen = rig.events();
    expect(seen.find((e) => e.kind === MixerEventKind.Started)).toMatchObject({ outputFrame: 0, detail: 12_000 });
    expect(seen.find((e) => e.kind === MixerEventKind.FirstAudio)).toMatchObject({ outputFrame: 12_000 });
  });

  it('plays the count-in from the song\'s click stem (its first bars), then the whole song from its first frame; no count-in mid-song', () => {
    const rig = new MixerRig();
    const song = rig.song('cs', 20_000, [
      { id: 'click', channels: 1 },
      { id: 'band', channels: 2 },
    ], { countIn: { frames: 1500, stem: 0 } });
    rig.post(startCommand(song.instance, 0, 0, true), playCommand());
    const [left, right] = rig.render(3000);
    expect(worst(left, 0, 1500, (i) => value(song, 0, 0, i))).toBe(0);
    expect(worst(right, 0, 1500, (i) => value(song, 0, 0, i))).toBe(0);
    expect(worst(left, 1500, 3000, (i) => value(song, 0, 0, i - 1500) + value(song, 1, 0, i - 1500))).toBeLessThan(1e-6);
    // A start elsewhere than frame 0 has no count-in.
    const other = new MixerRig();
    const again = other.song('cs', 20_000, [{ id: 'click', channels: 1 }], { countIn: { frames: 1500, stem: 0 } });
    other.post(startCommand(again.instance, 5000, 0, true), playCommand());
    const [l2] = other.render(256);
    expect(worst(l2, 0, 256, (i) => value(again, 0, 0, 5000 + i))).toBe(0);
  });

  it('gap, then count-in, then the next song', () => {
    const rig = new MixerRig();
    const a = rig.song('a', 1000, mono('x'));
    const click = new Float32Array(500).fill(0.25);
    const b = rig.song('b', 1000, mono('y'), { countIn: { frames: 500, click } });
    rig.post(startCommand(a.instance, 0, 0), armNextCommand(b.instance, { gapFrames: 200, crossfadeFrames: 0, countIn: true }), playCommand());
    const [left] = rig.render(2000);
    expect(left.subarray(1000, 1200).every((s) => s === 0)).toBe(true);
    expect(left.subarray(1200, 1700).every((s) => s === 0.25)).toBe(true);
    expect(worst(left, 1700, 2000, (i) => v(b, i - 1700))).toBe(0);
  });
});

describe('Mixer: navigation without allocation', () => {
  it('wraps a loop and lands jumps in steady state without allocating', async () => {
    const rig = new MixerRig();
    const song = rig.song('k', 128 * 4000, [
      { id: 'a', channels: 1 },
      { id: 'b', channels: 2 },
    ]);
    const mixer = rig.mixer;
    // A 100-quantum loop that does not fall on quantum boundaries: it wraps mid-quantum ~30 times below.
    rig.post(startCommand(song.instance, 0, 0), loopCommand(song.instance, 9, 1000, 1000 + 128 * 100 + 17), playCommand());
    const out = [new Float32Array(128), new Float32Array(128)];
    for (let i = 0; i < 1000; i++) mixer.render(out, 128);
    rig.events();
    const attempts: { scavenges: number; growth: number }[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      rig.post(seekCommand(100 + attempt, song.instance, 2000, 0, 1000 + 128 * 50 + 3)); // lands inside the loop during the measurement
      rig.events();
      const scavenges: number[] = [];
      const observer = new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) {
          if ((entry as unknown as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR) scavenges.push(entry.startTime);
        }
      });
      observer.observe({ entryTypes: ['gc'] });
      const before = process.memoryUsage().heapUsed;
      const start = performance.now();
      for (let i = 0; i < 3000; i++) mixer.render(out, 128);
      const end = performance.now();
      const after = process.memoryUsage().heapUsed;
      await new Promise((resolve) => setTimeout(resolve, 20));
      observer.disconnect();
      attempts.push({ scavenges: scavenges.filter((t) => t >= start && t <= end).length, growth: after - before });
      if (attempts[attempt].scavenges === 0 && attempts[attempt].growth < 32 * 1024) break;
    }
    const best = attempts[attempts.length - 1];
    expect(best.scavenges).toBe(0);
    expect(best.growth).toBeLessThan(32 * 1024);
    expect(rig.counters(song).loopWraps).toBeGreaterThan(20);
    expect(rig.events().some((e) => e.kind === MixerEventKind.SeekLanded)).toBe(true);
  }, 20_000);
});
