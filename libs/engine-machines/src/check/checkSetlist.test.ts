import { describe, expect, it } from '@jest/globals';
import type { Setlist, SongSpec } from '../setlist/setlistTypes.js';
import { fakeCacheCoverage, fakeStemFacts, fakeStemProber, fakeThroughputMeter } from '../testing/fakeCheckPorts.js';
import { checkSetlist } from './checkSetlist.js';

const stem = (song: string, id: string) => ({ id, path: `/gig/${song}/${id}.flac`, gainDb: 0 });
const song = (id: string, stems: string[], extra: Partial<SongSpec> = {}): SongSpec => ({ id, title: id, stems: stems.map((s) => stem(id, s)), ...extra });
const setlistOf = (...songs: SongSpec[]): Setlist => ({ name: 'Friday', source: '/gig/setlist.json', songs });

// 60 s at 48 kHz = 2,880,000 frames; at 44.1 kHz = 2,646,000 (→ 2,880,000 at 48 kHz).
const MINUTE = 2_880_000;

describe('checkSetlist', () => {
  it('reports a missing stem, a truncated one, a 44.1 kHz one and a short one exactly', async () => {
    const prober = fakeStemProber({
      '/gig/one/drums.flac': fakeStemFacts(),
      '/gig/one/keys.flac': fakeStemFacts({ sampleRate: 44_100, frames: 2_646_000 }),
      '/gig/one/short.flac': fakeStemFacts({ frames: MINUTE - 48_000 }),
      '/gig/one/cut.flac': fakeStemFacts({ presentFrames: 1_234_567 }),
      '/gig/one/edge.flac': fakeStemFacts({ frames: MINUTE + 1 }),
    });
    const report = await checkSetlist(setlistOf(song('one', ['drums', 'bass', 'keys', 'short', 'cut', 'edge'])), { prober });
    const [one] = report.songs;
    expect(one.problems).toEqual([
      { severity: 'error', kind: 'missing-file', stem: 'bass', message: 'bass: /gig/one/bass.flac does not exist' },
      // 1,234,567 / 48,000 = 25.720 s
      { severity: 'error', kind: 'truncated', stem: 'cut', message: 'cut: /gig/one/cut.flac is truncated: its audio ends at 0:25.720 of 1:00.000' },
      {
        severity: 'warning',
        kind: 'sample-rate-mismatch',
        stem: 'keys',
        message: "keys: 44100 Hz while the song's other stems are 48000 Hz (it is resampled to 48000 Hz as it plays)",
      },
      { severity: 'warning', kind: 'length-mismatch', stem: 'short', message: "short: 48000 frames (1.000 s) shorter than the song's other stems (1:00.000)" },
    ]);
    expect(one.playable).toBe(false);
    expect(report.playable).toBe(false);
    expect(one.lengthFrames).toBe(MINUTE + 1); // the longest stem; 'edge' is within 1 frame of the others
    expect(one.stems.find((s) => s.stem === 'bass')).toEqual({ stem: 'bass', location: '/gig/one/bass.flac', readable: false });
    expect(one.stems.find((s) => s.stem === 'keys')).toMatchObject({ readable: true, sampleRate: 44_100, frames: 2_646_000, outputFrames: MINUTE, seconds: 60 });
  });

  it('says a healthy setlist is playable, with warnings only', async () => {
    const prober = fakeStemProber({ '/gig/a/x.flac': fakeStemFacts(), '/gig/a/y.flac': fakeStemFacts({ sampleRate: 96_000, frames: 96_000 * 60 }) });
    const report = await checkSetlist(setlistOf(song('a', ['x', 'y'])), { prober });
    expect(report.playable).toBe(true);
    expect(report.songs[0].problems.map((p) => p.kind)).toEqual(['sample-rate-mismatch']);
    expect(report.problems).toEqual([]);
    expect(report.cache).toBeUndefined();
    expect(report.throughput).toBeUndefined();
  });

  it('reports unreadable, non-FLAC, unsupported and corrupt stems as errors', async () => {
    const prober = fakeStemProber({
      '/gig/s/a.flac': { ok: false, kind: 'unreadable-file', message: '/gig/s/a.flac is not readable (EACCES)' },
      '/gig/s/b.flac': { ok: false, kind: 'not-flac', message: '/gig/s/b.flac: not a readable FLAC file (byte 0): no fLaC marker' },
      '/gig/s/c.flac': { ok: false, kind: 'unsupported-format', message: '/gig/s/c.flac: unsupported FLAC feature: 32-bit samples' },
      '/gig/s/d.flac': fakeStemFacts({ corruptFrames: [{ at: 1_440_000, message: 'CRC-16 mismatch' }, { at: 2_875_904, message: 'CRC-16 mismatch' }] }),
    });
    const report = await checkSetlist(setlistOf(song('s', ['a', 'b', 'c', 'd'])), { prober });
    expect(report.songs[0].problems.map((p) => [p.severity, p.kind, p.stem])).toEqual([
      ['error', 'unreadable-file', 'a'],
      ['error', 'not-flac', 'b'],
      ['error', 'unsupported-format', 'c'],
      ['error', 'corrupt-frames', 'd'],
    ]);
    // 1,440,000 / 48,000 = 30 s; 2,875,904 / 48,000 = 59.9147 s
    expect(report.songs[0].problems[3].message).toBe('d: 2 corrupt frames at 0:30.000, 0:59.915 in /gig/s/d.flac (CRC-16 mismatch)');
  });

  it('checks sections, tempo changes and crossfades against the songs\' lengths', async () => {
    const prober = fakeStemProber({ '/gig/a/x.flac': fakeStemFacts(), '/gig/b/x.flac': fakeStemFacts({ frames: 48_000 * 10 }) });
    const a = song('a', ['x'], {
      sections: [
        { name: 'Verse', at: 0 },
        { name: 'Coda', at: 61 },
      ],
      tempoMap: [
        { at: 0, bpm: 120, beatsPerBar: 4, beatUnit: 4 },
        { at: 30, bpm: 100, beatsPerBar: 4, beatUnit: 4 },
      ],
      transition: { kind: 'crossfade', seconds: 12 },
    });
    const report = await checkSetlist(setlistOf(a, song('b', ['x'])), { prober });
    expect(report.songs[0].problems).toEqual([
      {
        severity: 'error',
        kind: 'timing',
        jsonPath: 'sections[1].at',
        message: 'sections[1].at: section "Coda" starts at 1:01.000, at or after the song\'s end (1:00.000)',
      },
      {
        severity: 'error',
        kind: 'timing',
        jsonPath: 'transition.crossfade',
        message: 'transition.crossfade: a crossfade of 12 s is longer than the next song (0:10.000)',
      },
    ]);
    expect(report.songs[1].playable).toBe(true);
  });

  it('reports how much of each song and of the setlist is cached, at the engine rate', async () => {
    const prober = fakeStemProber({
      '/gig/a/x.flac': fakeStemFacts(),
      '/gig/a/y.flac': fakeStemFacts({ sampleRate: 44_100, frames: 2_646_000 }),
      '/gig/b/x.flac': fakeStemFacts({ frames: 48_000 * 20 }),
    });
    // Song a: x has 12 chunks (60 s), y 3 (15 s) → the song has 15 s of 60 cached.
    // Song b (20 s): nothing cached, 20 s cacheable.
    const cache = fakeCacheCoverage({ 'a/x': 12, 'a/y': 3 });
    const report = await checkSetlist(setlistOf(song('a', ['x', 'y']), song('b', ['x'])), { prober, cache });
    expect(report.songs[0].cache).toEqual({ cachedSeconds: 15, cacheableSeconds: 60 });
    expect(report.songs[0].stems.map((s) => s.cachedSeconds)).toEqual([60, 15]);
    expect(report.songs[1].cache).toEqual({ cachedSeconds: 0, cacheableSeconds: 20 });
    expect(report.cache).toEqual({ cachedSeconds: 15, cacheableSeconds: 80, fraction: 15 / 80 });
    // The cache is asked at the engine's rate and chunk size: 5 s × 48,000.
    expect(cache.queries[1]).toMatchObject({ song: 'a', stem: 'y', sampleRate: 48_000, outputFrames: MINUTE, chunkFrames: 240_000 });
  });

  it('a short stem cached to its end does not hold its song back; a hole in it does', async () => {
    const prober = fakeStemProber({
      '/gig/a/long.flac': fakeStemFacts(), // 60 s
      '/gig/a/short.flac': fakeStemFacts({ frames: 48_000 * 10 }), // 10 s = 2 chunks
    });
    const setlist = setlistOf(song('a', ['long', 'short']));
    const whole = await checkSetlist(setlist, { prober, cache: fakeCacheCoverage({ 'a/long': 3, 'a/short': 2 }) });
    expect(whole.songs[0].cache).toEqual({ cachedSeconds: 15, cacheableSeconds: 60 });
    const holed = await checkSetlist(setlist, { prober, cache: fakeCacheCoverage({ 'a/long': 3, 'a/short': 1 }) });
    expect(holed.songs[0].cache).toEqual({ cachedSeconds: 5, cacheableSeconds: 60 });
  });

  it('compares the disk read speed with the heaviest song and warns below 2×', async () => {
    const prober = fakeStemProber({
      '/gig/a/x.flac': fakeStemFacts(), // 100 KB/s
      '/gig/b/x.flac': fakeStemFacts(),
      '/gig/b/y.flac': fakeStemFacts({ bytes: 60 * 150_000 }), // b reads 250 KB/s
    });
    const setlist = setlistOf(song('a', ['x']), song('b', ['x', 'y']));
    const fast = await checkSetlist(setlist, { prober, throughput: fakeThroughputMeter({ bytes: 1_000_000, seconds: 2 }) }); // 500 KB/s = 2×
    expect(fast.throughput).toEqual({ bytes: 1_000_000, seconds: 2, bytesPerSecond: 500_000, neededBytesPerSecond: 250_000, heaviestSong: 'b' });
    expect(fast.problems).toEqual([]);
    const meter = fakeThroughputMeter({ bytes: 1_000_000, seconds: 2.5 }); // 400 KB/s < 2 × 250 KB/s
    const slow = await checkSetlist(setlist, { prober, throughput: meter });
    expect(slow.problems).toEqual([
      {
        severity: 'warning',
        kind: 'slow-disk',
        message: 'the disk read the setlist\'s files at 0.4 MB/s; "b" reads 0.3 MB/s as it plays — less than 2× that leaves no margin for refills after a jump',
      },
    ]);
    expect(slow.playable).toBe(true);
    expect(meter.files).toEqual(['/gig/a/x.flac', '/gig/b/x.flac', '/gig/b/y.flac']);
  });

  it('measures only readable local files, never URLs', async () => {
    const url = 'https://band.example/a/y.flac';
    const prober = fakeStemProber({ '/gig/a/x.flac': fakeStemFacts(), [url]: fakeStemFacts() });
    const meter = fakeThroughputMeter({ bytes: 10, seconds: 1 });
    const setlist = setlistOf({ id: 'a', title: 'a', stems: [stem('a', 'x'), { id: 'y', path: url, gainDb: 0 }, stem('a', 'gone')] });
    await checkSetlist(setlist, { prober, throughput: meter });
    expect(meter.files).toEqual(['/gig/a/x.flac']);
    expect(prober.probed).toEqual(['/gig/a/x.flac', url, '/gig/a/gone.flac']);
  });

  it('probes a few stems at a time and reports progress', async () => {
    const table = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`/gig/a/s${i}.flac`, fakeStemFacts()]));
    const prober = fakeStemProber(table, 5);
    const progress: number[] = [];
    await checkSetlist(setlistOf(song('a', Object.keys(table).map((_, i) => `s${i}`))), { prober }, { concurrency: 3, onProgress: (done, total) => progress.push(done * 100 + total) });
    expect(prober.maxInFlight).toBe(3);
    expect(progress).toEqual(Array.from({ length: 10 }, (_, i) => (i + 1) * 100 + 10));
  });
});
