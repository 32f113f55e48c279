import type { MeasureId } from './measureLog.js';

/** How a row's figures are shown: stored raw (ms, bytes, frames...), shown in this unit. */
export type Unit = 'ms' | 'MB' | 'frames' | 'count' | 'x native' | 'x realtime';

/** One row of the table: the measure, our target, and the baseline measured beside it. */
export interface RowSpec {
  readonly id: MeasureId;
  readonly measure: string;
  readonly target: string;
  readonly unit: Unit;
  /** Whether one run's raw value meets the target; absent: the row is reported, not judged. */
  readonly meets?: (value: number) => boolean;
  readonly baseline: string;
  /** Unit of the baseline's figures when not `unit`. */
  readonly baselineUnit?: Unit;
  /** The ratio column: baseline ÷ Trax (how many times faster or smaller), with its own target. */
  readonly ratio?: { readonly atLeast?: number };
}

const MB = 1e6;

/**
 * The "Measures and targets" table, row for row, targets unchanged. Sizes are decimal
 * (1 MB = 10^6 bytes, as the cache's settings count), the stricter reading of "MB".
 */
export const ROWS: readonly RowSpec[] = [
  {
    id: 'firstAudioUncached',
    measure: 'First audio, uncached',
    target: '≤ 50 ms; ratio ≥ 100x',
    unit: 'ms',
    meets: (ms) => ms <= 50,
    baseline: 'legacy: decode all stems whole, same decoder',
    ratio: { atLeast: 100 },
  },
  {
    id: 'firstAudioCached',
    measure: 'First audio, cached (second play)',
    target: '≤ 20 ms',
    unit: 'ms',
    meets: (ms) => ms <= 20,
    baseline: 'uncached figure',
    ratio: {},
  },
  {
    id: 'firstAudioCachedRestart',
    measure: 'First audio, cached, after a process restart',
    target: '≤ 20 ms',
    unit: 'ms',
    meets: (ms) => ms <= 20,
    baseline: 'uncached figure',
    ratio: {},
  },
  { id: 'firstAudioResampled', measure: 'First audio, 44.1 kHz source resampled to 48 kHz', target: '≤ 80 ms', unit: 'ms', meets: (ms) => ms <= 80, baseline: '—' },
  { id: 'seekInsideBuffer', measure: 'Seek inside the buffer', target: 'next render quantum (≤ 3 ms)', unit: 'ms', meets: (ms) => ms <= 3, baseline: '—' },
  { id: 'seekOutsideBufferP90', measure: 'Seek outside the buffer, p90 of random positions', target: '≤ 60 ms', unit: 'ms', meets: (ms) => ms <= 60, baseline: '—' },
  { id: 'songJumpUncached', measure: 'Random song jump, uncached', target: '≤ 60 ms', unit: 'ms', meets: (ms) => ms <= 60, baseline: '—' },
  { id: 'songJumpPreloaded', measure: 'Random song jump, preloaded', target: '≤ 10 ms', unit: 'ms', meets: (ms) => ms <= 10, baseline: '—' },
  { id: 'transitionGap', measure: 'Transition at song end with auto-advance (gap)', target: '0 frames', unit: 'frames', meets: (frames) => frames === 0, baseline: '—' },
  {
    id: 'peakRssRenderSampled',
    measure: 'Peak RSS playing the whole song (render), sampled in process',
    target: '≤ 300 MB',
    unit: 'MB',
    meets: (bytes) => bytes <= 300 * MB,
    baseline: 'legacy peak RSS, sampled the same way',
    ratio: {},
  },
  {
    id: 'peakRssRenderProcess',
    measure: 'Peak RSS playing the whole song (render), whole process (/usr/bin/time -v)',
    target: '≤ 300 MB',
    unit: 'MB',
    meets: (bytes) => bytes <= 300 * MB,
    baseline: 'legacy peak RSS (/usr/bin/time -v)',
    ratio: {},
  },
  {
    id: 'underrunsPlaythrough',
    measure: 'Underruns, real-time playthrough, a seek every 10 s, cache being written',
    target: '0',
    unit: 'count',
    meets: (n) => n === 0,
    baseline: '—',
  },
  {
    id: 'decodeThroughput',
    measure: 'Decode throughput, 5 s chunks, one thread (fraction of native)',
    target: '≥ 0.35 of native',
    unit: 'x native',
    meets: (fraction) => fraction >= 0.35,
    baseline: 'native flac -d, same files',
    baselineUnit: 'x realtime',
  },
  { id: 'cacheDiskPerSong', measure: 'Cache disk per song', target: '≤ 900 MB', unit: 'MB', meets: (bytes) => bytes <= 900 * MB, baseline: "plan's 900 MB" },
  { id: 'coldProcessWhole', measure: 'Cold process: `trax play --seconds 1`, whole process', target: '— (reported)', unit: 'ms', baseline: '—' },
  { id: 'coldProcessFirstAudio', measure: 'Cold process: process start → first audio', target: '— (reported)', unit: 'ms', baseline: '—' },
];
