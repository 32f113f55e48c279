// FLAC's fixed predictors: order p predicts x[i] from the previous p samples with the binomial
// coefficients of the p-th difference (order 0: 0; 1: x[i-1]; 2: 2x[i-1]-x[i-2]; 3: 3,-3,1;
// 4: 4,-6,4,-1), so the residual of order p is simply the p-th difference of the signal.

/** Largest fixed predictor order FLAC defines. */
export const MAX_FIXED_ORDER = 4;

/** What one pass over a subframe's samples tells about how to code it. */
export interface FixedAnalysis {
  /** All samples equal (a CONSTANT subframe). */
  readonly constant: boolean;
  /** Bitwise OR of all samples: its trailing zeros are "wasted bits" common to every sample. */
  readonly orOfSamples: number;
  /** Fixed order whose residual has the smallest sum of magnitudes. */
  readonly bestOrder: number;
  /** Sum of |residual| of `bestOrder` over samples 4..n-1 (the same range for every order, so they compare). */
  readonly bestErrorSum: number;
}

/**
 * One pass computing the residual magnitude sums of orders 0..4 at once, carrying each order's
 * previous error (the approach of libFLAC's `FLAC__fixed_compute_best_predictor`). Sums are kept
 * in doubles: 4096 samples x 2^29 exceeds int32.
 */
export function analyzeFixed(x: Int32Array, start: number, n: number): FixedAnalysis {
  if (n <= MAX_FIXED_ORDER) {
    let or = 0;
    let constant = true;
    for (let i = start; i < start + n; i++) {
      or |= x[i];
      if (x[i] !== x[start]) constant = false;
    }
    return { constant, orOfSamples: or, bestOrder: 0, bestErrorSum: Infinity };
  }
  let or = x[start] | x[start + 1] | x[start + 2] | x[start + 3];
  let e0 = x[start + 3];
  let e1 = e0 - x[start + 2];
  let e2 = e1 - (x[start + 2] - x[start + 1]);
  let e3 = e2 - (x[start + 2] - 2 * x[start + 1] + x[start]);
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let s4 = 0;
  for (let i = start + 4; i < start + n; i++) {
    const d0 = x[i];
    const d1 = d0 - e0;
    const d2 = d1 - e1;
    const d3 = d2 - e2;
    const d4 = d3 - e3;
    or |= d0;
    // Branch-free |d| (two's complement): a sign test here mispredicts on every noisy sample.
    s0 += (d0 ^ (d0 >> 31)) - (d0 >> 31);
    s1 += (d1 ^ (d1 >> 31)) - (d1 >> 31);
    s2 += (d2 ^ (d2 >> 31)) - (d2 >> 31);
    s3 += (d3 ^ (d3 >> 31)) - (d3 >> 31);
    s4 += (d4 ^ (d4 >> 31)) - (d4 >> 31);
    e0 = d0;
    e1 = d1;
    e2 = d2;
    e3 = d3;
  }
  // Constant: no first differences anywhere (s1 covers samples 4.., e1..e3 the first four).
  const constant = s1 === 0 && x[start] === x[start + 1] && x[start + 1] === x[start + 2] && x[start + 2] === x[start + 3] && x[start + 3] === x[start + 4];
  if (constant) return { constant, orOfSamples: or, bestOrder: 0, bestErrorSum: 0 };
  let bestOrder = 0;
  let bestErrorSum = s0;
  if (s1 < bestErrorSum) {
    bestOrder = 1;
    bestErrorSum = s1;
  }
  if (s2 < bestErrorSum) {
    bestOrder = 2;
    bestErrorSum = s2;
  }
  if (s3 < bestErrorSum) {
    bestOrder = 3;
    bestErrorSum = s3;
  }
  if (s4 < bestErrorSum) {
    bestOrder = 4;
    bestErrorSum = s4;
  }
  return { constant: false, orOfSamples: or, bestOrder, bestErrorSum };
}

/**
 * Writes the order-`order` residual of `x[start + order, start + n)` into `out[0, n - order)`.
 * With samples of at most 25 bits (a side channel of 24-bit audio) the order-4 residual is below
 * 16 x 2^25 = 2^29 in magnitude, so int32 arithmetic is exact.
 */
export function fixedResidual(x: Int32Array, start: number, n: number, order: number, out: Int32Array): void {
  const end = start + n;
  let o = 0;
  switch (order) {
    case 0:
      for (let i = start; i < end; i++) out[o++] = x[i];
      break;
    case 1:
      for (let i = start + 1; i < end; i++) out[o++] = x[i] - x[i - 1];
      break;
    case 2:
      for (let i = start + 2; i < end; i++) out[o++] = x[i] - 2 * x[i - 1] + x[i - 2];
      break;
    case 3:
      for (let i = start + 3; i < end; i++) out[o++] = x[i] - 3 * x[i - 1] + 3 * x[i - 2] - x[i - 3];
      break;
    case 4:
      for (let i = start + 4; i < end; i++) out[o++] = x[i] - 4 * x[i - 1] + 6 * x[i - 2] - 4 * x[i - 3] + x[i - 4];
      break;
    default:
      throw new RangeError(`fixed predictor order ${order} is not 0..4`);
  }
}
