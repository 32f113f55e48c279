import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { PushOutcome } from './Chunk.js';
import { StreamingBuffer } from './StreamingBuffer.js';
import { outputs, sourceChunk, sourceSample } from './syntheticSource.fixture.js';

// Property tests: random sequences of push / advance / seek / clear / read against (a) invariants
// that need no model — every output frame is the source's or silence, the missing count equals the
// silence written inside the stem, the sentinel around the written span is untouched, memory never
// exceeds the bound — and (b) a reference model of the window policy kept in a Map, which shares
// no code with the slot storage, so any slip in slot bookkeeping or the seqlock writes shows up.

const CHUNK = 64; // small chunks: many boundaries per read

interface Setup {
  readonly channels: number;
  readonly bufferChunks: number;
  readonly lookaheadChunks: number;
  readonly totalFrames: number;
}

type Op =
  | { readonly kind: 'push'; readonly start: number; readonly count: number }
  | { readonly kind: 'advance'; readonly position: number }
  | { readonly kind: 'seek'; readonly index: number }
  | { readonly kind: 'clear' }
  | { readonly kind: 'read'; readonly position: number; readonly frames: number; readonly offset: number };

/** The policy of StreamingBuffer restated over a Map of chunk index → held [start, end) (relative frames). */
class ReferenceWindow {
  readonly held = new Map<number, [number, number]>();
  position = 0;

  constructor(private readonly setup: Setup) {}

  advance(position: number): void {
    this.position = position;
    this.dropBehind();
  }

  seek(index: number): void {
    this.position = index * CHUNK;
    for (const held of [...this.held.keys()]) {
      if (held < index || held >= index + this.setup.bufferChunks) this.held.delete(held);
    }
  }

  push(start: number, count: number): PushOutcome[] {
    this.dropBehind();
    const outcomes: PushOutcome[] = [];
    for (let p = start; p < start + count; ) {
      const index = Math.floor(p / CHUNK);
      const end = Math.min(start + count, (index + 1) * CHUNK);
      outcomes.push(this.pushPart(index, p - index * CHUNK, end - index * CHUNK));
      p = end;
    }
    return outcomes;
  }

  covers(frame: number): boolean {
    const range = this.held.get(Math.floor(frame / CHUNK));
    const relative = frame - Math.floor(frame / CHUNK) * CHUNK;
    return range !== undefined && relative >= range[0] && relative < range[1];
  }

  private pushPart(index: number, from: number, to: number): PushOutcome {
    if (index * CHUNK + to <= this.position) return 'behind';
    const range = this.held.get(index);
    if (range) {
      if (from >= range[0] && to <= range[1]) return 'duplicate';
      if (from <= range[1] && to >= range[0]) {
        this.held.set(index, [Math.min(from, range[0]), Math.max(to, range[1])]);
        return 'merged';
      }
      if (from < range[0]) {
        this.held.set(index, [from, to]);
        return 'replaced';
      }
      return 'disjoint';
    }
    if (this.held.size >= this.setup.bufferChunks) {
      const farthest = Math.max(...this.held.keys());
      if (farthest <= index) return 'no-room';
      this.held.delete(farthest);
    }
    this.held.set(index, [from, to]);
    return 'stored';
  }

  private dropBehind(): void {
    for (const [index, range] of [...this.held]) if (index * CHUNK + range[1] <= this.position) this.held.delete(index);
  }
}

const setupArbitrary: fc.Arbitrary<Setup> = fc
  .record({
    channels: fc.integer({ min: 1, max: 3 }),
    bufferChunks: fc.integer({ min: 1, max: 5 }),
    lookaheadFraction: fc.double({ min: 0, max: 1, noNaN: true }),
    totalFrames: fc.oneof(fc.constant(Infinity), fc.integer({ min: 1, max: 16 * CHUNK })),
  })
  .map(({ channels, bufferChunks, lookaheadFraction, totalFrames }) => ({
    channels,
    bufferChunks,
    lookaheadChunks: 1 + Math.floor(lookaheadFraction * (bufferChunks - 1)),
    totalFrames,
  }));

const SPAN = 18 * CHUNK;
const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('push' as const), start: fc.integer({ min: 0, max: SPAN }), count: fc.integer({ min: 1, max: 2 * CHUNK }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('advance' as const), position: fc.integer({ min: 0, max: SPAN }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('seek' as const), index: fc.integer({ min: 0, max: 18 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'clear' as const }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('read' as const),
      position: fc.integer({ min: -CHUNK, max: SPAN }),
      frames: fc.integer({ min: 1, max: 3 * CHUNK }),
      offset: fc.integer({ min: 0, max: 7 }),
    }),
  },
);

/** Runs one op on buffer and model, checking everything checkable after it. */
function step(buffer: StreamingBuffer, model: ReferenceWindow, setup: Setup, op: Op): void {
  switch (op.kind) {
    case 'push': {
      const count = Math.min(op.count, setup.totalFrames - op.start);
      if (count <= 0) return;
      const result = buffer.pushChunk(sourceChunk(CHUNK, op.start, count, setup.channels));
      expect(result.parts.map((p) => p.outcome)).toEqual(model.push(op.start, count));
      if (result.held) expectRead(buffer, setup, op.start, count, 0, () => true); // no spurious silence
      break;
    }
    case 'advance':
      buffer.advanceTo(op.position);
      model.advance(op.position);
      break;
    case 'seek': {
      const before = buffer.heldChunks();
      buffer.seekToChunk(op.index);
      model.seek(op.index);
      const kept = before.filter((h) => h.index >= op.index && h.index < op.index + setup.bufferChunks);
      expect(buffer.heldChunks()).toEqual(kept); // a seek inside the buffer keeps what is there
      break;
    }
    case 'clear':
      buffer.clear();
      model.held.clear();
      break;
    case 'read':
      expectRead(buffer, setup, op.position, op.frames, op.offset, (frame) => model.covers(frame));
      break;
  }
  const held = buffer.heldChunks().map((h) => [h.index, h.startFrame - h.index * CHUNK, h.endFrame - h.index * CHUNK]);
  expect(held).toEqual([...model.held].map(([index, [s, e]]) => [index, s, e]).sort((a, b) => a[0] - b[0]));
  const stats = buffer.stats();
  expect(stats.chunks).toBeLessThanOrEqual(setup.bufferChunks);
  expect(stats.bytes).toBeLessThanOrEqual(stats.capacityBytes);
  expect(stats.capacityBytes).toBe(setup.bufferChunks * setup.channels * CHUNK * 4);
}

/** Reads and checks: source where `expectHeld`, silence elsewhere, missing = silent frames inside the stem, sentinel intact. */
function expectRead(
  buffer: StreamingBuffer,
  setup: Setup,
  position: number,
  frames: number,
  offset: number,
  expectHeld: (frame: number) => boolean,
): void {
  const out = outputs(setup.channels, offset + frames + 3);
  const missing = buffer.read(position, frames, out, offset);
  // Plain loops, one expect on the first mismatch: per-sample expect() calls made this suite 5x slower.
  let silentInStem = 0;
  let mismatch = '';
  for (let i = 0; i < frames && !mismatch; i++) {
    const frame = position + i;
    const inStem = frame >= 0 && frame < setup.totalFrames;
    const real = inStem && out[0][offset + i] !== 0;
    if (inStem && !real) silentInStem++;
    if (real !== (inStem && expectHeld(frame))) mismatch = `frame ${frame}: ${real ? 'data' : 'silence'} where the model says otherwise`;
    for (let c = 0; c < setup.channels && !mismatch; c++) {
      const expected = real ? sourceSample(frame, c) : 0;
      if (out[c][offset + i] !== expected) mismatch = `frame ${frame} channel ${c}: ${out[c][offset + i]} instead of ${expected}`;
    }
  }
  for (const channel of out) {
    for (let i = 0; i < channel.length && !mismatch; i++) {
      if ((i < offset || i >= offset + frames) && channel[i] !== 9) mismatch = `output index ${i} outside the read was written`;
    }
  }
  expect(mismatch).toBe('');
  expect(missing).toBe(silentInStem);
  // framesAvailableAt agrees with the read: real data runs exactly that far.
  const available = buffer.framesAvailableAt(position);
  for (let i = 0; i < Math.min(available, frames); i++) {
    if (out[0][offset + i] === 0) mismatch = `framesAvailableAt(${position}) = ${available} but frame ${position + i} is silent`;
  }
  if (available < frames && position >= 0 && position + available < setup.totalFrames && out[0][offset + available] !== 0) {
    mismatch = `framesAvailableAt(${position}) = ${available} but the next frame is real data`;
  }
  expect(mismatch).toBe('');
}

describe('StreamingBuffer properties', () => {
  it('any sequence of push / advance / seek / clear / read yields source samples or counted silence, within the memory bound, as the reference model says', () => {
    fc.assert(
      fc.property(setupArbitrary, fc.array(opArbitrary, { maxLength: 60 }), (setup, ops) => {
        const buffer = new StreamingBuffer({ ...setup, sampleRate: 48_000, chunkFrames: CHUNK });
        const model = new ReferenceWindow(setup);
        for (const op of ops) step(buffer, model, setup, op);
      }),
      { numRuns: 300 },
    );
  });

  it('wantedChunks lists exactly the lookahead chunks not held from the play position on, nearest first', () => {
    fc.assert(
      fc.property(setupArbitrary, fc.array(opArbitrary, { maxLength: 30 }), fc.integer({ min: 0, max: SPAN }), (setup, ops, position) => {
        const buffer = new StreamingBuffer({ ...setup, sampleRate: 48_000, chunkFrames: CHUNK });
        const model = new ReferenceWindow(setup);
        for (const op of ops) step(buffer, model, setup, op);
        // Independent truth: a chunk of the window is complete iff every frame from max(position, its start) to its end reads as real data.
        const expected: number[] = [];
        const first = Math.floor(position / CHUNK);
        for (let index = first; index < first + setup.lookaheadChunks && index * CHUNK < setup.totalFrames; index++) {
          const from = Math.max(position, index * CHUNK);
          const to = Math.min((index + 1) * CHUNK, setup.totalFrames);
          const out = outputs(setup.channels, CHUNK);
          if (buffer.read(from, to - from, out, 0) > 0) expected.push(index);
        }
        expect(buffer.wantedChunks(position)).toEqual(expected);
        expect(buffer.needsRefill(position)).toBe(expected.length > 0);
      }),
      { numRuns: 200 },
    );
  });
});
