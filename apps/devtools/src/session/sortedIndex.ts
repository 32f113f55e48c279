/** How many entries of an ascending array are ≤ `value` (binary search). */
export function countAtMost(sorted: ArrayLike<number>, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The last entry ≤ `value`, or undefined. */
export function lastAtMost(sorted: ArrayLike<number>, value: number): number | undefined {
  const n = countAtMost(sorted, value);
  return n > 0 ? sorted[n - 1] : undefined;
}
