import { describe, expect, it } from '@jest/globals';
import { Subject } from 'rxjs';
import { summarise } from './summarise.js';

describe('summarise', () => {
  it('describes buffers, observables and errors instead of serialising them', () => {
    expect(
      summarise({
        left: new Float32Array(10),
        raw: new ArrayBuffer(8),
        updates: new Subject(),
        failure: new RangeError('chunk 99 is outside the stream'),
        n: Number.NaN,
        fn: () => 1,
      }),
    ).toEqual({
      left: { typedArray: 'Float32Array', length: 10 },
      raw: { arrayBuffer: 8 },
      updates: '[observable]',
      failure: { error: 'RangeError', message: 'chunk 99 is outside the stream' },
      n: 'NaN',
    });
  });

  it('caps depth, array length and string length', () => {
    const deep = { a: { b: { c: { d: { e: 1 } } } } };
    expect(summarise(deep)).toEqual({ a: { b: { c: { d: '[object]' } } } });
    const long = summarise(Array.from({ length: 20 }, (_, i) => i)) as unknown[];
    expect(long).toHaveLength(17);
    expect(long[16]).toBe('…4 more');
    expect((summarise('x'.repeat(500)) as string).length).toBe(201);
  });
});
