import type { EngineMetricsSnapshot } from '@trax/engine-machines';

/**
 * Samples the process's resident memory on a timer and at every song start: the peak overall and
 * per song (the peak while it was the song playing).
 */
export class RssSampler {
  peakBytes = 0;
  readonly peakBySong = new Map<string, number>();
  private current: string | null = null;
  private readonly timer: NodeJS.Timeout;

  constructor(intervalMs = 100) {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  songStarted(song: string): void {
    this.current = song;
    this.sample();
  }

  sample(): void {
    const rss = process.memoryUsage.rss();
    if (rss > this.peakBytes) this.peakBytes = rss;
    if (this.current !== null && rss > (this.peakBySong.get(this.current) ?? 0)) this.peakBySong.set(this.current, rss);
  }

  stop(): void {
    clearInterval(this.timer);
    this.sample();
  }
}

/**
 * The `--metrics` JSON (a contract): per song instance firstAudioMs, seeks with latencyMs,
 * transitionGapFrames, underruns, cacheHitRate and the process's peakRssBytes while it played;
 * then process-wide figures and the engine's full snapshot under `engine`.
 */
export function metricsReport(snapshot: EngineMetricsSnapshot, rss: RssSampler, mode: 'realtime' | 'render') {
  return {
    mode,
    sampleRate: snapshot.sampleRate,
    outputFrames: snapshot.outputFrames,
    outputSeconds: snapshot.outputFrames / snapshot.sampleRate,
    peakRssBytes: rss.peakBytes,
    underruns: snapshot.songs.reduce((sum, s) => sum + s.underruns, 0),
    songs: snapshot.songs.map((song) => ({
      song: song.song,
      instance: song.instance,
      mode: song.mode,
      state: song.state,
      firstAudioMs: song.firstAudioMs,
      seeks: song.seekLatencyMs.map((latencyMs) => ({ latencyMs })),
      seekCounts: song.seeks,
      transitionGapFrames: song.transitionGapFrames,
      underruns: song.underruns,
      cacheHitRate: song.cache.hitRate,
      peakRssBytes: rss.peakBySong.get(song.song) ?? null,
      peakBufferBytes: song.peakBufferBytes,
      failure: song.failure,
    })),
    engine: snapshot,
  };
}
