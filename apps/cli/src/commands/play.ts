import { RenderSink, type Engine, type LegacyProgress, type TimedAction } from '@trax/engine-machines';
import { nodeJournalStore, RealtimeSink } from '@trax/engine-machines/node';
import { InvalidArgumentError, type Command } from 'commander';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../cliErrors.js';
import { parseNonNegativeInt, parseNonNegativeNumber, parsePositiveInt } from '../options.js';
import { checkMixFormat, openMixOutput, type MixOutput } from '../play/mixOutput.js';
import { metricsReport, RssSampler } from '../play/playMetrics.js';
import { readScript, type ScriptAction } from '../play/playScript.js';
import { openPlaySession, type PlaySession } from '../play/playSession.js';
import { resolvePlayTargets } from '../play/playTargets.js';
import { ProgressLine } from '../progressLine.js';
import { traxDataDir } from '../paths.js';
import { cacheDirectory } from './cache.js';

interface PlayOptions {
  realtime?: boolean;
  render?: boolean;
  song?: string;
  seconds?: number;
  script?: string;
  out?: string;
  format: string;
  metrics?: string;
  inspectPort?: number;
  cacheDir?: string;
  cache: boolean;
  streaming: boolean;
  quiet?: boolean;
  rate: number;
  verbose?: boolean;
  /** `--journal FILE`, or false with `--no-journal` (default true: the data folder's resume.json). */
  journal: string | boolean;
  resume?: true | 'play';
}

/** Where `trax play` journals the show by default: `resume.json` in trax's data folder. */
export function defaultJournalFile(): string {
  return path.join(traxDataDir(), 'resume.json');
}

/** `--resume` takes no value or `=play`; anything else is most likely a setlist placed after it. */
function parseResume(value: string): 'play' {
  if (value === 'play') return 'play';
  throw new InvalidArgumentError(`"${value}" is not "play" (write --resume=play, or put --resume after the setlist)`);
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
    .option('--out <mix.wav|->', 'write the mix: a 32-bit float stereo WAV file, or raw PCM on stdout with -')
    .option('--format <f32le|s16le>', 'encoding of --out - (raw interleaved stereo at --rate)', 'f32le')
    .option('--metrics <file>', "write the engine's metrics JSON when done")
    .option('--inspect-port <n>', 'serve inspection over a WebSocket on 127.0.0.1:<n> (0 = any free port)', parseNonNegativeInt)
    .option('--cache-dir <dir>', 'cache folder (default: $TRAX_CACHE_DIR or the OS cache folder)')
    .option('--no-cache', 'do not read or write the chunk cache')
    .option('--no-streaming', 'legacy playback: decode every stem whole first')
    .option('--rate <hz>', 'output sample rate', parsePositiveInt, 48_000)
    .option('--quiet', 'no progress line')
    .option('--verbose', 'log loader activity to stderr')
    .option('--journal <file>', 'where to journal the show for --resume (default: resume.json in the data folder)')
    .option('--no-journal', 'do not journal the show')
    .option('--resume [play]', 're-arm the journaled song at its bar with its mix and loop, paused (--resume=play: playing)', parseResume)
    .action(async (targets: string[], options: PlayOptions) => play(targets, options));
}

async function play(targets: string[], options: PlayOptions): Promise<void> {
  if (options.realtime && options.render) throw new UsageError('choose one of --realtime and --render');
  if (options.resume && options.song) throw new UsageError('choose one of --resume and --song');
  if (options.resume && options.journal === false) throw new UsageError('--resume needs the journal (drop --no-journal)');
  // Paused, an offline render would render silence for ever: it needs a length or a script to play.
  if (options.resume === true && options.render && options.seconds === undefined && !options.script) throw new UsageError('--resume (paused) with --render needs --seconds or a --script that plays');
  const setlist = await resolvePlayTargets(targets);
  const firstSong = options.song ?? setlist.songs[0].id;
  if (!setlist.songs.some((s) => s.id === firstSong)) {
    throw new UsageError(`--song "${firstSong}" is not in ${setlist.source} (songs: ${setlist.songs.map((s) => s.id).join(', ')})`);
  }
  const script = options.script ? await readScript(options.script) : [];
  const format = checkMixFormat(options.format);
  const output = options.out ? await openMixOutput(options.out, format, options.rate) : null;
  // Real time: the mixer runs on its own audio thread, started before the engine that drives it.
  const sink = options.render ? null : await RealtimeSink.start({ sampleRate: options.rate, onAudio: output ? (pcm, frames) => output.writeInterleaved(pcm, frames) : undefined });
  const session = await openPlaySession({
    setlist,
    sampleRate: options.rate,
    cacheDir: cacheDirectory(options.cacheDir),
    cache: options.cache,
    streaming: options.streaming,
    inspectPort: options.inspectPort,
    verbose: options.verbose,
    mixer: sink?.mixer,
    journal: options.journal === false ? undefined : nodeJournalStore(typeof options.journal === 'string' ? options.journal : defaultJournalFile()),
    resume: options.resume,
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
  const legacySub = session.engine.actor.on('legacy.progress', (event) => legacyProgress.set(event.songId, event.progress));
  // A refused jump or loop is the performer's to fix, not a failure of the run.
  const warn = (what: string) => (event: { songId: string; reason: string }) => process.stderr.write(`trax: ${what} refused in ${event.songId}: ${event.reason}\n`);
  const refusedSubs = [session.engine.actor.on('jump.rejected', warn('jump')), session.engine.actor.on('loop.rejected', warn('loop'))];
  try {
    const resumed = options.resume ? await session.engine.resumed : null;
    if (resumed?.resumed) {
      process.stderr.write(`trax: resuming ${resumed.song} from frame ${resumed.frame} (${resumed.playing ? 'playing' : 'paused'})\n`);
    } else if (resumed) {
      process.stderr.write(`trax: nothing to resume (${resumed.reason}); starting ${firstSong}\n`);
    }
    const start: TimedAction[] = resumed?.resumed ? [] : [{ at: 0, run: () => session.engine.playSong(firstSong) }];
    const actions: TimedAction[] = [...start, ...script.map((a) => toTimedAction(a, session.engine))];
    if (sink === null) {
      await renderRun(session, actions, options, output, progress, stopping);
    } else {
      if (progress.enabled) process.stderr.write('trax: playing in real time; press Ctrl+C to stop\n');
      await realtimeRun(session, sink, actions, options, progress, stopping);
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
    legacySub.unsubscribe();
    for (const sub of refusedSubs) sub.unsubscribe();
    rss.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await session.close();
    await sink?.stop();
    await output?.close();
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
      case 'jump':
        return engine.jump({ to: action.to, when: action.when });
      case 'cancel-jump':
        return engine.cancelJump();
      case 'loop':
        return engine.loop(action.loop);
      case 'release':
        return engine.releaseLoop(action.when);
    }
  };
  return { at: action.at, run };
}

/** The latest whole-decode progress of each song decoding whole (legacy), for the progress line. */
const legacyProgress = new Map<string, LegacyProgress>();

function progressText(session: PlaySession): { text: string; fraction?: number } {
  const m = session.engine.metrics();
  const song = m.songs.findLast((s) => s.song === m.currentSong);
  const decoding = song?.state === 'legacy' ? legacyProgress.get(song.song) : undefined;
  if (song && decoding) {
    // A render waits for a whole decode however long it takes: say how far it is.
    const done = decoding.stemsDone + (decoding.totalFrames > 0 ? decoding.decodedFrames / decoding.totalFrames : 0);
    return { text: `⏳ ${song.song}  decoding every stem whole: ${decoding.stemsDone}/${decoding.stems} stems (${Math.floor((100 * done) / decoding.stems)} %)` };
  }
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
  output: MixOutput | null,
  progress: ProgressLine,
  stopping: { requested: boolean },
): Promise<void> {
  const ticker = setInterval(() => progress.update(progressText(session).text), 200);
  try {
    await new RenderSink(session.engine.playback).run({
      script: actions,
      seconds: options.seconds,
      onAudio: (out, frames) => {
        if (stopping.requested) throw new Error('stopped by signal');
        output?.writePlanar(out, frames);
      },
    });
  } finally {
    clearInterval(ticker);
  }
}

/**
 * Real time: the audio thread renders on its own clock; this thread runs the script's actions
 * once the output reaches their time (within a poll, 10 ms) and shows progress.
 */
async function realtimeRun(
  session: PlaySession,
  sink: RealtimeSink,
  actions: TimedAction[],
  options: PlayOptions,
  progress: ProgressLine,
  stopping: { requested: boolean },
): Promise<void> {
  const { engine } = session;
  const sampleRate = engine.sampleRate;
  const limit = options.seconds === undefined ? Infinity : Math.round(options.seconds * sampleRate);
  const due = actions.map((a) => ({ ...a, frame: Math.round(a.at * sampleRate) }));
  let next = 0;
  const runDue = (frames: number) => {
    while (next < due.length && due[next].frame <= frames) due[next++].run();
  };
  runDue(0);
  let ended = false;
  const endedSub = engine.actor.on('setlist.ended', () => (ended = true));
  let lastProgress = 0;
  try {
    for (let rendered = 0; !ended && !stopping.requested && rendered < limit; rendered = engine.playback.outputFrames) {
      runDue(rendered);
      await new Promise((resolve) => setTimeout(resolve, 10));
      if (performance.now() - lastProgress >= 50) {
        lastProgress = performance.now();
        progress.update(progressText(session).text);
      }
    }
  } finally {
    endedSub.unsubscribe();
    sink.drain();
  }
}
