// A child process of `trax bench`: runs one job in a process of its own, so that its memory (the
// legacy baseline holds every stem decoded whole, ~4 GB) never shows in another measure, and a
// process restart is a real one. Prints RESULT_PREFIX + JSON on stdout.
import { RenderSink } from '@trax/engine-machines';
import { RssSampler } from '../../play/playMetrics.js';
import { TraxRig } from '../traxRig.js';
import { RESULT_PREFIX } from './childProtocol.js';
import type { CachedFirstAudioResult, ChildJob, ColdPlayResult, LegacyResult, RenderResult } from './childProtocol.js';

/** The legacy decode of 30 whole stems takes ~30 s on 2 cores; allow for a loaded machine. */
const LEGACY_TIMEOUT_MS = 10 * 60_000;
/** RSS sampling period: `process.memoryUsage.rss()` reads /proc without walking the heap. */
const RSS_SAMPLE_MS = 25;

async function legacy(job: Extract<ChildJob, { mode: 'legacy' }>): Promise<LegacyResult> {
  const rss = new RssSampler(RSS_SAMPLE_MS);
  // No streaming, no cache: the engine's legacy path (trax play --no-streaming) decodes each stem
  // whole with the app's legacy decoder before the first sample plays.
  const rig = await TraxRig.start({ setlist: job.setlist, cacheDir: job.cacheDir, settings: { streamingEnabled: false, cacheEnabled: false } });
  try {
    const song = await rig.playAndWaitFirstAudio(job.songId, LEGACY_TIMEOUT_MS);
    rss.stop();
    return { firstAudioMs: song.firstAudioMs ?? Number.NaN, legacyDecodeMs: song.legacyDecodeMs, peakRssSampledBytes: rss.peakBytes };
  } finally {
    rss.stop();
    await rig.close();
  }
}

async function render(job: Extract<ChildJob, { mode: 'render' }>): Promise<RenderResult> {
  const rss = new RssSampler(RSS_SAMPLE_MS);
  const rig = await TraxRig.start({ setlist: job.setlist, cacheDir: job.cacheDir, offline: true });
  try {
    let quanta = 0;
    const result = await new RenderSink(rig.engine.playback).run({
      script: [{ at: 0, run: () => rig.engine.playSong(job.songId) }],
      stallTimeoutMs: 60_000,
      // Timers may not fire while data is always ready: sample every 1 s of audio as well.
      onAudio: () => {
        if (++quanta % 375 === 0) rss.sample();
      },
    });
    rss.stop();
    const peak = rss.peakBytes;
    const song = TraxRig.song(rig.engine.metrics(), job.songId);
    let settleMs: number | null = null;
    if (job.settleWrites) {
      const started = performance.now();
      await rig.settleWrites(10 * 60_000);
      settleMs = performance.now() - started;
    }
    return {
      peakRssSampledBytes: peak,
      renderedSeconds: result.seconds,
      wallMs: result.wallMs,
      underruns: song?.underruns ?? Number.NaN,
      peakBufferBytes: song?.peakBufferBytes ?? Number.NaN,
      settleMs,
    };
  } finally {
    rss.stop();
    await rig.close();
  }
}

async function cachedFirstAudio(job: Extract<ChildJob, { mode: 'cached-first-audio' }>): Promise<CachedFirstAudioResult> {
  const rig = await TraxRig.start({ setlist: job.setlist, cacheDir: job.cacheDir });
  try {
    const song = await rig.playAndWaitFirstAudio(job.songId);
    return { firstAudioMs: song.firstAudioMs ?? Number.NaN, cacheHits: song.cache.hits, decodes: song.cache.decodes };
  } finally {
    await rig.close();
  }
}

/** Like `trax play FILE --seconds S`: start everything, play, stop after S seconds of output. */
async function coldPlay(job: Extract<ChildJob, { mode: 'cold-play' }>): Promise<ColdPlayResult> {
  const rig = await TraxRig.start({ setlist: job.setlist, cacheDir: job.cacheDir });
  try {
    const song = await rig.playAndWaitFirstAudio(job.songId);
    const firstAudioSinceStartMs = performance.now();
    const end = rig.engine.playback.outputFrames + Math.round(job.seconds * rig.engine.sampleRate);
    while (rig.engine.playback.outputFrames < end) await TraxRig.sleep(5);
    return { timeOriginEpochMs: performance.timeOrigin, firstAudioSinceStartMs, firstAudioMs: song.firstAudioMs ?? Number.NaN };
  } finally {
    await rig.close();
  }
}

async function run(job: ChildJob): Promise<unknown> {
  switch (job.mode) {
    case 'legacy':
      return legacy(job);
    case 'render':
      return render(job);
    case 'cached-first-audio':
      return cachedFirstAudio(job);
    case 'cold-play':
      return coldPlay(job);
  }
}

const job = JSON.parse(process.argv[2] ?? '{}') as ChildJob;
try {
  const result = await run(job);
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
} catch (error) {
  process.stderr.write(`bench child ${job.mode}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
}
