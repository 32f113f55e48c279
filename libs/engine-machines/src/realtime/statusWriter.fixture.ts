// A writer thread for SpscRing.test.ts: sets every value of a status block to k, for k = 1..writes.
import { workerData } from 'node:worker_threads';
import { StatusBlock } from './StatusBlock.js';

const { buffer, writes } = workerData as { buffer: SharedArrayBuffer; writes: number };
const block = new StatusBlock(buffer);
for (let k = 1; k <= writes; k++) {
  block.begin();
  for (let i = 0; i < block.values.length; i++) block.values[i] = k;
  block.end();
}
