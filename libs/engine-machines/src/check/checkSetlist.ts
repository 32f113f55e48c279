import { formatClock } from '../music/formatClock.js';
import { songTimingProblems } from '../setlist/songTimingProblems.js';
import type { Setlist, SongSpec } from '../setlist/setlistTypes.js';
import { isStemUrl } from '../setlist/stemLocation.js';
import type { Frames, Seconds } from '../units.js';
import type { CheckPorts, StemFacts, StemProbe } from './checkPorts.js';
import { CHECK_SEVERITY, type CheckProblem, type CheckProblemKind, type SetlistCheck, type SongCheck, type StemCheck } from './SetlistCheck.js';

export interface CheckSetlistOptions {
  /** The engine's output rate: lengths are compared and reported at it. Default 48,000. */
  readonly sampleRate?: number;
  /** The loader's chunk length (what the cache stores). Default 5. */
  readonly chunkSeconds?: Seconds;
  /** Stems probed at once. Default 4: probes are short reads, mostly waiting on the disk. */
  readonly concurrency?: number;
  /** Called after each stem is probed. */
  readonly onProgress?: (probed: number, total: number) => void;
}

/**
 * The disk must read the setlist's files at least this many times faster than the heaviest song
 * plays them: the loader reads ahead of playback and refills every stem after each jump, so a disk
 * that only just keeps up at 1× underruns on the first jump.
 */
export const SLOW_DISK_FACTOR = 2;
/** Stems whose lengths differ by at most this many frames are the same length (resampling rounds). */
export const LENGTH_TOLERANCE_FRAMES = 1;

interface ProbedStem {
  readonly stem: string;
  readonly location: string;
  readonly probe: StemProbe;
}

const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/**
 * The pre-show check: reads every stem's headers and a frame in its middle and at its end (through
 * `ports.prober`), then reports per song what would go wrong on stage — missing, unreadable,
 * non-FLAC or unsupported files, truncated files, corrupt frames, stems at another sample rate or
 * of another length than the song's others, sections or tempo changes past the song's end — plus
 * how much of the setlist's first minutes is in the disk cache and whether the disk reads the
 * setlist's files fast enough. Pure orchestration: every effect is a port.
 *
 * @example
 * const report = await checkSetlist(await loadSetlist('gig.json', { checkStemFiles: false }), {
 *   prober: nodeStemProber(), cache: nodeCacheCoverage(cache), throughput: nodeThroughputMeter(),
 * });
 * if (!report.playable) process.exitCode = 1;
 */
export async function checkSetlist(setlist: Setlist, ports: CheckPorts, options: CheckSetlistOptions = {}): Promise<SetlistCheck> {
  const sampleRate = options.sampleRate ?? 48_000;
  const chunkFrames = Math.max(1, Math.round((options.chunkSeconds ?? 5) * sampleRate));
  const jobs = setlist.songs.flatMap((song) => song.stems.map((stem) => ({ stem: stem.id, location: stem.path })));
  let probed = 0;
  const probes = await mapConcurrently(jobs, options.concurrency ?? 4, async (job): Promise<ProbedStem> => {
    const probe = await ports.prober.probe(job.location);
    options.onProgress?.(++probed, jobs.length);
    return { ...job, probe };
  });

  let next = 0;
  const probedSongs = setlist.songs.map((song) => probes.slice(next, (next += song.stems.length)));
  const lengths = probedSongs.map((stems) => Math.max(0, ...stems.map((s) => (s.probe.ok ? outputFrames(s.probe, sampleRate) : 0))));
  const songs: SongCheck[] = [];
  for (const [i, song] of setlist.songs.entries()) {
    songs.push(await checkSong(song, probedSongs[i], { sampleRate, chunkFrames, lengthFrames: lengths[i], nextLengthFrames: lengths[i + 1], ports }));
  }

  const problems: CheckProblem[] = [];
  const cache = ports.cache ? cacheTotals(songs) : undefined;
  const throughput = ports.throughput ? await measureThroughput(songs, probes, ports.throughput, problems) : undefined;
  return {
    setlist: { name: setlist.name, source: setlist.source },
    sampleRate,
    playable: songs.every((song) => song.playable),
    songs,
    problems,
    ...(cache ? { cache } : {}),
    ...(throughput ? { throughput } : {}),
  };
}

function problem(kind: CheckProblemKind, message: string, extra: { stem?: string; jsonPath?: string } = {}): CheckProblem {
  return { severity: CHECK_SEVERITY[kind], kind, ...extra, message };
}

/** Length at the engine's rate, as the decoder resamples it: ⌈frames × out / in⌉. */
function outputFrames(facts: StemFacts, sampleRate: number): Frames {
  return Math.ceil((facts.frames * sampleRate) / facts.sampleRate);
}

async function checkSong(
  song: SongSpec,
  probed: readonly ProbedStem[],
  context: { sampleRate: number; chunkFrames: Frames; lengthFrames: Frames; nextLengthFrames: Frames | undefined; ports: CheckPorts },
): Promise<SongCheck> {
  const { sampleRate, lengthFrames } = context;
  const problems: CheckProblem[] = [];
  const readable = probed.filter((s): s is ProbedStem & { probe: StemFacts } => s.probe.ok);

  for (const { stem, probe } of probed) {
    if (!probe.ok) problems.push(problem(probe.kind, `${stem}: ${probe.message}`, { stem }));
  }
  for (const { stem, location, probe } of readable) {
    if (probe.presentFrames < probe.frames)
      problems.push(
        problem('truncated', `${stem}: ${location} is truncated: its audio ends at ${formatClock(probe.presentFrames / probe.sampleRate)} of ${formatClock(probe.frames / probe.sampleRate)}`, { stem }),
      );
    if (probe.corruptFrames.length > 0) {
      const where = probe.corruptFrames.map((c) => formatClock(c.at / probe.sampleRate)).join(', ');
      const count = probe.corruptFrames.length;
      problems.push(problem('corrupt-frames', `${stem}: ${count} corrupt frame${count === 1 ? '' : 's'} at ${where} in ${location} (${probe.corruptFrames[0].message})`, { stem }));
    }
  }
  problems.push(...sampleRateMismatches(readable, sampleRate), ...lengthMismatches(readable, sampleRate));

  if (readable.length > 0) {
    for (const p of songTimingProblems(song, lengthFrames, sampleRate)) problems.push(problem('timing', `${p.jsonPath}: ${p.problem}`, { jsonPath: p.jsonPath }));
    const transition = song.transition;
    if (transition?.kind === 'crossfade' && context.nextLengthFrames && transition.seconds * sampleRate > context.nextLengthFrames)
      problems.push(
        problem('timing', `transition.crossfade: a crossfade of ${transition.seconds} s is longer than the next song (${formatClock(context.nextLengthFrames / sampleRate)})`, {
          jsonPath: 'transition.crossfade',
        }),
      );
  }

  const coverage = new Map<string, { cachedFrames: Frames; cacheableFrames: Frames }>();
  if (context.ports.cache) {
    for (const { stem, location, probe } of readable)
      coverage.set(stem, await context.ports.cache.coverage({ song: song.id, stem, location, facts: probe, sampleRate, outputFrames: outputFrames(probe, sampleRate), chunkFrames: context.chunkFrames }));
  }
  const stems: StemCheck[] = probed.map(({ stem, location, probe }) => {
    if (!probe.ok) return { stem, location, readable: false };
    const cached = coverage.get(stem);
    return {
      stem,
      location,
      readable: true,
      sampleRate: probe.sampleRate,
      channels: probe.channels,
      bitDepth: probe.bitDepth,
      frames: probe.frames,
      outputFrames: outputFrames(probe, sampleRate),
      seconds: probe.frames / probe.sampleRate,
      bytes: probe.bytes,
      ...(cached ? { cachedSeconds: cached.cachedFrames / sampleRate } : {}),
    };
  });
  // The song's cacheable start is its longest stem's; a stem cached to its end (a shorter one)
  // does not hold the song back, any other stem's hole does.
  const cacheable = Math.max(0, ...[...coverage.values()].map((c) => c.cacheableFrames));
  const cached = Math.min(cacheable, ...[...coverage.values()].map((c) => (c.cachedFrames >= c.cacheableFrames ? cacheable : c.cachedFrames)));
  return {
    song: song.id,
    title: song.title,
    playable: problems.every((p) => p.severity !== 'error'),
    lengthFrames,
    lengthSeconds: lengthFrames / sampleRate,
    stems,
    problems,
    readBytesPerSecond: readable.reduce((sum, { probe }) => sum + (probe.frames > 0 ? (probe.bytes * probe.sampleRate) / probe.frames : 0), 0),
    ...(coverage.size > 0 ? { cache: { cachedSeconds: cached / sampleRate, cacheableSeconds: cacheable / sampleRate } } : {}),
  };
}

/** The value most stems share; ties go to `prefer` when it is among them, else to the largest. */
function commonValue(values: readonly number[], prefer?: number): number {
  const counts = new Map<number, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  const top = Math.max(...counts.values());
  const tied = [...counts.keys()].filter((value) => counts.get(value) === top);
  return prefer !== undefined && tied.includes(prefer) ? prefer : Math.max(...tied);
}

function sampleRateMismatches(stems: readonly (ProbedStem & { probe: StemFacts })[], sampleRate: number): CheckProblem[] {
  if (stems.length < 2) return [];
  const common = commonValue(
    stems.map((s) => s.probe.sampleRate),
    sampleRate,
  );
  return stems
    .filter((s) => s.probe.sampleRate !== common)
    .map((s) =>
      problem('sample-rate-mismatch', `${s.stem}: ${s.probe.sampleRate} Hz while the song's other stems are ${common} Hz (it is resampled to ${sampleRate} Hz as it plays)`, {
        stem: s.stem,
      }),
    );
}

function lengthMismatches(stems: readonly (ProbedStem & { probe: StemFacts })[], sampleRate: number): CheckProblem[] {
  if (stems.length < 2) return [];
  const lengths = stems.map((s) => outputFrames(s.probe, sampleRate));
  const common = commonValue(lengths);
  return stems.flatMap((s, i) => {
    const difference = lengths[i] - common;
    if (Math.abs(difference) <= LENGTH_TOLERANCE_FRAMES) return [];
    const how = difference < 0 ? 'shorter' : 'longer';
    return [
      problem(
        'length-mismatch',
        `${s.stem}: ${Math.abs(difference)} frames (${(Math.abs(difference) / sampleRate).toFixed(3)} s) ${how} than the song's other stems (${formatClock(common / sampleRate)})`,
        { stem: s.stem },
      ),
    ];
  });
}

function cacheTotals(songs: readonly SongCheck[]): SetlistCheck['cache'] {
  const cachedSeconds = songs.reduce((sum, song) => sum + (song.cache?.cachedSeconds ?? 0), 0);
  const cacheableSeconds = songs.reduce((sum, song) => sum + (song.cache?.cacheableSeconds ?? 0), 0);
  return { cachedSeconds, cacheableSeconds, fraction: cacheableSeconds > 0 ? cachedSeconds / cacheableSeconds : 0 };
}

async function measureThroughput(
  songs: readonly SongCheck[],
  probes: readonly ProbedStem[],
  meter: NonNullable<CheckPorts['throughput']>,
  problems: CheckProblem[],
): Promise<SetlistCheck['throughput']> {
  const files = probes.filter((s) => s.probe.ok && !isStemUrl(s.location)).map((s) => s.location);
  if (files.length === 0) return undefined;
  const sample = await meter.measure(files);
  if (sample.bytes === 0 || sample.seconds <= 0) return undefined;
  const heaviest = songs.reduce((a, b) => (b.readBytesPerSecond > a.readBytesPerSecond ? b : a));
  const bytesPerSecond = sample.bytes / sample.seconds;
  const needed = heaviest.readBytesPerSecond;
  if (bytesPerSecond < SLOW_DISK_FACTOR * needed)
    problems.push(
      problem(
        'slow-disk',
        `the disk read the setlist's files at ${megabytes(bytesPerSecond)}/s; "${heaviest.song}" reads ${megabytes(needed)}/s as it plays — ` +
          `less than ${SLOW_DISK_FACTOR}× that leaves no margin for refills after a jump`,
      ),
    );
  return { bytes: sample.bytes, seconds: sample.seconds, bytesPerSecond, neededBytesPerSecond: needed, heaviestSong: heaviest.song };
}

/** `map` with at most `limit` calls in flight, results in input order (small enough not to need a library). */
async function mapConcurrently<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
