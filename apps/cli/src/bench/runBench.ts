import { hasGnuTime } from './childRunner.js';
import type { BenchOptions } from './benchOptions.js';
import { describeMachine } from './machine.js';
import type { MachineInfo } from './machine.js';
import { MeasureLog } from './measureLog.js';
import type { MeasureId, MeasureRecord } from './measureLog.js';
import { coldPlayRun, traxPlayRun } from './measures/coldProcess.js';
import { chunkedDecodeRun, nativeDecodeRun } from './measures/decodeThroughput.js';
import { firstAudioAfterRestart, firstAudioInProcess } from './measures/firstAudio.js';
import { legacyRun } from './measures/legacyBaseline.js';
import { playthroughRun } from './measures/playthrough.js';
import { renderRun } from './measures/renderMemory.js';
import { insideSeekRun, outsideSeekRun } from './measures/seeks.js';
import { songJumpRun, transitionRun } from './measures/songJumps.js';
import { ScratchDirs } from './scratchDirs.js';
import { max, percentile, seededRandom } from './stats.js';
import { buildTable } from './table.js';
import type { TableRow } from './table.js';
import { AHEAD_FRAMES, QUANTUM_FRAMES } from './traxRig.js';
import { prepareWorkload } from './workload.js';
import type { Workload } from './workload.js';

/** Everything one bench run measured: `--json` writes it as is. */
export interface BenchReport {
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly durationMs: number;
  readonly machine: MachineInfo;
  readonly options: BenchOptions;
  readonly workload: {
    readonly encoder: string;
    readonly stems: number;
    readonly songSeconds: number;
    readonly referenceBytes: number;
    readonly setlistSongs: number;
    readonly setlistSongSeconds: number;
    readonly readyMs: number;
  };
  readonly setup: {
    readonly aheadFrames: number;
    readonly quantumFrames: number;
    readonly gnuTime: boolean;
    readonly coldProcessCommand: string;
    readonly throughputFiles: number;
    readonly seekPauseMs: number;
  };
  readonly measures: Record<MeasureId, MeasureRecord>;
  readonly table: TableRow[];
}

export interface BenchEnvironment {
  /** Progress lines (stderr). */
  readonly log: (line: string) => void;
  /** Whether `trax play` exists to time a cold process with. */
  readonly traxPlayAvailable: boolean;
}

/** Play between two random seeks: a performer hunting for a spot, clicking a few times a second. */
const SEEK_PAUSE_MS = 150;
/** Files decoded per throughput run: 3 × 6 min of audio ≈ 2–4 s a run on one core. */
const THROUGHPUT_FILES = 3;
/** Seeks inside the buffer per run; the run's figure is the slowest of them. */
const INSIDE_SEEKS = 3;
const MB = 1e6;

/**
 * Runs every measure of issue 8 and returns the raw figures and the judged table. Baselines run
 * interleaved with Trax's runs (A B A B); measures that failed a run record why and go on.
 *
 * @example
 * const report = await runBench(resolveBenchOptions({ stems: 3, songSeconds: 12, runs: 1 }), { log: console.error, traxPlayAvailable: true });
 * console.log(renderTextReport(report));
 */
export async function runBench(options: BenchOptions, env: BenchEnvironment): Promise<BenchReport> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const machine = describeMachine();
  const elapsed = () => {
    const s = Math.round((performance.now() - started) / 1000);
    return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
  };
  const log = (line: string) => env.log(`[${elapsed()}] ${line}`);
  const workload = await prepareWorkload(options, log);
  const measures = new MeasureLog();
  const scratch = new ScratchDirs(options.benchDir);
  const random = seededRandom(options.seed);
  try {
    await startupPhase(options, workload, measures, scratch, log);
    await seekPhase(options, workload, measures, scratch, random, log);
    await setlistPhase(options, workload, measures, scratch, random, log);
    await throughputPhase(options, workload, measures, log);
    await coldProcessPhase(options, workload, measures, scratch, env.traxPlayAvailable, log);
    await playthroughPhase(options, workload, measures, scratch, random, log);
  } finally {
    await scratch.removeAll();
  }
  const records = measures.toJSON();
  return {
    startedAt,
    finishedAt: new Date().toISOString(),
    durationMs: performance.now() - started,
    machine: { ...machine, loadAverage: { start: machine.loadAverage.start, end: describeMachine().loadAverage.start } },
    options,
    workload: {
      encoder: workload.encoder,
      stems: options.stems,
      songSeconds: options.songSeconds,
      referenceBytes: workload.referenceBytes,
      setlistSongs: options.setlistSongs,
      setlistSongSeconds: options.setlistSongSeconds,
      readyMs: workload.readyMs,
    },
    setup: {
      quantumFrames: QUANTUM_FRAMES,
      aheadFrames: AHEAD_FRAMES,
      gnuTime: hasGnuTime(),
      coldProcessCommand: env.traxPlayAvailable ? 'trax play DIR --seconds 1 (whole process); bench child cold-play (to first audio)' : 'bench child cold-play (trax play not available)',
      throughputFiles: Math.min(THROUGHPUT_FILES, workload.referenceFiles.length),
      seekPauseMs: SEEK_PAUSE_MS,
    },
    measures: records,
    table: buildTable(records),
  };
}

type Log = (line: string) => void;
const fmt = (value: number | null, unit = 'ms') => (value === null ? 'failed' : `${unit === 'MB' ? (value / MB).toFixed(1) : value.toFixed(1)} ${unit}`);

/**
 * First audio (uncached, cached, after a restart, resampled), the legacy baseline, and the
 * whole-song render for peak RSS, interleaved run by run. Run 1's uncached play keeps playing 1 s
 * and waits for its cache writes: that cache is the "second play" of every cached run.
 */
async function startupPhase(options: BenchOptions, workload: Workload, measures: MeasureLog, scratch: ScratchDirs, log: Log): Promise<void> {
  const playedCache = await scratch.fresh('played-once');
  for (let run = 0; run < options.runs; run++) {
    const tag = `run ${run + 1}/${options.runs}`;
    const cacheDir = run === 0 ? playedCache : await scratch.fresh('cold');
    let uncachedMs: number | null = null;
    try {
      const first = await firstAudioInProcess(workload.reference, cacheDir, run === 0 ? 1000 : 0);
      uncachedMs = first.firstAudioMs;
      measures.add('firstAudioUncached', first.firstAudioMs);
      measures.note('firstAudioUncached', 'cache', { hits: first.cacheHits, decodes: first.decodes });
    } catch (error) {
      measures.fail('firstAudioUncached', error);
    }
    log(`first audio, uncached, ${tag}: ${fmt(uncachedMs)}`);

    if (run < options.legacyRuns) {
      try {
        const legacy = await legacyRun(workload.reference, await scratch.fresh('legacy'));
        measures.addBaseline('firstAudioUncached', legacy.firstAudioMs);
        measures.addBaseline('peakRssRenderSampled', legacy.peakRssSampledBytes);
        if (legacy.maxRssBytes !== null) measures.addBaseline('peakRssRenderProcess', legacy.maxRssBytes);
        measures.note('firstAudioUncached', 'legacy', legacy);
        log(`legacy baseline, ${tag}: first audio ${fmt(legacy.firstAudioMs)}, peak RSS ${fmt(legacy.maxRssBytes ?? legacy.peakRssSampledBytes, 'MB')}`);
      } catch (error) {
        for (const id of ['firstAudioUncached', 'peakRssRenderSampled', 'peakRssRenderProcess'] as const) measures.fail(id, error, 'baseline');
        log(`legacy baseline, ${tag}: failed`);
      }
    }

    for (const id of ['firstAudioCached', 'firstAudioCachedRestart'] as const) if (uncachedMs !== null) measures.addBaseline(id, uncachedMs);
    const cached = await measures.attempt('firstAudioCached', async () => {
      const second = await firstAudioInProcess(workload.reference, playedCache);
      measures.note('firstAudioCached', 'cache', { hits: second.cacheHits, decodes: second.decodes });
      return second.firstAudioMs;
    });
    const restarted = await measures.attempt('firstAudioCachedRestart', async () => {
      const again = await firstAudioAfterRestart(workload.reference, playedCache);
      measures.note('firstAudioCachedRestart', 'cache', { hits: again.cacheHits, decodes: again.decodes });
      return again.firstAudioMs;
    });
    log(`first audio, cached (second play / after a restart), ${tag}: ${fmt(cached)} / ${fmt(restarted)}`);

    const resampled = await measures.attempt('firstAudioResampled', async () => (await firstAudioInProcess(workload.reference44k, await scratch.fresh('cold-44k'))).firstAudioMs);
    log(`first audio, 44.1 kHz resampled, ${tag}: ${fmt(resampled)}`);

    if (run < options.renderRuns) {
      // Run 1 also waits for the first minute's cache writes: the song's cache footprint.
      const withCache = run === 0;
      const renderCache = await scratch.fresh('render');
      try {
        const render = await renderRun(workload.reference, renderCache, withCache);
        measures.add('peakRssRenderSampled', render.peakRssSampledBytes);
        if (render.maxRssBytes !== null) measures.add('peakRssRenderProcess', render.maxRssBytes);
        else measures.fail('peakRssRenderProcess', new Error('GNU time (/usr/bin/time) is not installed: apt-get install time'));
        measures.note('peakRssRenderSampled', 'render', render);
        if (render.cache) {
          measures.add('cacheDiskPerSong', render.cache.bytes);
          measures.addBaseline('cacheDiskPerSong', 900 * MB);
          measures.note('cacheDiskPerSong', 'cache', render.cache);
        }
        log(`render the whole song, ${tag}: peak RSS ${fmt(render.maxRssBytes ?? render.peakRssSampledBytes, 'MB')} in ${fmt(render.wallMs)}${render.cache ? `, cache ${fmt(render.cache.bytes, 'MB')} after ${fmt(render.settleMs)} of writes` : ''}`);
      } catch (error) {
        for (const id of ['peakRssRenderSampled', 'peakRssRenderProcess', ...(withCache ? (['cacheDiskPerSong'] as const) : [])] as const) measures.fail(id, error);
        log(`render the whole song, ${tag}: failed`);
      }
    }
  }
  if (options.legacyRuns > 0 && measures.get('peakRssRenderProcess').baseline.values.length === 0 && !hasGnuTime()) {
    measures.fail('peakRssRenderProcess', new Error('GNU time (/usr/bin/time) is not installed: apt-get install time'), 'baseline');
  }
}

async function seekPhase(options: BenchOptions, workload: Workload, measures: MeasureLog, scratch: ScratchDirs, random: () => number, log: Log): Promise<void> {
  for (let run = 0; run < options.runs; run++) {
    const tag = `run ${run + 1}/${options.runs}`;
    const inside = await measures.attempt('seekInsideBuffer', async () => {
      const latencies = await insideSeekRun(workload.reference, await scratch.fresh('seek-in'), options.songSeconds, INSIDE_SEEKS);
      measures.note('seekInsideBuffer', 'latenciesMs', latencies);
      return max(latencies);
    });
    log(`seek inside the buffer (slowest of ${INSIDE_SEEKS}), ${tag}: ${fmt(inside)}`);
    const outside = await measures.attempt('seekOutsideBufferP90', async () => {
      const latencies = await outsideSeekRun(workload.reference, await scratch.fresh('seek-out'), options.songSeconds, options.seeks, random, SEEK_PAUSE_MS);
      measures.note('seekOutsideBufferP90', 'latenciesMs', latencies);
      return percentile(latencies, 90);
    });
    log(`seek outside the buffer, p90 of ${options.seeks}, ${tag}: ${fmt(outside)}`);
  }
}

async function setlistPhase(options: BenchOptions, workload: Workload, measures: MeasureLog, scratch: ScratchDirs, random: () => number, log: Log): Promise<void> {
  for (let run = 0; run < options.runs; run++) {
    const tag = `run ${run + 1}/${options.runs}`;
    try {
      const jump = await songJumpRun(workload.setlist, await scratch.fresh('jump'), options.setlistSongSeconds, random);
      measures.add('songJumpUncached', jump.uncachedMs);
      measures.add('songJumpPreloaded', jump.preloadedMs);
      measures.note('songJumpUncached', 'jump', jump);
      log(`song jump ${jump.from} → ${jump.to} (uncached) / → ${jump.preloadedTo} (preloaded), ${tag}: ${fmt(jump.uncachedMs)} / ${fmt(jump.preloadedMs)}`);
    } catch (error) {
      measures.fail('songJumpUncached', error);
      measures.fail('songJumpPreloaded', error);
      log(`song jumps, ${tag}: failed`);
    }
    const gap = await measures.attempt('transitionGap', async () => {
      const transition = await transitionRun(workload.setlist, await scratch.fresh('transition'), options.setlistSongSeconds);
      measures.note('transitionGap', 'transition', transition);
      return transition.gapFrames;
    });
    log(`transition at song end, ${tag}: ${gap === null ? 'failed' : `${gap} frames of gap`}`);
  }
}

async function throughputPhase(options: BenchOptions, workload: Workload, measures: MeasureLog, log: Log): Promise<void> {
  const files = workload.referenceFiles.slice(0, THROUGHPUT_FILES);
  for (let run = 0; run < options.runs; run++) {
    const tag = `run ${run + 1}/${options.runs}`;
    try {
      const chunked = await chunkedDecodeRun(files);
      measures.note('decodeThroughput', 'chunkedRealtimeFactor', chunked.realtimeFactor);
      const native = await nativeDecodeRun(files, chunked.audioSeconds);
      measures.addBaseline('decodeThroughput', native.realtimeFactor);
      measures.add('decodeThroughput', chunked.realtimeFactor / native.realtimeFactor);
      log(`decode throughput, ${tag}: 5 s chunks ${chunked.realtimeFactor.toFixed(0)}x realtime, flac -d ${native.realtimeFactor.toFixed(0)}x`);
    } catch (error) {
      measures.fail('decodeThroughput', error);
      log(`decode throughput, ${tag}: failed`);
    }
  }
}

async function coldProcessPhase(options: BenchOptions, workload: Workload, measures: MeasureLog, scratch: ScratchDirs, traxPlay: boolean, log: Log): Promise<void> {
  for (let run = 0; run < options.processRuns; run++) {
    const tag = `run ${run + 1}/${options.processRuns}`;
    let whole: number | null = null;
    if (traxPlay) whole = await measures.attempt('coldProcessWhole', async () => traxPlayRun(workload.reference.source, await scratch.fresh('cold-process')));
    try {
      const cold = await coldPlayRun(workload.reference, await scratch.fresh('cold-process'), 1);
      measures.add('coldProcessFirstAudio', cold.toFirstAudioMs);
      measures.note('coldProcessFirstAudio', 'run', cold);
      if (!traxPlay) {
        whole = cold.wholeMs;
        measures.add('coldProcessWhole', cold.wholeMs);
      }
      log(`cold process, ${tag}: whole ${fmt(whole)}, start → first audio ${fmt(cold.toFirstAudioMs)}`);
    } catch (error) {
      measures.fail('coldProcessFirstAudio', error);
      if (!traxPlay) measures.fail('coldProcessWhole', error);
      log(`cold process, ${tag}: failed`);
    }
  }
}

async function playthroughPhase(options: BenchOptions, workload: Workload, measures: MeasureLog, scratch: ScratchDirs, random: () => number, log: Log): Promise<void> {
  for (let run = 0; run < options.playthroughRuns; run++) {
    log(`real-time playthrough of ${options.playthroughSeconds} s with a seek every ${options.seekEverySeconds} s, run ${run + 1}/${options.playthroughRuns} (takes that long)`);
    const underruns = await measures.attempt('underrunsPlaythrough', async () => {
      const result = await playthroughRun(workload.reference, await scratch.fresh('playthrough'), options.songSeconds, options.playthroughSeconds, options.seekEverySeconds, random);
      measures.note('underrunsPlaythrough', 'run', result);
      return result.underruns;
    });
    log(`playthrough: ${underruns === null ? 'failed' : `${underruns} underruns`}`);
  }
}
