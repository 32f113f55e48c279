import { describe, expect, it } from '@jest/globals';
import { PerformanceObserver, constants } from 'node:perf_hooks';
import { syntheticPcm } from '../testing/syntheticPcm.js';
import { Mixer } from './Mixer.js';
import { armNextCommand, failStemCommand, pauseCommand, playCommand, seekCommand, setStemCommand, startCommand } from './MixerCommand.js';
import { MixerEventKind } from './MixerEvent.js';
import { BUFFER_SETS, MixSong, MixStem } from './MixSong.js';
import type { PcmReader } from './PcmReader.js';
import { dbToGain } from './gain.js';

/** A whole stem of which only frames [from, to) are "loaded". */
class WindowReader implements PcmReader {
  constructor(
    readonly data: Float32Array[],
    public from = 0,
    public to = Number.POSITIVE_INFINITY,
  ) {}
  framesAvailableAt(position: number): number {
    const end = Math.min(this.to, this.data[0].length);
    return position >= this.from && position < end ? end - position : 0;
  }
  read(position: number, frames: number, out: Float32Array[], offset: number): number {
    let missing = 0;
    const end = Math.min(this.to, this.data[0].length);
    for (let i = 0; i < frames; i++) {
      const p = position + i;
      const ok = p >= this.from && p < end;
      if (!ok) missing++;
      for (let c = 0; c < this.data.length; c++) out[c][offset + i] = ok ? this.data[c][p] : 0;
    }
    return missing;
  }
}

interface StemFixture {
  id: string;
  channels: number;
  readers: WindowReader[];
}

let nextSongId = 1;
function makeSong(songId: string, frames: number, stems: { id: string; channels: number }[]): { song: MixSong; fixtures: StemFixture[] } {
  const fixtures = stems.map((s) => {
    const data = syntheticPcm(songId, s.id, s.channels, 0, frames);
    return { id: s.id, channels: s.channels, readers: Array.from({ length: BUFFER_SETS }, () => new WindowReader(data)) };
  });
  const mixStems = fixtures.map((f, i) => new MixStem(i, f.channels, f.readers, frames, 1));
  return { song: new MixSong(nextSongId++, songId, frames, mixStems), fixtures };
}

function renderAll(mixer: Mixer, frames: number, quantum = 128): Float32Array[] {
  const out = [new Float32Array(frames), new Float32Array(frames)];
  const block = [new Float32Array(quantum), new Float32Array(quantum)];
  for (let at = 0; at < frames; at += quantum) {
    const n = Math.min(quantum, frames - at);
    mixer.render(block, n);
    out[0].set(block[0].subarray(0, n), at);
    out[1].set(block[1].subarray(0, n), at);
  }
  return out;
}

function events(mixer: Mixer): { kind: number; id: number; outputFrame: number; value: number; song: string | undefined }[] {
  const seen: { kind: number; id: number; outputFrame: number; value: number; song: string | undefined }[] = [];
  mixer.drainEvents((e) => seen.push({ kind: e.kind, id: e.id, outputFrame: e.outputFrame, value: e.value, song: e.song?.songId }));
  return seen;
}

const value = (f: StemFixture, channel: number, frame: number) => f.readers[0].data[channel][frame];

describe('Mixer', () => {
  it('mixes mono stems to both sides and stereo stems side by side, at unit gain exactly their sum', () => {
    const { song, fixtures } = makeSong('a', 1000, [
      { id: 'kick', channels: 1 },
      { id: 'keys', channels: 2 },
    ]);
    const mixer = new Mixer();
    mixer.post(startCommand(song, 0, 0, 0));
    mixer.post(playCommand());
    const [left, right] = renderAll(mixer, 1000);
    for (let i = 0; i < 1000; i++) {
      expect(left[i]).toBeCloseTo(value(fixtures[0], 0, i) + value(fixtures[1], 0, i), 6);
      expect(right[i]).toBeCloseTo(value(fixtures[0], 0, i) + value(fixtures[1], 1, i), 6);
    }
    expect(song.position).toBe(1000);
    expect(events(mixer).map((e) => e.kind)).toEqual([MixerEventKind.Started, MixerEventKind.FirstAudio, MixerEventKind.Ended]);
  });

  it('downmixes a 6-channel stem: fronts to their side, centre and surrounds at -3 dB, LFE dropped', () => {
    const { song, fixtures } = makeSong('b', 256, [{ id: 'surround', channels: 6 }]);
    const mixer = new Mixer();
    mixer.post(startCommand(song, 0, 0, 0));
    mixer.post(playCommand());
    const [left, right] = renderAll(mixer, 256);
    const f = fixtures[0];
    const h = Math.SQRT1_2;
    for (const i of [0, 17, 255]) {
      expect(left[i]).toBeCloseTo(value(f, 0, i) + h * value(f, 2, i) + h * value(f, 4, i), 6);
      expect(right[i]).toBeCloseTo(value(f, 1, i) + h * value(f, 2, i) + h * value(f, 5, i), 6);
    }
  });

  it('applies gain in dB, mute, and solo (solo wins over mute)', () => {
    const { song, fixtures } = makeSong('c', 512, [
      { id: 'a', channels: 1 },
      { id: 'b', channels: 1 },
      { id: 'c', channels: 1 },
    ]);
    const mixer = new Mixer();
    mixer.post(startCommand(song, 0, 0, 0));
    mixer.post(playCommand());
    mixer.post(setStemCommand(song, 0, dbToGain(-6), false, false));
    mixer.post(setStemCommand(song, 1, 1, true, false));
    let [left] = renderAll(mixer, 128);
    const g = 10 ** (-6 / 20);
    for (let i = 0; i < 128; i++) expect(left[i]).toBeCloseTo(g * value(fixtures[0], 0, i) + value(fixtures[2], 0, i), 6);
    // Solo the muted stem: only it plays, at its gain.
    mixer.post(setStemCommand(song, 1, 1, true, true));
    [left] = renderAll(mixer, 128);
    for (let i = 0; i < 128; i++) expect(left[i]).toBeCloseTo(value(fixtures[1], 0, 128 + i), 6);
    expect(song.soloCount).toBe(1);
    mixer.post(setStemCommand(song, 1, 1, true, false));
    [left] = renderAll(mixer, 128);
    for (let i = 0; i < 128; i++) expect(left[i]).toBeCloseTo(g * value(fixtures[0], 0, 256 + i) + value(fixtures[2], 0, 256 + i), 6);
  });

  it('plays missing data as silence for that stem only, keeps every stem on the one position, counts one underrun per quantum', () => {
    const { song, fixtures } = makeSong('d', 1024, [
      { id: 'ok', channels: 1 },
      { id: 'slow', channels: 1 },
    ]);
    fixtures[1].readers[0].to = 300; // only the first 300 frames of "slow" have arrived
    const mixer = new Mixer();
    mixer.post(startCommand(song, 0, 0, 0));
    mixer.post(playCommand());
    const [left] = renderAll(mixer, 1024);
    for (let i = 0; i < 1024; i++) {
      const slow = i < 300 ? value(fixtures[1], 0, i) : 0;
      expect(left[i]).toBeCloseTo(value(fixtures[0], 0, i) + slow, 6);
    }
    // Quanta start at 0,128,...,896: the one holding frame 300 (256..383) and the 5 after it miss data.
    expect(song.underrunQuanta).toBe(6);
    expect(song.stems[1].starvedQuanta).toBe(6);
    expect(song.stems[0].starvedQuanta).toBe(0);
    const starved = events(mixer).filter((e) => e.kind === MixerEventKind.StemStarved);
    expect(starved).toEqual([expect.objectContaining({ id: 1, outputFrame: 256, value: 84 })]);
  });

  it('does not count a muted or failed stem as starved', () => {
    const { song, fixtures } = makeSong('e', 512, [
      { id: 'ok', channels: 1 },
      { id: 'muted', channels: 1 },
      { id: 'broken', channels: 1 },
    ]);
    fixtures[1].readers[0].to = 0;
    fixtures[2].readers[0].to = 0;
    const mixer = new Mixer();
    mixer.post(setStemCommand(song, 1, 1, true, false));
    mixer.post(failStemCommand(song, 2));
    mixer.post(startCommand(song, 0, 0, 0));
    mixer.post(playCommand());
    renderAll(mixer, 512);
    expect(song.underrunQuanta).toBe(0);
    expect(song.firstAudioAtOutputFrame).toBe(0);
  });

  it('lands a seek at the first quantum whose target data is there, then crossfades 50 ms with equal power', () => {
    const rate = 48_000;
    const xfade = (50 * rate) / 1000; // 2400 frames
    const { song, fixtures } = makeSong('f', 20_000, [{ id: 'm', channels: 1 }]);
    const target = fixtures[0].readers[1];
    target.from = 10_000;
    target.to = 10_000; // nothing loaded yet in set 1
    const mixer = new Mixer();
    mixer.post(startCommand(song, 0, 0, 0));
    mixer.post(playCommand());
    renderAll(mixer, 1024);
    mixer.post(seekCommand(7, song, 1, 10_000, xfade));
    renderAll(mixer, 512); // the old position keeps playing while the target loads
    expect(song.position).toBe(1536);
    target.to = 20_000; // the target arrives
    const out = renderAll(mixer, 4096);
    const seen = events(mixer);
    expect(seen.find((e) => e.kind === MixerEventKind.SeekLanded)).toMatchObject({ id: 7, outputFrame: 1536, value: 10_000 });
    expect(seen.find((e) => e.kind === MixerEventKind.Released)).toMatchObject({ id: 7, outputFrame: 1536 + xfade, value: 0 });
    for (const k of [0, 1, 1200, 2399, 2400, 3000]) {
      const t = k / xfade;
      const fadeIn = k < xfade ? Math.sin((t * Math.PI) / 2) : 1;
      const fadeOut = k < xfade ? Math.cos((t * Math.PI) / 2) : 0;
      const expected = fadeIn * value(fixtures[0], 0, 10_000 + k) + fadeOut * value(fixtures[0], 0, 1536 + k);
      expect(out[0][k]).toBeCloseTo(expected, 6);
    }
    expect(song.position).toBe(10_000 + 4096);
  });

  it('moves the position at once, without crossfade, when paused', () => {
    const { song } = makeSong('g', 20_000, [{ id: 'm', channels: 1 }]);
    const mixer = new Mixer();
    mixer.post(startCommand(song, 0, 0, 0));
    mixer.post(playCommand());
    renderAll(mixer, 256);
    mixer.post(pauseCommand());
    mixer.post(seekCommand(1, song, 0, 5000, 2400));
    const [left] = renderAll(mixer, 128);
    expect(left.every((v) => v === 0)).toBe(true);
    expect(song.position).toBe(5000);
    const kinds = events(mixer).map((e) => e.kind);
    expect(kinds).toContain(MixerEventKind.SeekLanded);
  });

  it('continues into the armed next song with no gap, sample-exactly, even mid-quantum', () => {
    const a = makeSong('h1', 1000, [{ id: 'x', channels: 1 }]);
    const b = makeSong('h2', 1000, [{ id: 'y', channels: 1 }]);
    const mixer = new Mixer();
    mixer.post(startCommand(a.song, 0, 0, 0));
    mixer.post(armNextCommand(b.song, 0));
    mixer.post(playCommand());
    const [left] = renderAll(mixer, 1500);
    for (let i = 0; i < 1500; i++) {
      const expected = i < 1000 ? value(a.fixtures[0], 0, i) : value(b.fixtures[0], 0, i - 1000);
      expect(left[i]).toBeCloseTo(expected, 6);
    }
    expect(b.song.transitionGapFrames).toBe(0);
    const seen = events(mixer);
    expect(seen.find((e) => e.kind === MixerEventKind.Ended)).toMatchObject({ song: 'h1', outputFrame: 1000 });
    expect(seen.filter((e) => e.kind === MixerEventKind.Started).map((e) => [e.song, e.outputFrame])).toEqual([
      ['h1', 0],
      ['h2', 1000],
    ]);
  });

  it('counts the frames waited for a next song that was not ready as the transition gap', () => {
    const a = makeSong('i1', 1000, [{ id: 'x', channels: 1 }]);
    const b = makeSong('i2', 1000, [{ id: 'y', channels: 1 }]);
    b.fixtures[0].readers[0].to = 0;
    const mixer = new Mixer();
    mixer.post(startCommand(a.song, 0, 0, 0));
    mixer.post(armNextCommand(b.song, 0));
    mixer.post(playCommand());
    renderAll(mixer, 1280); // ends at 1000; 280 frames of gap (the rest of that quantum and one more)
    b.fixtures[0].readers[0].to = 1000;
    const [left] = renderAll(mixer, 128);
    expect(b.song.transitionGapFrames).toBe(280);
    expect(left[0]).toBeCloseTo(value(b.fixtures[0], 0, 0), 6);
  });

  it('fades the old song out over the jump fade while the new one starts when its data is there', () => {
    const a = makeSong('j1', 48_000, [{ id: 'x', channels: 1 }]);
    const b = makeSong('j2', 48_000, [{ id: 'y', channels: 1 }]);
    const mixer = new Mixer();
    mixer.post(startCommand(a.song, 0, 0, 0));
    mixer.post(playCommand());
    renderAll(mixer, 256);
    mixer.post(startCommand(b.song, 0, 0, 960)); // 20 ms at 48 kHz
    const [left] = renderAll(mixer, 1024);
    for (const k of [0, 100, 959, 960, 1000]) {
      const fadeOut = k < 960 ? Math.cos((k / 960) * (Math.PI / 2)) : 0;
      expect(left[k]).toBeCloseTo(fadeOut * value(a.fixtures[0], 0, 256 + k) + value(b.fixtures[0], 0, k), 6);
    }
    expect(events(mixer).find((e) => e.kind === MixerEventKind.Released)).toMatchObject({ song: 'j1', id: -1, outputFrame: 256 + 960 });
  });

  it('renders steady-state quanta without allocating (no scavenge, flat heap)', async () => {
    const { song } = makeSong('k', 128 * 4000, [
      { id: 'a', channels: 1 },
      { id: 'b', channels: 2 },
      { id: 'c', channels: 2 },
    ]);
    const mixer = new Mixer();
    mixer.post(startCommand(song, 0, 0, 0));
    mixer.post(playCommand());
    const out = [new Float32Array(128), new Float32Array(128)];
    for (let i = 0; i < 1000; i++) mixer.render(out, 128); // warm up the JIT
    mixer.drainEvents(() => undefined);
    // 3000 quanta ≈ 8 s of audio. An allocation of even 32 bytes per quantum would grow the heap by
    // ~96 KB or trigger a scavenge. Jest itself may allocate in the background (timers), so the
    // measurement gets three tries; an allocating render fails all of them.
    const attempts: { scavenges: number; growth: number }[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      mixer.post(seekCommand(100 + attempt, song, 0, 0, 0)); // back to the start, outside the measurement
      mixer.render(out, 128);
      mixer.drainEvents(() => undefined);
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
    expect(song.position).toBeLessThan(song.totalFrames);
  }, 20_000);
});
