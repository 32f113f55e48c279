import { useMemo } from 'react';
import type { SessionLog } from '../session/SessionLog.js';
import { metricsSeries, sparklinePoints, type MetricsPoint } from '../views/metricsSeries.js';
import { formatBytes, formatMs } from './format.js';

interface Props {
  readonly log: SessionLog;
  readonly cursor: number;
  readonly version: number;
}

const SPARK = { width: 220, height: 36 };

const SERIES: { key: keyof MetricsPoint; label: string; format: (v: number | null) => string }[] = [
  { key: 'lastSeekMs', label: 'seek latency', format: formatMs },
  { key: 'firstAudioMs', label: 'first audio', format: formatMs },
  { key: 'underruns', label: 'underruns (quanta)', format: (v) => (v === null ? '—' : String(v)) },
  { key: 'bufferBytes', label: 'buffer memory', format: (v) => (v === null ? '—' : formatBytes(v)) },
  { key: 'cacheHitRate', label: 'cache hit rate', format: (v) => (v === null ? '—' : `${Math.round(v * 100)} %`) },
];

/** View 6: the engine's metrics snapshot at the cursor, with sparklines of the last 600 samples. */
export function MetricsView({ log, cursor, version }: Props) {
  const { points, latest } = useMemo(() => metricsSeries(log, cursor), [log, cursor, version]);
  if (points.length === 0) return <p className="empty">No metrics yet (the engine sends them about twice a second while playing).</p>;
  const last = points[points.length - 1];
  return (
    <div className="metrics-view">
      <div className="sparklines">
        {SERIES.map((s) => {
          const values = points.map((p) => p[s.key] as number | null);
          return (
            <figure key={s.key} className="spark" data-metric={s.key}>
              <figcaption>
                {s.label} <strong>{s.format(last[s.key] as number | null)}</strong>
              </figcaption>
              <svg width={SPARK.width} height={SPARK.height}>
                <polyline points={sparklinePoints(values, SPARK.width, SPARK.height - 4)} transform="translate(0,2)" />
              </svg>
            </figure>
          );
        })}
      </div>
      <h3>Snapshot</h3>
      <pre className="json metrics-json">{JSON.stringify(latest, null, 1)}</pre>
    </div>
  );
}
