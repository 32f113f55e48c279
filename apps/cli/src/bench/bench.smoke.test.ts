import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hasFlacCli } from '@trax/test-audio';
import { runTrax } from '../e2e/runTrax.fixture.js';
import { hasGnuTime } from './childRunner.js';
import { MEASURE_IDS } from './measureLog.js';
import type { MeasureRecord } from './measureLog.js';
import { KEPT_NOTES_MARKER } from './report.js';
import { ROWS } from './targets.js';

// `trax bench` end to end on a tiny workload (3 stems × 12 s, one run of everything): the table
// has every row, the JSON every measure. Figures are not judged here — benchmarks are never
// timed tests (issue 8); only their shape and units are.
const dir = mkdtempSync(path.join(os.tmpdir(), 'trax-bench-smoke-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('trax bench (smoke, tiny song)', () => {
  it('prints every row, writes every measure to --json and the table to --markdown, keeping hand-written notes', async () => {
    const json = path.join(dir, 'bench.json');
    const markdown = path.join(dir, 'RESULTS.md');
    writeFileSync(markdown, `# old results\n\n${KEPT_NOTES_MARKER}\nA note written by hand.\n`);
    const args = ['bench', '--stems', '3', '--song-seconds', '12', '--runs', '1', '--seeks', '4', '--setlist-songs', '4', '--playthrough-seconds', '3'];
    const run = await runTrax([...args, '--json', json, '--markdown', markdown], { env: { TRAX_BENCH_DIR: path.join(dir, 'scratch') }, timeoutMs: 110_000 });
    expect(run.stderr).not.toMatch(/^trax: /m);
    expect(run.code).toBe(0);

    const stdout = run.stdout.toString();
    expect(stdout).toMatch(/Machine: 2 cores|Machine: \d+ cores/);
    expect(stdout).toContain(`Node ${process.version}`);
    for (const row of ROWS) expect(stdout).toContain(row.measure);

    const report = JSON.parse(readFileSync(json, 'utf8')) as { measures: Record<string, MeasureRecord>; table: { id: string; verdict: string }[] };
    expect(Object.keys(report.measures).sort()).toEqual([...MEASURE_IDS].sort());
    expect(report.table.map((row) => row.id)).toEqual([...MEASURE_IDS]);
    // Rows that need a tool this machine may lack fail with a reason naming it (CI: apt-get install time flac).
    const needsTool = new Map<string, boolean>([
      ['peakRssRenderProcess', hasGnuTime()],
      ['decodeThroughput', hasFlacCli()],
    ]);
    const problems: string[] = [];
    for (const id of MEASURE_IDS) {
      const record = report.measures[id];
      // Every measure ran once: a value, or a failure with its reason.
      expect(record.values.length + record.failures.length).toBe(1);
      if (record.failures.length === 0) continue;
      if (needsTool.get(id) === false) console.warn(`trax bench smoke: ${id} not measured here: ${record.failures.join('; ')}`);
      else problems.push(`${id}: ${record.failures.join('; ')}`);
    }
    expect(problems).toEqual([]);
    for (const row of report.table) expect(row.verdict).toMatch(/^(PASS|MISS \(.+\)|—( \(.+\))?)$/);

    // Units and baselines, not speeds: frames are whole, sizes are bytes, the legacy baseline ran.
    const m = report.measures;
    expect(Number.isInteger(m.transitionGap.values[0]) && m.transitionGap.values[0] >= 0).toBe(true);
    expect(Number.isInteger(m.underrunsPlaythrough.values[0]) && m.underrunsPlaythrough.values[0] >= 0).toBe(true);
    expect(m.peakRssRenderSampled.values[0]).toBeGreaterThan(20e6);
    expect(m.peakRssRenderSampled.baseline.values).toHaveLength(1);
    expect(m.firstAudioUncached.baseline.values).toHaveLength(1);
    expect(m.firstAudioCached.baseline.values).toEqual(m.firstAudioUncached.values);
    expect(m.cacheDiskPerSong.values[0]).toBeGreaterThan(0);
    if (hasFlacCli()) expect(m.decodeThroughput.baseline.values[0]).toBeGreaterThan(0);
    expect(m.seekOutsideBufferP90.detail.latenciesMs[0]).toHaveLength(4);

    const written = readFileSync(markdown, 'utf8');
    expect(written).toContain('| Measure | Target | Median |');
    for (const row of ROWS) expect(written).toContain(row.measure.replace(/\|/g, '\\|'));
    expect(written).not.toContain('# old results');
    expect(written.endsWith(`${KEPT_NOTES_MARKER}\nA note written by hand.\n`)).toBe(true);
  }, 120_000);

  it('refuses bad options with exit code 2', async () => {
    const run = await runTrax(['bench', '--setlist-songs', '2']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('setlistSongs must be ≥ 4');
  });
});
