import { RealtimeSink, RenderSink, WavWriter, type Engine, type TimedAction } from '@trax/engine-machines';
import type { Command } from 'commander';
import { writeFile } from 'node:fs/promises';
import { UsageError } from '../cliErrors.js';
import { parseNonNegativeInt, parseNonNegativeNumber, parsePositiveInt } from '../options.js';
import { metricsReport, RssSampler } from '../play/playMetrics.js';
import { readScript, type ScriptAction } from '../play/playScript.js';
import { openPlaySession, type PlaySession } from '../play/playSession.js';
import { resolvePlayTargets } from '../play/playTargets.js';
import { ProgressLine } from '../progressLine.js';
import { cacheDirectory } from './cache.js';

interface PlayOptions {
  realtime?: boolean;
  render?: boolean;
  song?: string;
  seconds?: number;
  script?: string;
  out?: string;
  metrics?: string;
  inspectPort?: number;
  cacheDir?: string;
  cache: boolean;
  streaming: boolean;
  quiet?: boolean;
  rate: number;
  verbose?: boolean;
}

/** Longest wait at the end for the cache writes of what was played (a performer won't wait longer). */
const CACHE_SETTLE_MS = 60_000;

export function registerPlay(program: Command): void {
  program
    .command('play')
    .description('play a setlist, a folder or FLAC files headless through the engine')
    .argument('<targets...>', 'setlist JSON, a song or setlist folder, or FLAC files played together as one song')
    .option('--realtime', 'pace output like a sound card (default)')
    .option('--render', 'pull as fast as data is ready (a deterministic bounce)')
    .option('--song <id>', 'start at this song (default: the first)')
    .option('--seconds <s>', 'stop after this much output', parseNonNegativeNumber)
    .option('--script <file>', 'JSON list of timed actions ({ "at", "do", ... })')
    .option('--out <mix.wav>', 'write the mix as 32-bit float stereo WAV')
    .option('--metrics <file>', "write the engine's metrics JSON when done")
    .option('--inspect-port <n>', 'serve inspection over a WebSocket on 127.0.0.1:<n> (0 = any free port)', parseNonNegativeInt)
    .option('--cache-dir <dir>', 'cache folder (default: $TRAX_CACHE_DIR or the OS cache folder)')
    .option('--no-cache', 'do not read or write the chunk cache')
    .option('--no-streaming', 'legacy playback: decode every stem whole first')
    .option('--rate <hz>', 'output sample rate', parsePositiveInt, 48_000)
    .option('--quiet', 'no progress line')
    .option('--verbose', 'log loader activity to stderr')
    .action(async (targets: string[], options: PlayOptions) => play(targets, options));
}

async function play(targets: string[], options: PlayOptions): Promise<void> {
  if (options.realtime && options.render) throw new UsageError('choose one of --realtime and --render');
  const setlist = await resolvePlayTargets(targets);
  const firstSong = options.song ?? setlist.songs[0].id;
  if (!setlist.songs.some((s) => s.id === firstSong)) {
    throw new UsageError(`--song "${firstSong}" is not in ${setlist.source} (songs: ${setlist.songs.map((s) => s.id).join(', ')})`);
  }
  const script = options.script ? await readScript(options.script) : [];
  const session = await openPlaySession({
    setlist,
    sampleRate: options.rate,
    cacheDir: cacheDirectory(options.cacheDir),
    cache: options.cache,
    streaming: options.streaming,
    inspectPort: options.inspectPort,
    verbose: options.verbose,
  });
  if (session.inspect) process.stderr.write(`trax: inspection on ws://127.0.0.1:${session.inspect.port}/\n`);
  const rss = new RssSampler();
  const progress = new ProgressLine(process.stderr, options.quiet);
  const stopping = { requested: false };
  const onSignal = () => {
    stopping.requested = true;
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  // A song that cannot play (even by the legacy fallback) fails the command: exit 1, its reason on stderr.
  const failures: string[] = [];
  const failedSub = session.engine.actor.on('song.failed', (event) => failures.push(event.reason));
  const startedSub = session.engine.actor.on('song.started', (event) => rss.songStarted(event.songId));
  try {
    const actions: TimedAction[] = [{ at: 0, run: () => session.engine.playSong(firstSong) }, ...script.map((a) => toTimedAction(a, session.engine))];
    if (options.render) {
      await renderRun(session, actions, options, progress, stopping);
    } else {
      if (progress.enabled) process.stderr.write('trax: playing in real time; press Ctrl+C to stop\n');
      await realtimeRun(session, actions, options, progress, stopping);
    }
    progress.end();
    session.engine.pause();
    if (options.cache && session.loader.pendingJobs > 0) {
      process.stderr.write('trax: finishing cache writes of what was played…\n');
      if (!(await session.settle(CACHE_SETTLE_MS))) process.stderr.write('trax: gave up waiting for cache writes; they resume next time\n');
    }
    rss.stop();
    if (options.metrics) await writeFile(options.metrics, `${JSON.stringify(metricsReport(session.engine.metrics(), rss, options.render ? 'render' : 'realtime'), null, 2)}\n`);
    if (failures.length > 0) throw new Error(failures.length > 1 ? `${failures[0]} (and ${failures.length - 1} more failed songs)` : failures[0]);
  } finally {
    failedSub.unsubscribe();
    startedSub.unsubscribe();
    rss.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await session.close();
  }
}

function toTimedAction(action: ScriptAction, engine: Engine): TimedAction {
  const run = (): void => {
    switch (action.do) {
      case 'seek':
        return engine.seek(action.to);
      case 'play-song':
        return engine.playSong(action.song);
      case 'pause':
        return engine.pause();
      case 'play':
        return engine.play();
      case 'mute':
      case 'unmute':
        return engine.setStem({ stem: action.stem, muted: action.do === 'mute' });
      case 'solo':
      case 'unsolo':
        return engine.setStem({ stem: action.stem, solo: action.do === 'solo' });
      case 'gain':
        return engine.setStem({ stem: action.stem, gainDb: action.db });
    }
  };
  return { at: action.at, run };
}

function progressText(session: PlaySession): { text: string; fraction?: number } {
  const m = session.engine.metrics();
  const song = m.songs.findLast((s) => s.song === m.currentSong);
  const fills = song ? Object.values(song.stems).map((s) => s.bufferedSeconds) : [];
  const minFill = fills.length > 0 ? Math.min(...fills) : 0;
  const clock = (seconds: number) => `${Math.floor(seconds / 60)}:${(seconds % 60).toFixed(1).padStart(4, '0')}`;
  const where = song ? `${clock(song.positionSeconds)} / ${clock(song.durationSeconds)}` : '—';
  return { text: `▶ ${m.currentSong ?? '—'}  ${where}  buffer ≥ ${minFill.toFixed(1)} s  underruns ${song?.underruns ?? 0}` };
}

async function renderRun(
  session: PlaySession,
  actions: TimedAction[],
  options: PlayOptions,
  progress: ProgressLine,
  stopping: { requested: boolean },
): Promise<void> {
  const ticker = setInterval(() => progress.update(progressText(session).text), 200);
  try {
    await new RenderSink(session.engine.playback).run({
      script: actions,
      seconds: options.seconds,
      wavPath: options.out,
      onAudio: () => {
        if (stopping.requested) throw new Error('stopped by signal');
      },
    });
  } finally {
    clearInterval(ticker);
  }
}

async function realtimeRun(
  session: PlaySession,
  actions: TimedAction[],
  options: PlayOptions,
  progress: ProgressLine,
  stopping: { requested: boolean },
): Promise<void> {
  const { engine } = session;
  const sampleRate = engine.sampleRate;
  const limit = options.seconds === undefined ? Infinity : Math.round(options.seconds * sampleRate);
  const due = actions.map((a) => ({ ...a, frame: Math.round(a.at * sampleRate) }));
  let rendered = 0;
  let next = 0;
  // Actions at frame 0 run before the first quantum; later ones right after the quantum that
  // reaches their time, so they take effect at the first quantum at or after it.
  while (next < due.length && due[next].frame <= 0) due[next++].run();
  let ended = false;
  const endedSub = engine.actor.on('setlist.ended', () => (ended = true));
  const wav = options.out ? await WavWriter.create(options.out, sampleRate, 2) : null;
  const sink = new RealtimeSink(engine.playback, {
    onAudio: (out, frames) => {
      wav?.write(out, frames);
      rendered += frames;
      while (next < due.length && due[next].frame <= rendered) due[next++].run();
    },
  });
  sink.start();
  try {
    while (!ended && !stopping.requested && rendered < limit) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      progress.update(progressText(session).text);
    }
  } finally {
    sink.stop();
    endedSub.unsubscribe();
    await wav?.close();
  }
}
