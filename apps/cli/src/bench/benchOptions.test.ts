import { describe, expect, it } from '@jest/globals';
import path from 'node:path';
import { defaultBenchDir, resolveBenchOptions } from './benchOptions.js';
import { parseGnuTimeMaxRss } from './childRunner.js';
import { randomOutside } from './measures/seeks.js';
import { seededRandom } from './stats.js';

describe('bench options', () => {
  it("defaults to the issue's workload: 30 stems × 360 s, 5 runs, 50 seeks, 3-minute playthrough, 10 songs", () => {
    const o = resolveBenchOptions({ benchDir: '/tmp/b' });
    expect(o).toMatchObject({ stems: 30, songSeconds: 360, runs: 5, seeks: 50, playthroughSeconds: 180, seekEverySeconds: 10, setlistSongs: 10, setlistSongSeconds: 40 });
    // The costly ones run fewer times (the table says so): legacy 3, render 2, cold process 3, playthrough 1.
    expect(o).toMatchObject({ legacyRuns: 3, renderRuns: 2, processRuns: 3, playthroughRuns: 1 });
  });

  it('scales down for a smoke run', () => {
    const o = resolveBenchOptions({ stems: 3, songSeconds: 12, runs: 1 });
    expect(o).toMatchObject({ legacyRuns: 1, renderRuns: 1, processRuns: 1, setlistSongSeconds: 12 });
    expect(o.playthroughSeconds).toBeCloseTo(10.8, 10); // 90 % of the song: it ends before the song does
  });

  it('refuses values a run cannot use', () => {
    expect(() => resolveBenchOptions({ runs: 0 })).toThrow(/runs must be a whole number ≥ 1/);
    expect(() => resolveBenchOptions({ setlistSongs: 3 })).toThrow(/setlistSongs must be ≥ 4/);
    expect(() => resolveBenchOptions({ songSeconds: 5 })).toThrow(/songSeconds must be ≥ 10/);
    expect(() => resolveBenchOptions({ seekEverySeconds: 0 })).toThrow(/seekEverySeconds must be > 0/);
  });

  it('keeps scratch files under $TRAX_BENCH_DIR, else the temp folder', () => {
    expect(defaultBenchDir({ TRAX_BENCH_DIR: 'rel/dir' })).toBe(path.resolve('rel/dir'));
    expect(defaultBenchDir({})).toMatch(/trax-bench$/);
  });
});

describe('bench helpers', () => {
  it("reads the child's peak RSS from GNU time's report (kbytes → bytes)", () => {
    const report = '\tCommand being timed: "node x.js"\n\tMaximum resident set size (kbytes): 4404020\n\tExit status: 0\n';
    expect(parseGnuTimeMaxRss(report)).toBe(4_404_020 * 1024);
    expect(parseGnuTimeMaxRss('no report')).toBeNull();
  });

  it('draws seek targets outside the window the last seek left', () => {
    const random = seededRandom(1);
    for (let i = 0; i < 500; i++) {
      const target = randomOutside(random, 358, 100, 125);
      expect(target >= 0 && target < 358).toBe(true);
      expect(target < 100 || target >= 125).toBe(true);
    }
  });
});
