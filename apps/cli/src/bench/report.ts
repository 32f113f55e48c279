import { readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { machineLine } from './machine.js';
import type { BenchReport } from './runBench.js';
import { renderMarkdownTable, renderTextTable } from './table.js';

/** Everything below this line in the Markdown file is kept when `trax bench` rewrites it. */
export const KEPT_NOTES_MARKER = '<!-- Notes below this line are written by hand and kept when `trax bench --markdown` rewrites the file. -->';

function runCounts(report: BenchReport): string {
  const o = report.options;
  return `${o.runs} runs per measure, interleaved with their baselines (A B A B); legacy baseline ${Math.min(o.legacyRuns, o.runs)} runs, whole-song render ${Math.min(o.renderRuns, o.runs)} runs, cold process ${o.processRuns} runs, playthrough ${o.playthroughRuns} run(s) of ${o.playthroughSeconds} s`;
}

function setupLines(report: BenchReport): string[] {
  const w = report.workload;
  const s = report.setup;
  return [
    `Workload: reference song ${w.stems} stems × ${w.songSeconds} s, 48 kHz / 24-bit stereo FLAC (${w.encoder}, ${(w.referenceBytes / 1e6).toFixed(0)} MB), the same song at 44.1 kHz, and a setlist of ${w.setlistSongs} songs × ${w.stems} stems × ${w.setlistSongSeconds} s; OS page cache warm, Trax cache cold unless said.`,
    `Runs: ${runCounts(report)}.`,
    `Latencies are the engine's own metrics from the audio thread (the mixer on its own worker thread) rendering ${s.quantumFrames}-frame quanta ${s.aheadFrames} frames ahead of real time, like a sound card at 128 frames, in a fresh engine per run whose decode workers are already started. Seek outside the buffer: p90 of ${report.options.seeks} random positions per run, ${s.seekPauseMs} ms of play between seeks. Decode throughput: ${s.throughputFiles} stems, one thread, against \`flac -d\` on the same files. Peak RSS: child processes (GNU time ${s.gnuTime ? 'available' : 'NOT installed: whole-process rows not measured'}). Cold process: ${s.coldProcessCommand}.`,
  ];
}

/** The terminal output: machine, set-up, table. */
export function renderTextReport(report: BenchReport): string {
  return [`trax bench — ${report.finishedAt}`, `Machine: ${machineLine(report.machine)}`, ...setupLines(report), '', renderTextTable(report.table), ''].join('\n');
}

/** bench/RESULTS.md: the same, in Markdown, keeping hand-written notes below the marker. */
export function renderMarkdownReport(report: BenchReport, keptNotes: string): string {
  const minutes = (report.durationMs / 60_000).toFixed(1);
  const missed = report.table.filter((row) => row.pass === false).map((row) => row.measure);
  return [
    '# Trax benchmark results',
    '',
    `Written by \`npm run bench\` (\`trax bench --markdown bench/RESULTS.md\`) on ${report.finishedAt} in ${minutes} minutes.`,
    '',
    `**Machine:** ${machineLine(report.machine)}. A load average above the core count means other work shared the machine during the run: figures are then noisier (and slower) than on a quiet machine.`,
    '',
    ...setupLines(report).flatMap((line) => [line, '']),
    renderMarkdownTable(report.table),
    '',
    missed.length === 0 ? 'Every row meets its target.' : `Rows that miss their target: ${missed.join('; ')}.`,
    '',
    'Raw figures of every run: `npx trax bench --json FILE`.',
    '',
    KEPT_NOTES_MARKER,
    keptNotes,
  ].join('\n');
}

/** Writes the Markdown report, keeping what follows {@link KEPT_NOTES_MARKER} in the old file. */
export async function writeMarkdownReport(file: string, report: BenchReport): Promise<void> {
  const old = await readFile(file, 'utf8').catch(() => '');
  const at = old.indexOf(KEPT_NOTES_MARKER);
  const kept = at >= 0 ? old.slice(at + KEPT_NOTES_MARKER.length).replace(/^\n/, '') : '';
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  await writeFile(file, renderMarkdownReport(report, kept));
}
