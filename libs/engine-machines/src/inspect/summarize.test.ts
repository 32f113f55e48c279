import { describe, expect, it } from '@jest/globals';
import { Subject } from 'rxjs';
import { summarize } from './summarize.js';

describe('summarize', () => {
  it('describes buffers, observables, errors and class instances instead of serialising them', () => {
    class Pool {
      readonly big = new Float32Array(1 << 20);
    }
    expect(
      summarize({
        left: new Float32Array(10),
        raw: new ArrayBuffer(8),
        updates: new Subject(),
        failure: new RangeError('chunk 99 is outside the stream'),
        pool: new Pool(),
        fn: () => 1,
        tags: new Set(['a']),
      }),
    ).toEqual({
      left: { typedArray: 'Float32Array', length: 10 },
      raw: { arrayBuffer: 8 },
      updates: '[observable]',
      failure: { error: 'RangeError', message: 'chunk 99 is outside the stream' },
      pool: { class: 'Pool' },
      fn: '[function]',
      tags: { set: 1 },
    });
  });

  it('uses an object\'s own summary()', () => {
    expect(summarize({ song: { summary: () => ({ id: 'a', pcm: new Float32Array(4) }) } })).toEqual({ song: { id: 'a', pcm: { typedArray: 'Float32Array', length: 4 } } });
  });

  it('caps depth, array length and string length', () => {
    expect(summarize({ a: { b: { c: { d: { e: 1 } } } } })).toEqual({ a: { b: { c: { d: '[object]' } } } });
    const long = summarize(Array.from({ length: 40 }, (_, i) => i)) as unknown[];
    expect(long).toHaveLength(33);
    expect(long[32]).toBe('… 8 more');
    expect((summarize('x'.repeat(500)) as string).length).toBe(201);
  });
});
