import type { BitWriter } from './BitWriter.js';

// FLAC's partitioned Rice coding: the residual is cut into 2^p partitions (p = partition order),
// each with its own Rice parameter k. Parameters are 4 bits (k <= 14) or, with coding method 1,
// 5 bits (k <= 30); the all-ones value is the escape code, which we never need because a
// subframe that would code badly falls back to VERBATIM instead.

/**
 * Finest partitioning searched: 2^6 partitions (64 samples each in a 4096 block). `flac -5`
 * stops at order 5 and `-8` at 6; finer ones rarely pay for their parameter bits, and the
 * format's streamable subset ends at 8.
 */
export const MAX_PARTITION_ORDER = 6;
const MAX_RICE_PARAMETER = 30;

/** How a residual will be coded, as chosen by `planRice`. */
export interface RicePlan {
  readonly partitionOrder: number;
  /** One Rice parameter per partition. */
  readonly parameters: Uint8Array;
  /** 4 or 5. */
  readonly parameterBits: number;
  /** Exact upper bound of the coded size in bits, method and order fields included. */
  readonly bits: number;
}

// Module bindings: these run per partition, and inside Jest's vm contexts (where the tests of
// every lib run this encoder) each global lookup like `Math.floor` goes through a slow interceptor.
const { floor, log2, LN2 } = Math;

// 2^k and 2^-k for k = 0..30, so the cost estimates multiply instead of calling Math.pow.
const POWERS = Float64Array.from({ length: MAX_RICE_PARAMETER + 1 }, (_, k) => 2 ** k);
const INVERSE_POWERS = Float64Array.from({ length: MAX_RICE_PARAMETER + 1 }, (_, k) => 2 ** -k);

/**
 * Upper bound of the bits to Rice-code `count` values with zigzag sum `sum` at parameter k: each
 * value costs k + 1 + (u >> k), and sum(u >> k) <= floor(sum / 2^k). Within `count` bits of the
 * truth; used where being safe matters (the VERBATIM fallback).
 */
function riceBound(count: number, sum: number, k: number): number {
  return count * (k + 1) + floor(sum * INVERSE_POWERS[k]);
}

/**
 * Expected bits, used to choose: u >> k drops the low k bits of each value, on average
 * (2^k - 1) / 2 of them, which the bound ignores — and that bias grows with k, so choosing by the
 * bound picks too small a k.
 */
function riceEstimate(count: number, sum: number, k: number): number {
  const kept = sum - count * 0.5 * (POWERS[k] - 1);
  return count * (k + 1) + (kept > 0 ? kept * INVERSE_POWERS[k] : 0);
}

/**
 * Best k for one partition, written to `chosen[index]`; returns its estimated bits. The estimate
 * count(k + 1) + (sum + count / 2) / 2^k is smallest at 2^k = (mean + 1/2) ln 2 (derivative in k
 * set to zero), so the integer optimum is the floor or the ceiling of that.
 */
function bestParameter(count: number, sum: number, chosen: Uint8Array, index: number): number {
  if (count === 0) {
    chosen[index] = 0;
    return 0;
  }
  const target = (sum / count + 0.5) * LN2;
  let k = target > 1 ? floor(log2(target)) : 0;
  if (k >= MAX_RICE_PARAMETER) k = MAX_RICE_PARAMETER - 1;
  const low = riceEstimate(count, sum, k);
  const high = riceEstimate(count, sum, k + 1);
  if (high < low) {
    chosen[index] = k + 1;
    return high;
  }
  chosen[index] = k;
  return low;
}

/**
 * Chooses the partition order and Rice parameters for `residual[0, count)` of a block of
 * `blockSize` samples predicted with `predictorOrder` warm-up samples. Partition sums are taken
 * once at the finest order and merged pairwise for coarser ones (as libFLAC does).
 */
export function planRice(residual: Int32Array, count: number, blockSize: number, predictorOrder: number, scratch: Float64Array): RicePlan {
  let maxOrder = 0;
  while (
    maxOrder < MAX_PARTITION_ORDER &&
    blockSize % (1 << (maxOrder + 1)) === 0 &&
    blockSize >> (maxOrder + 1) > predictorOrder
  ) {
    maxOrder++;
  }
  // Zigzag sums of the finest partitions into scratch[0, 2^maxOrder).
  const partitions = 1 << maxOrder;
  const size = blockSize >> maxOrder;
  let i = 0;
  for (let p = 0; p < partitions; p++) {
    const end = (p + 1) * size - predictorOrder;
    let sum = 0;
    for (; i < end; i++) {
      const r = residual[i];
      sum += (r << 1) ^ (r >> 31);
    }
    scratch[p] = sum;
  }
  if (i !== count) throw new RangeError(`residual length ${count} does not match block ${blockSize} - order ${predictorOrder}`);

  let best: RicePlan | undefined;
  let bestEstimate = Infinity;
  for (let order = maxOrder; order >= 0; order--) {
    if (order < maxOrder) {
      // Merge pairs in place: partition p of `order` = partitions 2p, 2p+1 of `order + 1`.
      for (let p = 0; p < 1 << order; p++) scratch[p] = scratch[2 * p] + scratch[2 * p + 1];
    }
    const n = 1 << order;
    const partSize = blockSize >> order;
    const parameters = new Uint8Array(n);
    let estimate = 0;
    let bound = 0;
    let maxK = 0;
    for (let p = 0; p < n; p++) {
      const partCount = p === 0 ? partSize - predictorOrder : partSize;
      estimate += bestParameter(partCount, scratch[p], parameters, p);
      bound += riceBound(partCount, scratch[p], parameters[p]);
      if (parameters[p] > maxK) maxK = parameters[p];
    }
    const parameterBits = maxK > 14 ? 5 : 4;
    const overhead = 2 + 4 + n * parameterBits;
    if (estimate + overhead < bestEstimate) {
      bestEstimate = estimate + overhead;
      best = { partitionOrder: order, parameters, parameterBits, bits: bound + overhead };
    }
  }
  return best as RicePlan;
}

/** Writes the residual section (method, partition order, partitions) as planned. */
export function writeRice(out: BitWriter, residual: Int32Array, blockSize: number, predictorOrder: number, plan: RicePlan): void {
  out.writeBits(plan.parameterBits === 5 ? 1 : 0, 2);
  out.writeBits(plan.partitionOrder, 4);
  const partSize = blockSize >> plan.partitionOrder;
  let start = 0;
  for (let p = 0; p < plan.parameters.length; p++) {
    const end = (p + 1) * partSize - predictorOrder;
    const k = plan.parameters[p];
    out.writeBits(k, plan.parameterBits);
    out.writeRicePartition(residual, start, end, k);
    start = end;
  }
}
