import type { BitWriter } from './BitWriter.js';
import { analyzeFixed, fixedResidual, type FixedAnalysis } from './fixedPredictor.js';
import { planRice, writeRice, MAX_PARTITION_ORDER } from './riceCoding.js';

// Subframe type codes (6 bits after the zero pad bit).
const TYPE_CONSTANT = 0b000000;
const TYPE_VERBATIM = 0b000001;
const TYPE_FIXED = 0b001000; // | order

/**
 * Codes one channel of one frame as the cheapest of CONSTANT, VERBATIM and FIXED order 0..4,
 * after removing wasted low bits. Owns scratch buffers sized for the largest block, so encoding
 * allocates almost nothing per frame.
 */
export class SubframeEncoder {
  private readonly residual: Int32Array;
  private readonly shifted: Int32Array;
  private readonly partitionSums = new Float64Array(1 << MAX_PARTITION_ORDER);

  constructor(maxBlockSize: number) {
    this.residual = new Int32Array(maxBlockSize);
    this.shifted = new Int32Array(maxBlockSize);
  }

  /**
   * Writes the subframe for `x[start, start + n)` at `bitsPerSample` (the frame's depth, +1 for
   * a side channel). `analysis` may be passed when the caller already ran `analyzeFixed`.
   */
  encode(out: BitWriter, x: Int32Array, start: number, n: number, bitsPerSample: number, analysis = analyzeFixed(x, start, n)): void {
    if (analysis.constant) {
      out.writeBits(TYPE_CONSTANT << 1, 8);
      out.writeSigned(x[start], bitsPerSample);
      return;
    }
    const wasted = trailingZeros(analysis.orOfSamples);
    let samples = x;
    let from = start;
    let bps = bitsPerSample;
    if (wasted > 0) {
      for (let i = 0; i < n; i++) this.shifted[i] = x[start + i] >> wasted;
      samples = this.shifted;
      from = 0;
      bps -= wasted;
      analysis = analyzeFixed(samples, 0, n);
    }
    const verbatimBits = n * bps;
    let order = -1;
    if (n > analysis.bestOrder && analysis.bestErrorSum !== Infinity) {
      order = analysis.bestOrder;
      fixedResidual(samples, from, n, order, this.residual);
      const plan = planRice(this.residual, n - order, n, order, this.partitionSums);
      if (order * bps + plan.bits < verbatimBits) {
        writeHeader(out, TYPE_FIXED | order, wasted);
        for (let i = 0; i < order; i++) out.writeSigned(samples[from + i], bps);
        writeRice(out, this.residual, n, order, plan);
        return;
      }
    }
    writeHeader(out, TYPE_VERBATIM, wasted);
    for (let i = 0; i < n; i++) out.writeSigned(samples[from + i], bps);
  }
}

/**
 * Rough size in bits of the best FIXED coding, from the error sum alone (no residual pass):
 * zigzag values average about 2|r|, and Rice coding at k = log2(mean) costs about k + 2 bits each.
 * Used to choose a stereo decorrelation before coding anything.
 */
export function estimateSubframeBits(analysis: FixedAnalysis, n: number, bitsPerSample: number): number {
  if (analysis.constant) return bitsPerSample;
  const verbatim = n * bitsPerSample;
  if (analysis.bestErrorSum === Infinity) return verbatim;
  const mean = (2 * analysis.bestErrorSum) / Math.max(1, n - 4);
  const k = mean > 1 ? Math.floor(Math.log2(mean)) : 0;
  return Math.min(verbatim, n * (k + 1 + mean / 2 ** k));
}

function writeHeader(out: BitWriter, type: number, wasted: number): void {
  out.writeBits((type << 1) | (wasted > 0 ? 1 : 0), 8);
  if (wasted > 0) out.writeUnary(wasted - 1);
}

function trailingZeros(v: number): number {
  if (v === 0) return 0;
  return 31 - Math.clz32(v & -v);
}
