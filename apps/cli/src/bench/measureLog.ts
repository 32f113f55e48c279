import { reasonOf } from './benchErrors.js';

/** Every measure of the bench (the table, one id per row). */
export const MEASURE_IDS = [
  'firstAudioUncached',
  'firstAudioCached',
  'firstAudioCachedRestart',
  'firstAudioResampled',
  'seekInsideBuffer',
  'seekOutsideBufferP90',
  'songJumpUncached',
  'songJumpPreloaded',
  'transitionGap',
  'peakRssRenderSampled',
  'peakRssRenderProcess',
  'underrunsPlaythrough',
  'decodeThroughput',
  'cacheDiskPerSong',
  'coldProcessWhole',
  'coldProcessFirstAudio',
] as const;
export type MeasureId = (typeof MEASURE_IDS)[number];

/** Per-run figures of one side (Trax, or the baseline), and runs that failed with their reason. */
export interface Series {
  readonly values: number[];
  readonly failures: string[];
}

/** Raw figures of one measure, as written to `--json`. */
export interface MeasureRecord extends Series {
  /** The baseline measured in the same run, interleaved (absent when the row has none). */
  readonly baseline: Series;
  /** Raw extras per run (e.g. all 50 seek latencies, child wall times), keyed by name. */
  readonly detail: Record<string, unknown[]>;
}

/** Collects every measure's raw figures during a bench run. */
export class MeasureLog {
  private readonly records = new Map<MeasureId, MeasureRecord>(
    MEASURE_IDS.map((id) => [id, { values: [], failures: [], baseline: { values: [], failures: [] }, detail: {} }]),
  );

  get(id: MeasureId): MeasureRecord {
    return this.records.get(id) as MeasureRecord;
  }

  add(id: MeasureId, value: number): void {
    this.get(id).values.push(value);
  }

  addBaseline(id: MeasureId, value: number): void {
    this.get(id).baseline.values.push(value);
  }

  fail(id: MeasureId, error: unknown, side: 'trax' | 'baseline' = 'trax'): void {
    (side === 'trax' ? this.get(id) : this.get(id).baseline).failures.push(reasonOf(error));
  }

  /** Keeps a raw extra of a run (`detail[key]` grows by one entry per call). */
  note(id: MeasureId, key: string, value: unknown): void {
    (this.get(id).detail[key] ??= []).push(value);
  }

  /** Runs `measure`; records its value, or its failure (the bench goes on with the next run). */
  async attempt(id: MeasureId, measure: () => Promise<number>, side: 'trax' | 'baseline' = 'trax'): Promise<number | null> {
    try {
      const value = await measure();
      if (side === 'trax') this.add(id, value);
      else this.addBaseline(id, value);
      return value;
    } catch (error) {
      this.fail(id, error, side);
      return null;
    }
  }

  toJSON(): Record<MeasureId, MeasureRecord> {
    return Object.fromEntries(this.records) as Record<MeasureId, MeasureRecord>;
  }
}
