import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { nodeThroughputMeter } from './nodeThroughputMeter.js';

let dir: string;
let files: string[];
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'trax-throughput-'));
  files = [3_000_000, 1_500_000, 2_000_000].map((size, i) => {
    const file = path.join(dir, `${i}.flac`);
    writeFileSync(file, new Uint8Array(size).fill(i + 1));
    return file;
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('nodeThroughputMeter', () => {
  it('reads every file whole within the budget and times it', async () => {
    const sample = await nodeThroughputMeter({ blockBytes: 1 << 20 }).measure(files);
    expect(sample.bytes).toBe(6_500_000);
    expect(sample.seconds).toBeGreaterThan(0);
  });

  it('stops at the budget, mid-file', async () => {
    const sample = await nodeThroughputMeter({ budgetBytes: 4_000_000, blockBytes: 1 << 20 }).measure(files);
    expect(sample.bytes).toBe(4_000_000);
  });

  it('fails on a file that cannot be opened', async () => {
    await expect(nodeThroughputMeter().measure([path.join(dir, 'gone.flac')])).rejects.toThrow(/ENOENT/);
  });
});
