// Cost of the buffer's two hot operations, each beside its floor measured in the same run:
// - read: one 128-frame read (a Web Audio render quantum) vs a bare loop copying the same samples;
// - pushChunk: copying in one 5 s chunk vs a bare Float32Array.set of the same bytes.
// Run: NX_DAEMON=false npx nx run streaming-buffer:bench
import { StreamingBuffer } from '../src/StreamingBuffer.js';
import { outputs, wholeChunk } from '../src/syntheticSource.fixture.js';

const RATE = 48_000;
const CHUNK = 5 * RATE; // the plan's 5 s chunk
const QUANTUM = 128;
const BUDGET_US = (QUANTUM / RATE) * 1e6; // 2667 µs per quantum at 48 kHz

function timePerCall(calls: number, run: (i: number) => void): number {
  for (let i = 0; i < calls / 8; i++) run(i); // warm-up: let V8 optimise
  const t0 = performance.now();
  for (let i = 0; i < calls; i++) run(i);
  return ((performance.now() - t0) * 1000) / calls; // µs
}

for (const channels of [1, 2]) {
  const buffer = new StreamingBuffer({ channels, sampleRate: RATE, chunkFrames: CHUNK });
  const chunks = Array.from({ length: 4 }, (_, i) => wholeChunk(CHUNK, i, channels));
  for (const chunk of chunks) buffer.pushChunk(chunk);
  const out = outputs(channels, QUANTUM);
  const span = 4 * CHUNK - QUANTUM;
  // 131-frame stride: reads start at every offset and regularly straddle chunk boundaries.
  const read = timePerCall(400_000, (i) => buffer.read((i * 131) % span, QUANTUM, out, 0));
  const source = chunks[1].channelData;
  const floor = timePerCall(400_000, (i) => {
    const from = (i * 131) % (CHUNK - QUANTUM);
    for (let c = 0; c < channels; c++) {
      const dst = out[c];
      const src = source[c];
      for (let f = 0; f < QUANTUM; f++) dst[f] = src[from + f];
    }
  });
  console.log(
    `read ${channels} ch: ${read.toFixed(2)} µs per ${QUANTUM}-frame read (bare copy loop: ${floor.toFixed(2)} µs); ` +
      `30 stems = ${(30 * read).toFixed(0)} µs of the ${BUDGET_US.toFixed(0)} µs quantum`,
  );

  let index = 4;
  const push = timePerCall(200, () => {
    buffer.seekToChunk(index); // frees every slot, so each push copies a whole chunk in
    buffer.pushChunk({ ...chunks[index % 4], index, startFrame: index * CHUNK });
    index++;
  });
  const target = new Float32Array(CHUNK);
  const set = timePerCall(200, () => {
    for (let c = 0; c < channels; c++) target.set(chunks[0].channelData[c]);
  });
  console.log(
    `pushChunk ${channels} ch: ${(push / 1000).toFixed(2)} ms per 5 s chunk (bare Float32Array.set: ${(set / 1000).toFixed(2)} ms)`,
  );
}
