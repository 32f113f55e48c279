import { describe, expect, it } from '@jest/globals';
import { MEASURE_IDS, MeasureLog } from './measureLog.js';
import { buildTable, judgeRow, renderMarkdownTable, renderTextTable } from './table.js';
import { ROWS } from './targets.js';

const spec = (id: string) => {
  const row = ROWS.find((r) => r.id === id);
  if (!row) throw new Error(`no row ${id}`);
  return row;
};

function record(values: number[], baseline: number[] = [], failures: string[] = []) {
  return { values, failures, baseline: { values: baseline, failures: [] }, detail: {} };
}

describe('the results table', () => {
  it('has one row per measure of the issue, in its order, targets as the issue states them', () => {
    expect(ROWS.map((r) => r.id)).toEqual([...MEASURE_IDS]);
    expect(ROWS.map((r) => r.target)).toEqual([
      '≤ 50 ms; ratio ≥ 100x',
      '≤ 20 ms',
      '≤ 20 ms',
      '≤ 80 ms',
      'next render quantum (≤ 3 ms)',
      '≤ 60 ms',
      '≤ 60 ms',
      '≤ 10 ms',
      '0 frames',
      '≤ 300 MB',
      '≤ 300 MB',
      '0',
      '≥ 0.35 of native',
      '≤ 900 MB',
      '— (reported)',
      '— (reported)',
    ]);
  });

  it('passes a row only when every run meets the target', () => {
    expect(judgeRow(spec('firstAudioResampled'), record([70, 80, 75])).verdict).toBe('PASS');
    // One run 0.001 ms over: a miss, not rounded into a pass.
    expect(judgeRow(spec('firstAudioResampled'), record([70, 80.001, 75])).verdict).toBe('MISS (1 of 3 runs)');
    expect(judgeRow(spec('firstAudioResampled'), record([90, 85, 70])).verdict).toBe('MISS (median)');
    expect(judgeRow(spec('transitionGap'), record([0, 0, 128])).pass).toBe(false);
  });

  it('counts failed runs as misses and says so', () => {
    const row = judgeRow(spec('songJumpUncached'), record([30, 40], [], ['gave up waiting']));
    expect(row.verdict).toBe('MISS (1 of 3 runs, 1 failed)');
    expect(judgeRow(spec('songJumpUncached'), record([])).verdict).toBe('MISS (not measured)');
    expect(judgeRow(spec('coldProcessWhole'), record([], [], ['trax play exited with 1'])).verdict).toBe('— (1 failed)');
  });

  it('judges the first-audio ratio against the legacy baseline (≥ 100x) as well as the latency', () => {
    const fast = judgeRow(spec('firstAudioUncached'), record([40, 45, 42], [30_000, 31_000]));
    expect(fast.ratio).toBeCloseTo(30_500 / 42, 6);
    expect(fast.verdict).toBe('PASS');
    const weak = judgeRow(spec('firstAudioUncached'), record([40, 45, 42], [3_000, 3_100]));
    expect(weak.verdict).toBe('MISS (ratio < 100x)');
    expect(judgeRow(spec('firstAudioUncached'), record([40])).verdict).toBe('MISS (ratio < 100x)');
  });

  it('judges sizes in decimal megabytes and throughput as a fraction of native', () => {
    expect(judgeRow(spec('peakRssRenderProcess'), record([300e6])).verdict).toBe('PASS');
    expect(judgeRow(spec('peakRssRenderProcess'), record([300e6 + 1])).pass).toBe(false);
    expect(judgeRow(spec('decodeThroughput'), record([0.35, 0.4])).verdict).toBe('PASS');
    expect(judgeRow(spec('decodeThroughput'), record([0.349])).pass).toBe(false);
  });

  it('renders every row, with median, min, max, runs, baseline and verdict', () => {
    const log = new MeasureLog();
    log.add('firstAudioUncached', 42.25);
    log.add('firstAudioUncached', 61);
    log.addBaseline('firstAudioUncached', 21_000);
    log.add('peakRssRenderSampled', 250e6);
    const table = buildTable(log.toJSON());
    const text = renderTextTable(table);
    for (const row of ROWS) expect(text).toContain(row.measure);
    const first = text.split('\n').find((line) => line.startsWith('First audio, uncached')) ?? '';
    expect(first).toMatch(/51\.6 ms +42\.3 ms +61\.0 ms +2 /);
    expect(first).toContain('21000.0 ms (1 runs)');
    expect(first).toContain('MISS (median)'); // median 51.6 ms > 50 ms
    expect(text).toContain('250.0 MB');
    const markdown = renderMarkdownTable(table);
    expect(markdown.split('\n')).toHaveLength(ROWS.length + 2);
  });
});
