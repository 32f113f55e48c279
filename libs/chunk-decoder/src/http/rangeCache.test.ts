import { describe, expect, it } from '@jest/globals';
import { RangeCache } from './rangeCache.js';

const bytesOf = (start: number, end: number) => Uint8Array.from({ length: end - start }, (_, i) => (start + i) & 0xff);
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('RangeCache', () => {
  it('reports what nobody holds as gaps, and covers the rest with the runs that reach furthest', () => {
    const cache = new RangeCache(1 << 20);
    cache.add(100, 200, Promise.resolve(bytesOf(100, 200)));
    cache.add(150, 400, Promise.resolve(bytesOf(150, 400)));
    cache.add(600, 700, Promise.resolve(bytesOf(600, 700)));
    const plan = cache.plan(0, 800);
    expect(plan.gaps).toEqual([
      [0, 100],
      [400, 600],
      [700, 800],
    ]);
    expect(plan.pieces.map(({ from, to, segment }) => [from, to, segment.start])).toEqual([
      [100, 200, 100],
      [200, 400, 150],
      [600, 700, 600],
    ]);
  });

  it('counts runs in flight as covered, so concurrent readers share one request', () => {
    const cache = new RangeCache(1 << 20);
    cache.add(0, 1000, new Promise(() => undefined)); // never arrives
    expect(cache.plan(10, 900).gaps).toEqual([]);
    expect(cache.heldBytes).toBe(0); // not settled: not counted, never dropped
  });

  it('forgets a run whose request failed', async () => {
    const cache = new RangeCache(1 << 20);
    const failed = Promise.reject(new Error('dropped'));
    failed.catch(() => undefined);
    cache.add(0, 100, failed);
    await settle();
    expect(cache.plan(0, 100).gaps).toEqual([[0, 100]]);
  });

  it('keeps at most maxBytes of settled runs, dropping the least recently used', async () => {
    const cache = new RangeCache(250);
    cache.add(0, 100, Promise.resolve(bytesOf(0, 100)));
    cache.add(100, 200, Promise.resolve(bytesOf(100, 200)));
    await settle();
    cache.plan(0, 10); // uses the first run: the second is now the older one
    cache.add(500, 600, Promise.resolve(bytesOf(500, 600)));
    await settle();
    expect(cache.heldBytes).toBe(200);
    expect(cache.plan(0, 600).gaps).toEqual([
      [100, 500],
    ]);
  });

  it('finds the neighbouring runs that bound a read-ahead', () => {
    const cache = new RangeCache(1 << 20);
    cache.add(100, 200, Promise.resolve(bytesOf(100, 200)));
    cache.add(500, 600, Promise.resolve(bytesOf(500, 600)));
    expect(cache.nextStartAfter(250)).toBe(500);
    expect(cache.nextStartAfter(601)).toBeUndefined();
    expect(cache.previousEndBefore(450)).toBe(200);
    expect(cache.previousEndBefore(150)).toBeUndefined();
  });
});
