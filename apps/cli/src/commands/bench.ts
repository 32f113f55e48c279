import type { Command } from 'commander';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { resolveBenchOptions } from '../bench/benchOptions.js';
import { renderTextReport, writeMarkdownReport } from '../bench/report.js';
import { runBench } from '../bench/runBench.js';
import { UsageError } from '../cliErrors.js';
import { parseNonNegativeInt, parsePositiveInt } from '../options.js';

interface BenchCommandOptions {
  json?: string;
  markdown?: string;
  songSeconds?: number;
  stems?: number;
  runs?: number;
  legacyRuns?: number;
  renderRuns?: number;
  processRuns?: number;
  playthroughRuns?: number;
  playthroughSeconds?: number;
  seeks?: number;
  setlistSongs?: number;
  setlistSongSeconds?: number;
  seed?: number;
}

const positiveSeconds = (value: string): number => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`"${value}" is not a number of seconds > 0.`);
  return n;
};

/**
 * `trax bench`: the plan's latency and memory table (issue 8), measured on a real-size song,
 * every Trax figure next to its baseline measured in the same run.
 */
export function registerBench(program: Command): void {
  program
    .command('bench')
    .description("measure first audio, seeks, song jumps, transitions, memory, underruns, decode throughput and cache size against the plan's targets and baselines")
    .option('--json <file>', 'write every raw figure as JSON')
    .option('--markdown <file>', 'write the table as Markdown (npm run bench: bench/RESULTS.md)')
    .option('--song-seconds <s>', 'length of the reference song (default 360)', positiveSeconds)
    .option('--stems <n>', 'stems per song (default 30)', parsePositiveInt)
    .option('--runs <r>', 'runs of every measure (default 5)', parsePositiveInt)
    .option('--legacy-runs <n>', 'runs of the legacy baseline, ~30 s each (default min(runs, 3))', parsePositiveInt)
    .option('--render-runs <n>', 'runs of the whole-song render for peak RSS, ~25–45 s each (default min(runs, 2))', parsePositiveInt)
    .option('--process-runs <n>', 'runs of the cold-process rows (default min(runs, 3))', parsePositiveInt)
    .option('--playthrough-runs <n>', 'runs of the real-time playthrough (default 1)', parsePositiveInt)
    .option('--playthrough-seconds <s>', 'length of the real-time playthrough (default 180)', positiveSeconds)
    .option('--seeks <n>', 'random seeks per run outside the buffer (default 50)', parsePositiveInt)
    .option('--setlist-songs <n>', 'songs in the setlist for jumps and transitions (default 10)', parsePositiveInt)
    .option('--setlist-song-seconds <s>', 'length of each setlist song (default 40)', positiveSeconds)
    .option('--seed <n>', 'seed of the random seek positions and jumps', parseNonNegativeInt)
    .action(async (options: BenchCommandOptions) => {
      let resolved;
      try {
        resolved = resolveBenchOptions(options);
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
      const traxPlayAvailable = program.commands.some((command) => command.name() === 'play');
      const report = await runBench(resolved, { log: (line) => process.stderr.write(`${line}\n`), traxPlayAvailable });
      process.stdout.write(renderTextReport(report));
      if (resolved.json) {
        await mkdir(path.dirname(path.resolve(resolved.json)), { recursive: true });
        await writeFile(resolved.json, `${JSON.stringify(report, null, 2)}\n`);
      }
      if (resolved.markdown) await writeMarkdownReport(resolved.markdown, report);
    });
}
