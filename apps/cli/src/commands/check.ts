import { checkSetlist, formatClock, SetlistError, type CheckProblem, type SetlistCheck, type SetlistProblem, type SongCheck } from '@trax/engine-machines';
import { loadSetlist, nodeCacheCoverage, nodeStemProber, nodeThroughputMeter } from '@trax/engine-machines/node';
import { StreamingCache } from '@trax/streaming-cache/node';
import type { Command } from 'commander';
import { EXIT_FAILURE } from '../cliErrors.js';
import { parsePositiveInt } from '../options.js';
import { ProgressLine } from '../progressLine.js';
import { cacheDirectory } from './cache.js';

interface CheckOptions {
  json?: boolean;
  cacheDir?: string;
  cache: boolean;
  rate: number;
  quiet?: boolean;
}

/** `trax check --json` when the setlist itself cannot be read: its problems, no songs. */
export interface UnreadableSetlistReport {
  setlist: { source: string };
  playable: false;
  setlistErrors: SetlistProblem[];
  songs: [];
  problems: [];
}

export function registerCheck(program: Command): void {
  program
    .command('check')
    .description('pre-show check: read every stem of a setlist (headers, a frame in the middle and at the end) and report what would go wrong')
    .argument('<setlist>', 'setlist JSON, or a song or setlist folder')
    .option('--json', 'print the report as JSON')
    .option('--cache-dir <dir>', 'cache folder to report coverage of (default: $TRAX_CACHE_DIR or the OS cache folder)')
    .option('--no-cache', 'do not look at the cache')
    .option('--rate <hz>', "the engine's output sample rate (as trax play --rate)", parsePositiveInt, 48_000)
    .option('--quiet', 'no progress line')
    .action(async (target: string, options: CheckOptions) => check(target, options));
}

async function check(target: string, options: CheckOptions): Promise<void> {
  let setlist;
  try {
    setlist = await loadSetlist(target, { checkStemFiles: false }); // missing stems are reported per song below
  } catch (error) {
    if (!(error instanceof SetlistError)) throw error;
    const report: UnreadableSetlistReport = { setlist: { source: error.file }, playable: false, setlistErrors: [...error.problems], songs: [], problems: [] };
    process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : error.problems.map((p) => `${p.file ?? error.file}: ${p.jsonPath}: ${p.problem}\n`).join(''));
    process.stderr.write(`trax: ${error.file}: the setlist cannot be read (${error.problems.length} problem${error.problems.length === 1 ? '' : 's'})\n`);
    process.exitCode = EXIT_FAILURE;
    return;
  }

  const cache = options.cache ? await StreamingCache.open({ directory: cacheDirectory(options.cacheDir) }) : undefined;
  const progress = new ProgressLine(process.stderr, options.quiet || options.json);
  let report: SetlistCheck;
  try {
    report = await checkSetlist(
      setlist,
      { prober: nodeStemProber(), throughput: nodeThroughputMeter(), ...(cache ? { cache: nodeCacheCoverage(cache) } : {}) },
      { sampleRate: options.rate, onProgress: (done, total) => progress.update(`checking ${done}/${total} stems`, done / total) },
    );
  } finally {
    progress.end();
    await cache?.close();
  }
  process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
  const failing = report.songs.filter((song) => !song.playable).length;
  if (failing > 0) {
    process.stderr.write(`trax: ${failing} of ${report.songs.length} song${report.songs.length === 1 ? '' : 's'} cannot play\n`);
    process.exitCode = EXIT_FAILURE;
  }
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const problemLine = (p: CheckProblem) => `    ${p.severity.padEnd(7)}  ${p.message}\n`;

function songLine(song: SongCheck): string {
  const warnings = song.problems.filter((p) => p.severity === 'warning').length;
  const state = song.playable ? (warnings > 0 ? `${warnings} warning${warnings === 1 ? '' : 's'}` : 'ok') : 'cannot play';
  const cached = song.cache ? `, cached ${song.cache.cachedSeconds.toFixed(1)} of ${song.cache.cacheableSeconds.toFixed(1)} s` : '';
  const title = song.title === song.song ? '' : ` "${song.title}"`;
  return `${song.playable ? '[ok]  ' : '[FAIL]'} ${song.song}${title}  ${formatClock(song.lengthSeconds)}, ${song.stems.length} stems${cached}: ${state}\n`;
}

/** The human-readable report: one line per song, its problems indented, then cache and disk. */
function formatReport(report: SetlistCheck): string {
  const stems = report.songs.reduce((sum, song) => sum + song.stems.length, 0);
  let text = `${report.setlist.name} (${report.setlist.source}): ${report.songs.length} songs, ${stems} stems, at ${report.sampleRate} Hz\n\n`;
  for (const song of report.songs) text += songLine(song) + song.problems.map(problemLine).join('');
  text += '\n';
  if (report.cache)
    text += `Cache: ${report.cache.cachedSeconds.toFixed(1)} of ${report.cache.cacheableSeconds.toFixed(1)} s of the songs' starts cached (${Math.round(report.cache.fraction * 100)} %)\n`;
  if (report.throughput) {
    const t = report.throughput;
    text += `Disk: read ${mb(t.bytes)} in ${t.seconds.toFixed(3)} s (${mb(t.bytesPerSecond)}/s); "${t.heaviestSong}" reads ${mb(t.neededBytesPerSecond)}/s as it plays\n`;
  }
  text += report.problems.map(problemLine).join('');
  const failing = report.songs.filter((song) => !song.playable).length;
  text += failing === 0 ? `All ${report.songs.length} songs can play.\n` : `${failing} of ${report.songs.length} songs cannot play.\n`;
  return text;
}
