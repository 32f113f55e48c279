import os from 'node:os';
import path from 'node:path';
import type { Seconds } from '@trax/engine-machines';

/** Everything `trax bench` can be told; {@link resolveBenchOptions} fills the defaults. */
export interface BenchOptions {
  /** Stems of the reference song (issue 8: 30). */
  readonly stems: number;
  /** Length of the reference song (issue 8: 360 s). */
  readonly songSeconds: Seconds;
  /** Runs of every measure (issue 8: 5), interleaved with their baselines. */
  readonly runs: number;
  /** Runs of the legacy baseline (~30 s each on 2 cores), interleaved with the first Trax runs. */
  readonly legacyRuns: number;
  /** Runs of the whole-song render for peak RSS (~25–45 s each). */
  readonly renderRuns: number;
  /** Runs of the cold-process rows (`trax play --seconds 1` waits ~5–8 s for its cache writes). */
  readonly processRuns: number;
  /** Runs of the real-time playthrough (3 minutes each). */
  readonly playthroughRuns: number;
  /** Random seek positions per run of the "seek outside the buffer" measure (issue 8: 50). */
  readonly seeks: number;
  /** Length of the real-time playthrough (issue 8: 180 s, at most the song's length). */
  readonly playthroughSeconds: Seconds;
  /** A seek every this many seconds during the playthrough (issue 8: 10 s). */
  readonly seekEverySeconds: Seconds;
  /** Songs of the setlist used for song jumps and transitions (issue 8: 10). */
  readonly setlistSongs: number;
  /** Length of each setlist song (shorter than the reference song). */
  readonly setlistSongSeconds: Seconds;
  /** Scratch folder for caches, child outputs and metrics files. */
  readonly benchDir: string;
  /** Write every raw figure here as JSON. */
  readonly json?: string;
  /** Write the table as Markdown here (`npm run bench` writes bench/RESULTS.md). */
  readonly markdown?: string;
  /** Seed of the random seek positions and song jumps. */
  readonly seed: number;
}

export type BenchOptionsInput = Partial<BenchOptions>;

/** `$TRAX_BENCH_DIR`, else `<os temp dir>/trax-bench`. */
export function defaultBenchDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env['TRAX_BENCH_DIR'] || path.join(os.tmpdir(), 'trax-bench'));
}

/**
 * Fills in the defaults. The costly measures run fewer times than `runs` by default so that the
 * whole bench stays under 10 minutes on 2 cores: legacy 3 (≈ 25–35 s each), whole-song render 2
 * (≈ 25–45 s each), cold process 3, the 3-minute playthrough once. The table shows every
 * measure's run count.
 */
export function resolveBenchOptions(input: BenchOptionsInput = {}): BenchOptions {
  const stems = input.stems ?? 30;
  const songSeconds = input.songSeconds ?? 360;
  const runs = input.runs ?? 5;
  const options: BenchOptions = {
    stems,
    songSeconds,
    runs,
    legacyRuns: input.legacyRuns ?? Math.min(runs, 3),
    renderRuns: input.renderRuns ?? Math.min(runs, 2),
    processRuns: input.processRuns ?? Math.min(runs, 3),
    playthroughRuns: input.playthroughRuns ?? 1,
    seeks: input.seeks ?? 50,
    // The playthrough starts at 0 and must end before the song does.
    playthroughSeconds: Math.min(input.playthroughSeconds ?? 180, songSeconds * 0.9),
    seekEverySeconds: input.seekEverySeconds ?? 10,
    setlistSongs: input.setlistSongs ?? 10,
    setlistSongSeconds: input.setlistSongSeconds ?? Math.min(40, songSeconds),
    benchDir: input.benchDir ?? defaultBenchDir(),
    json: input.json,
    markdown: input.markdown,
    seed: input.seed ?? 8,
  };
  for (const key of ['stems', 'runs', 'legacyRuns', 'renderRuns', 'processRuns', 'playthroughRuns', 'seeks', 'setlistSongs'] as const) {
    if (!Number.isInteger(options[key]) || options[key] < 1) throw new RangeError(`bench option ${key} must be a whole number ≥ 1, got ${options[key]}`);
  }
  for (const key of ['songSeconds', 'playthroughSeconds', 'seekEverySeconds', 'setlistSongSeconds'] as const) {
    if (!(options[key] > 0)) throw new RangeError(`bench option ${key} must be > 0 seconds, got ${options[key]}`);
  }
  // Song jumps need a song that is neither the one playing nor the next one.
  if (options.setlistSongs < 4) throw new RangeError(`bench option setlistSongs must be ≥ 4 (a jump skips the next song and needs one after it), got ${options.setlistSongs}`);
  if (options.songSeconds < 10) throw new RangeError(`bench option songSeconds must be ≥ 10 (seeks need room), got ${options.songSeconds}`);
  return options;
}
