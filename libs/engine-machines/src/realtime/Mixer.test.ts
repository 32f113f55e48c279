import { describe, expect, it } from '@jest/globals';
import { PerformanceObserver, constants } from 'node:perf_hooks';
import { armNextCommand, failStemCommand, pauseCommand, playCommand, seekCommand, setStemCommand, startCommand } from './MixerCommand.js';
import { MixerEventKind } from './MixerEvent.js';
import { dbToGain } from './gain.js';
import { MixerRig, value } from './mixerRig.fixture.js';

describe('Mixer', () => {
  it('mixes mono stems to both sides and stereo stems side by side, at unit gain exactly their sum', () => {
    const rig = new MixerRig();
    const song = rig.song('a', 1000, [
      { id: 'kick', channels: 1 },
      { id: 'keys', channels: 2 },
    ]);
    rig.post(startCommand(song.instance, 0, 0), playCommand());
    const [left, right] = rig.render(1000);
    for (let i = 0; i < 1000; i++) {
      expect(left[i]).toBeCloseTo(value(song, 0, 0, i) + value(song, 1, 0, i), 6);
      expect(right[i]).toBeCloseTo(value(song, 0, 0, i) + value(song, 1, 1, i), 6);
    }
    expect(rig.counters(song).position).toBe(1000);
    expect(rig.events().map((e) => e.kind)).toEqual([MixerEventKind.Started, MixerEventKind.FirstAudio, MixerEventKind.Ended]);
  });

  it('downmixes a 6-channel stem: fronts to their side, centre and surrounds at -3 dB, LFE dropped', () => {
    const rig = new MixerRig();
    const song = rig.song('b', 256, [{ id: 'surround', channels: 6 }]);
    rig.post(startCommand(song.instance, 0, 0), playCommand());
    const [left, right] = rig.render(256);
    const f = (channel: number, i: number) => value(song, 0, channel, i);
    const h = Math.SQRT1_2;
    for (const i of [0, 17, 255]) {
      expect(left[i]).toBeCloseTo(f(0, i) + h * f(2, i) + h * f(4, i), 6);
      expect(right[i]).toBeCloseTo(f(1, i) + h * f(2, i) + h * f(5, i), 6);
    }
  });

  it('applies gain in dB, mute, and solo (solo wins over mute)', () => {
    const rig = new MixerRig();
    const song = rig.song('c', 512, [
      { id: 'a', channels: 1 },
      { id: 'b', channels: 1 },
      { id: 'c', channels: 1 },
    ]);
    rig.post(startCommand(song.instance, 0, 0), playCommand());
    rig.post(setStemCommand(song.instance, 0, dbToGain(-6), false, false), setStemCommand(song.instance, 1, 1, true, false));
    let [left] = rig.render(128);
    const g = 10 ** (-6 / 20);
    for (let i = 0; i < 128; i++) expect(left[i]).toBeCloseTo(g * value(song, 0, 0, i) + value(song, 2, 0, i), 6);
    // Solo the muted stem: only it plays, at its gain.
    rig.post(setStemCommand(song.instance, 1, 1, true, true));
    [left] = rig.render(128);
    for (let i = 0; i < 128; i++) expect(left[i]).toBeCloseTo(value(song, 1, 0, 128 + i), 6);
    rig.post(setStemCommand(song.instance, 1, 1, true, false));
    [left] = rig.render(128);
    for (let i = 0; i < 128; i++) expect(left[i]).toBeCloseTo(g * value(song, 0, 0, 256 + i) + value(song, 2, 0, 256 + i), 6);
  });

  it('plays missing data as silence for that stem only, keeps every stem on the one position, counts one underrun per quantum', () => {
    const rig = new MixerRig();
    const song = rig.song('d', 1024, [
      { id: 'ok', channels: 1 },
      { id: 'slow', channels: 1 },
    ]);
    rig.unload(song, 1);
    rig.load(song, 1, 0, 300); // only the first 300 frames of "slow" have arrived
    rig.post(startCommand(song.instance, 0, 0), playCommand());
    const [left] = rig.render(1024);
    for (let i = 0; i < 1024; i++) {
      const slow = i < 300 ? value(song, 1, 0, i) : 0;
      expect(left[i]).toBeCloseTo(value(song, 0, 0, i) + slow, 6);
    }
    // Quanta start at 0,128,...,896: the one holding frame 300 (256..383) and the 5 after it miss data.
    const counters = rig.counters(song);
    expect(counters.underrunQuanta).toBe(6);
    expect(counters.starvedQuanta).toEqual([0, 6]);
    const starved = rig.events().filter((e) => e.kind === MixerEventKind.StemStarved);
    expect(starved).toEqual([expect.objectContaining({ id: 1, outputFrame: 256, value: 84 })]);
  });

  it('does not count a muted or failed stem as starved', () => {
    const rig = new MixerRig();
    const song = rig.song('e', 512, [
      { id: 'ok', channels: 1 },
      { id: 'muted', channels: 1 },
      { id: 'broken', channels: 1 },
    ]);
    rig.unload(song, 1);
    rig.unload(song, 2);
    rig.post(setStemCommand(song.instance, 1, 1, true, false), failStemCommand(song.instance, 2), startCommand(song.instance, 0, 0), playCommand());
    rig.render(512);
    expect(rig.counters(song)).toMatchObject({ underrunQuanta: 0, firstAudioAtOutputFrame: 0 });
  });

  it('lands a seek at the first quantum whose target data is there, then crossfades 50 ms with equal power', () => {
    const rate = 48_000;
    const xfade = (50 * rate) / 1000; // 2400 frames
    const rig = new MixerRig();
    const song = rig.song('f', 20_000, [{ id: 'm', channels: 1 }], { loaded: false });
    rig.load(song, 0, 0, 9216); // the playing region; the target (10,000 on) is not loaded yet
    rig.post(startCommand(song.instance, 0, 0), playCommand());
    rig.render(1024);
    rig.post(seekCommand(7, song.instance, 10_000, xfade));
    rig.render(512); // the old position keeps playing while the target loads
    expect(rig.counters(song).position).toBe(1536);
    rig.load(song, 0, 10_000, 20_000); // the target arrives
    const out = rig.render(4096);
    const seen = rig.events();
    expect(seen.find((e) => e.kind === MixerEventKind.SeekLanded)).toMatchObject({ id: 7, outputFrame: 1536, value: 10_000, detail: 1536 });
    expect(seen.find((e) => e.kind === MixerEventKind.Released)).toMatchObject({ id: 7, outputFrame: 1536 + xfade });
    for (const k of [0, 1, 1200, 2399, 2400, 3000]) {
      const t = k / xfade;
      const fadeIn = k < xfade ? Math.sin((t * Math.PI) / 2) : 1;
      const fadeOut = k < xfade ? Math.cos((t * Math.PI) / 2) : 0;
      const expected = fadeIn * value(song, 0, 0, 10_000 + k) + fadeOut * value(song, 0, 0, 1536 + k);
      expect(out[0][k]).toBeCloseTo(expected, 6);
    }
    expect(rig.counters(song).position).toBe(10_000 + 4096);
  });

  it('moves the position at once, without crossfade, when paused', () => {
    const rig = new MixerRig();
    const song = rig.song('g', 20_000, [{ id: 'm', channels: 1 }]);
    rig.post(startCommand(song.instance, 0, 0), playCommand());
    rig.render(256);
    rig.post(pauseCommand(), seekCommand(1, song.instance, 5000, 2400));
    const [left] = rig.render(128);
    expect(left.every((v) => v === 0)).toBe(true);
    expect(rig.counters(song).position).toBe(5000);
    const kinds = rig.events().map((e) => e.kind);
    expect(kinds).toContain(MixerEventKind.SeekLanded);
  });

  it('continues into the armed next song with no gap, sample-exactly, even mid-quantum', () => {
    const rig = new MixerRig();
    const a = rig.song('h1', 1000, [{ id: 'x', channels: 1 }]);
    const b = rig.song('h2', 1000, [{ id: 'y', channels: 1 }]);
    rig.post(startCommand(a.instance, 0, 0), armNextCommand(b.instance), playCommand());
    const [left] = rig.render(1500);
    for (let i = 0; i < 1500; i++) {
      const expected = i < 1000 ? value(a, 0, 0, i) : value(b, 0, 0, i - 1000);
      expect(left[i]).toBeCloseTo(expected, 6);
    }
    expect(rig.counters(b).transitionGapFrames).toBe(0);
    const seen = rig.events();
    expect(seen.find((e) => e.kind === MixerEventKind.Ended)).toMatchObject({ song: 'h1', outputFrame: 1000 });
    expect(seen.filter((e) => e.kind === MixerEventKind.Started).map((e) => [e.song, e.outputFrame])).toEqual([
      ['h1', 0],
      ['h2', 1000],
    ]);
  });

  it('counts the frames waited for a next song that was not ready as the transition gap', () => {
    const rig = new MixerRig();
    const a = rig.song('i1', 1000, [{ id: 'x', channels: 1 }]);
    const b = rig.song('i2', 1000, [{ id: 'y', channels: 1 }], { loaded: false });
    rig.post(startCommand(a.instance, 0, 0), armNextCommand(b.instance), playCommand());
    rig.render(1280); // ends at 1000; 280 frames of gap (the rest of that quantum and one more)
    rig.load(b, 0, 0, 1000);
    const [left] = rig.render(128);
    expect(rig.counters(b).transitionGapFrames).toBe(280);
    expect(left[0]).toBeCloseTo(value(b, 0, 0, 0), 6);
  });

  it('fades the old song out over the jump fade while the new one starts when its data is there', () => {
    const rig = new MixerRig();
    const a = rig.song('j1', 48_000, [{ id: 'x', channels: 1 }]);
    const b = rig.song('j2', 48_000, [{ id: 'y', channels: 1 }]);
    rig.post(startCommand(a.instance, 0, 0), playCommand());
    rig.render(256);
    rig.post(startCommand(b.instance, 0, 960)); // 20 ms at 48 kHz
    const [left] = rig.render(1024);
    for (const k of [0, 100, 959, 960, 1000]) {
      const fadeOut = k < 960 ? Math.cos((k / 960) * (Math.PI / 2)) : 0;
      expect(left[k]).toBeCloseTo(fadeOut * value(a, 0, 0, 256 + k) + value(b, 0, 0, k), 6);
    }
    expect(rig.events().find((e) => e.kind === MixerEventKind.Released)).toMatchObject({ song: 'j1', id: -1, outputFrame: 256 + 960 });
  });

  it('adopts a registration only after the commands posted before it', () => {
    const rig = new MixerRig();
    const song = rig.song('r', 2048, [{ id: 'x', channels: 1 }]);
    // The stem fails, then the song is registered again (as a fallback to a whole decode does):
    // the failure belongs to the old registration, so the new one plays.
    rig.post(startCommand(song.instance, 0, 0), playCommand(), failStemCommand(song.instance, 0));
    rig.mixer.register(rig.registration(song), rig.client.posted);
    const [left] = rig.render(256);
    for (const i of [0, 100, 255]) expect(left[i]).toBeCloseTo(value(song, 0, 0, i), 6);
    // A command naming a song whose registration has not arrived waits for it, in order.
    const late = rig.song('late', 2048, [{ id: 'y', channels: 1 }]);
    const unknown = late.instance + 1;
    rig.post(startCommand(unknown, 0, 0));
    rig.render(128);
    expect(rig.client.status().pendingCommands).toBe(1);
    rig.mixer.register({ ...rig.registration(late), instance: unknown }, 0);
    rig.render(128);
    expect(rig.client.status()).toMatchObject({ pendingCommands: 0, currentSong: unknown });
  });

  it('renders steady-state quanta without allocating (no scavenge, flat heap)', async () => {
    const rig = new MixerRig();
    const song = rig.song('k', 128 * 4000, [
      { id: 'a', channels: 1 },
      { id: 'b', channels: 2 },
      { id: 'c', channels: 2 },
    ]);
    const mixer = rig.mixer;
    rig.post(startCommand(song.instance, 0, 0), playCommand());
    const out = [new Float32Array(128), new Float32Array(128)];
    for (let i = 0; i < 1000; i++) mixer.render(out, 128); // warm up the JIT
    rig.events();
    // 3000 quanta ≈ 8 s of audio. An allocation of even 32 bytes per quantum would grow the heap by
    // ~96 KB or trigger a scavenge. Jest itself may allocate in the background (timers), so the
    // measurement gets three tries; an allocating render fails all of them.
    const attempts: { scavenges: number; growth: number }[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      rig.post(seekCommand(100 + attempt, song.instance, 0, 0)); // back to the start, outside the measurement
      mixer.render(out, 128);
      rig.events();
      const scavenges: number[] = [];
      const observer = new PerformanceObserver((list) => {
        // Only scavenges (young-generation GCs) mean new allocation; a major GC may be finishing
        // incremental marking started by earlier tests.
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
    expect({ attempts: attempts.length, ...best }).toEqual({ attempts: attempts.length, scavenges: 0, growth: expect.any(Number) });
    expect(best.growth).toBeLessThan(32 * 1024);
    expect(rig.counters(song).position).toBeLessThan(song.frames);
  }, 20_000);
});
