import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { lastJsonLine, runFixtureScript } from './testing/childProcess.fixture.js';
import type { SweepSummary } from './testing/crashSweep.fixture.js';
import { tempFolder } from './testing/testSupport.fixture.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempFolder('sweep')));
afterAll(() => cleanup());

describe('StreamingCache crash safety', () => {
  it('a crash before any file operation of open, write, evict, reset, read or close leaves only misses and exact chunks', async () => {
    // See crashSweep.fixture.ts: one run per file operation of the workload, each crashed there.
    const exit = await runFixtureScript('crashSweep.fixture.ts', { directory: dir });
    expect({ code: exit.code, stderr: exit.stderr }).toEqual({ code: 0, stderr: '' });
    const summary = lastJsonLine<SweepSummary>(exit);
    expect(summary.problems).toEqual([]);
    // The workload is big enough to matter (~270 operations), and crashes left data to check.
    expect(summary.total).toBeGreaterThan(200);
    expect(summary.runs).toBe(summary.total);
    expect(summary.hits).toBeGreaterThan(summary.runs * 6);
  }, 120_000);
});
