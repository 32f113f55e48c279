import type { SessionLog } from '../session/SessionLog.js';
import { countAtMost } from '../session/sortedIndex.js';

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface MetricsPoint {
  readonly t: number;
  /** Underrun quanta of every song so far. */
  readonly underruns: number;
  /** Buffer memory of every loaded song (bytes). */
  readonly bufferBytes: number;
  /** The current song's cache hit rate (0–1), or null before any load. */
  readonly cacheHitRate: number | null;
  /** The newest seek latency seen so far (ms), or null. */
  readonly lastSeekMs: number | null;
  /** The current song's first audio (ms), or null. */
  readonly firstAudioMs: number | null;
}

/** Sparkline series from the metrics messages up to `cursor` (at most `max` points, the latest). */
export function metricsSeries(log: SessionLog, cursor: number, max = 600): { points: MetricsPoint[]; latest: unknown } {
  const end = countAtMost(log.metricsIndexes, cursor);
  const start = Math.max(0, end - max);
  const points: MetricsPoint[] = [];
  let latest: unknown = null;
  for (let i = start; i < end; i++) {
    const m = log.messages[log.metricsIndexes[i]];
    if (m.type !== 'metrics' || !isRec(m.metrics)) continue;
    latest = m.metrics;
    const songs = Array.isArray(m.metrics.songs) ? m.metrics.songs.filter(isRec) : [];
    const current = songs.findLast((s) => s.song === (m.metrics as Rec).currentSong) ?? songs.at(-1);
    const latencies = songs.flatMap((s) => (Array.isArray(s.seekLatencyMs) ? s.seekLatencyMs.filter((n): n is number => typeof n === 'number') : []));
    const cache = current && isRec(current.cache) ? current.cache : {};
    points.push({
      t: m.t,
      underruns: songs.reduce((sum, s) => sum + (typeof s.underruns === 'number' ? s.underruns : 0), 0),
      bufferBytes: songs.reduce((sum, s) => sum + (typeof s.bufferBytes === 'number' ? s.bufferBytes : 0), 0),
      cacheHitRate: typeof cache.hitRate === 'number' ? cache.hitRate : null,
      lastSeekMs: latencies.length > 0 ? latencies[latencies.length - 1] : null,
      firstAudioMs: current && typeof current.firstAudioMs === 'number' ? current.firstAudioMs : null,
    });
  }
  return { points, latest };
}

/** SVG polyline points for `values` in a width × height box (nulls skipped; a flat series sits mid-height). */
export function sparklinePoints(values: readonly (number | null)[], width: number, height: number): string {
  const present = values.filter((v): v is number => v !== null);
  if (present.length === 0) return '';
  const min = Math.min(...present);
  const max = Math.max(...present);
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  const out: string[] = [];
  values.forEach((v, i) => {
    if (v === null) return;
    const y = max === min ? height / 2 : height - ((v - min) / (max - min)) * height;
    out.push(`${(i * step).toFixed(1)},${y.toFixed(1)}`);
  });
  return out.join(' ');
}
