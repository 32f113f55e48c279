import { describe, expect, it } from '@jest/globals';
import { median, percentile, seededRandom, summarise } from './stats.js';

describe('bench statistics', () => {
  it('median of odd and even counts, whatever the order', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(summarise([7, 2, 9, 4])).toEqual({ median: 5.5, min: 2, max: 9, runs: 4 });
    expect(summarise([])).toBeNull();
  });

  it('p90 by nearest rank: the 45th of 50 values, the 9th of 10', () => {
    const fifty = Array.from({ length: 50 }, (_, i) => 50 - i); // 50 … 1, shuffled order matters not
    expect(percentile(fifty, 90)).toBe(45);
    expect(percentile([10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 90)).toBe(90);
    expect(percentile([3], 90)).toBe(3);
    expect(percentile([1, 2], 100)).toBe(2);
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });

  it('the seeded generator repeats for a seed, differs between seeds, stays in [0, 1)', () => {
    const a = seededRandom(8);
    const b = seededRandom(8);
    const c = seededRandom(9);
    const first = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(first);
    expect(Array.from({ length: 1000 }, () => c())).not.toEqual(first);
    expect(first.every((x) => x >= 0 && x < 1)).toBe(true);
    // Spread: every tenth of [0, 1) gets between 5 % and 15 % of 1000 draws.
    const deciles = new Array(10).fill(0);
    for (const x of first) deciles[Math.floor(x * 10)]++;
    expect(Math.min(...deciles)).toBeGreaterThan(50);
    expect(Math.max(...deciles)).toBeLessThan(150);
  });
});
