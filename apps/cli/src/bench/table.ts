import type { MeasureRecord, MeasureId } from './measureLog.js';
import { summarise } from './stats.js';
import type { Summary } from './stats.js';
import { ROWS } from './targets.js';
import type { RowSpec, Unit } from './targets.js';

/** One line of the results table, every figure already computed from the raw values. */
export interface TableRow {
  readonly id: MeasureId;
  readonly measure: string;
  readonly target: string;
  readonly unit: Unit;
  readonly trax: Summary | null;
  readonly failedRuns: number;
  readonly baselineLabel: string;
  readonly baselineUnit: Unit;
  readonly baseline: Summary | null;
  readonly baselineFailedRuns: number;
  /** Baseline median ÷ Trax median, when the row has a ratio. */
  readonly ratio: number | null;
  /** PASS, MISS (with why), or — for rows without a target. */
  readonly verdict: string;
  readonly pass: boolean | null;
}

/**
 * Judges a row from its raw per-run values: PASS only when every run met the target (and the
 * ratio its own); otherwise MISS, saying whether the median missed or how many runs did. Failed
 * runs count as misses. Nothing is rounded before judging.
 */
export function judgeRow(spec: RowSpec, record: MeasureRecord): TableRow {
  const trax = summarise(record.values);
  const baseline = summarise(record.baseline.values);
  const ratio = spec.ratio && trax && baseline && trax.median > 0 ? baseline.median / trax.median : null;
  let verdict = '—';
  let pass: boolean | null = null;
  if (spec.meets) {
    const meets = spec.meets;
    const runs = record.values.length + record.failures.length;
    const missed = record.values.filter((v) => !meets(v)).length + record.failures.length;
    const ratioMissed = spec.ratio?.atLeast !== undefined && (ratio === null || ratio < spec.ratio.atLeast);
    pass = runs > 0 && missed === 0 && !ratioMissed;
    if (runs === 0) verdict = 'MISS (not measured)';
    else if (pass) verdict = 'PASS';
    else {
      const why: string[] = [];
      if (trax === null) why.push('no run succeeded');
      else if (!meets(trax.median)) why.push('median');
      else if (missed > 0) why.push(`${missed} of ${runs} runs`);
      if (record.failures.length > 0 && trax !== null) why.push(`${record.failures.length} failed`);
      if (ratioMissed) why.push(`ratio < ${spec.ratio?.atLeast}x`);
      verdict = `MISS (${why.join(', ')})`;
    }
  } else if (record.failures.length > 0) {
    verdict = `— (${record.failures.length} failed)`;
  }
  return {
    id: spec.id,
    measure: spec.measure,
    target: spec.target,
    unit: spec.unit,
    trax,
    failedRuns: record.failures.length,
    baselineLabel: spec.baseline,
    baselineUnit: spec.baselineUnit ?? spec.unit,
    baseline,
    baselineFailedRuns: record.baseline.failures.length,
    ratio,
    verdict,
    pass,
  };
}

export function buildTable(records: Record<MeasureId, MeasureRecord>): TableRow[] {
  return ROWS.map((spec) => judgeRow(spec, records[spec.id]));
}

/** A raw value in a row's unit (bytes shown as decimal MB). */
export function formatValue(value: number, unit: Unit): string {
  if (!Number.isFinite(value)) return String(value);
  switch (unit) {
    case 'ms':
      return `${value.toFixed(1)} ms`;
    case 'MB':
      return `${(value / 1e6).toFixed(1)} MB`;
    case 'frames':
      return `${value} frames`;
    case 'count':
      return String(value);
    case 'x native':
      return `${value.toFixed(3)}`;
    case 'x realtime':
      return `${value.toFixed(0)}x realtime`;
  }
}

function runs(summary: Summary | null, failed: number): string {
  const ok = summary?.runs ?? 0;
  return failed > 0 ? `${ok} (+${failed} failed)` : String(ok);
}

/** The row's cells, in column order (shared by the text and Markdown tables). */
export const COLUMNS = ['Measure', 'Target', 'Median', 'Min', 'Max', 'Runs', 'Baseline', 'Baseline median', 'Ratio', 'Verdict'] as const;

export function rowCells(row: TableRow): string[] {
  const value = (pick: (s: Summary) => number) => (row.trax ? formatValue(pick(row.trax), row.unit) : '—');
  const baseline =
    row.baseline === null
      ? row.baselineLabel === '—'
        ? '—'
        : 'not measured'
      : `${formatValue(row.baseline.median, row.baselineUnit)} (${runs(row.baseline, row.baselineFailedRuns)} runs)`;
  return [
    row.measure,
    row.target,
    value((s) => s.median),
    value((s) => s.min),
    value((s) => s.max),
    runs(row.trax, row.failedRuns),
    row.baselineLabel,
    baseline,
    row.ratio === null ? '—' : `${row.ratio.toFixed(1)}x`,
    row.verdict,
  ];
}

/** A plain-text table, columns padded, for the terminal. */
export function renderTextTable(rows: readonly TableRow[]): string {
  const lines = [COLUMNS.slice(), ...rows.map(rowCells)];
  const widths = COLUMNS.map((_, c) => Math.max(...lines.map((cells) => cells[c].length)));
  const format = (cells: readonly string[]) => cells.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd();
  return [format(lines[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.slice(1).map(format)].join('\n');
}

/** The same table in GitHub Markdown. */
export function renderMarkdownTable(rows: readonly TableRow[]): string {
  const escape = (cell: string) => cell.replace(/\|/g, '\\|');
  return [
    `| ${COLUMNS.join(' | ')} |`,
    `|${COLUMNS.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${rowCells(row).map(escape).join(' | ')} |`),
  ].join('\n');
}
