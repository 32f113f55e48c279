// A producer thread for SpscRing.test.ts: writes records (k, 3k) for k = 0..count−1, waiting while the ring is full.
import { workerData } from 'node:worker_threads';
import { SpscRing } from './SpscRing.js';

const { buffer, count } = workerData as { buffer: SharedArrayBuffer; count: number };
const ring = new SpscRing(buffer, 2);
for (let k = 0; k < count; ) {
  const at = ring.claim();
  if (at < 0) continue;
  ring.data[at] = k;
  ring.data[at + 1] = k * 3;
  ring.publish();
  k++;
}
