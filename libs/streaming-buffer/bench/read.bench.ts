// Throughput of the real-time read path: how long one 128-frame read takes, per stem.
// Run: npx nx run streaming-buffer:bench
import { StreamingBuffer } from '../src/StreamingBuffer.js';
import { outputs, wholeChunk } from '../src/syntheticSource.fixture.js';

const CHUNK = 240_000; // 5 s at 48 kHz, the plan's chunk
const QUANTUM = 128; // Web Audio render quantum
for (const channels of [1, 2]) {
  const buffer = new StreamingBuffer({ channels, sampleRate: 48_000, chunkFrames: CHUNK });
  for (let i = 0; i < 4; i++) buffer.pushChunk(wholeChunk(CHUNK, i, channels));
  const out = outputs(channels, QUANTUM);
  const span = 4 * CHUNK - QUANTUM;
  let position = 0;
  for (let i = 0; i < 50_000; i++) {
    buffer.read(position, QUANTUM, out, 0);
    position = (position + QUANTUM) % span;
  }
  const reads = 400_000;
  const t0 = performance.now();
  for (let i = 0; i < reads; i++) {
    buffer.read(position, QUANTUM, out, 0);
    position = (position + QUANTUM) % span;
  }
  const perRead = ((performance.now() - t0) * 1000) / reads;
  const budget = (QUANTUM / 48_000) * 1e6; // 2667 µs per quantum at 48 kHz
  console.log(
    `${channels} ch: ${perRead.toFixed(2)} µs per ${QUANTUM}-frame read ` +
      `(${((perRead * 1000) / (QUANTUM * channels)).toFixed(1)} ns/sample); 30 stems = ${(30 * perRead).toFixed(0)} µs of the ${budget.toFixed(0)} µs quantum`,
  );
}
