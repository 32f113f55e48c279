import { describe, expect, it } from '@jest/globals';
import { parseRange } from './byteRange.js';

describe('parseRange', () => {
  it.each([
    ['bytes=0-99', { kind: 'range', start: 0, end: 100 }],
    ['bytes=990-', { kind: 'range', start: 990, end: 1000 }],
    ['bytes=900-5000', { kind: 'range', start: 900, end: 1000 }], // clipped at the end of the file
    ['bytes=-10', { kind: 'range', start: 990, end: 1000 }],
    ['bytes=-5000', { kind: 'range', start: 0, end: 1000 }],
    ['Bytes = 5 - 5', { kind: 'range', start: 5, end: 6 }],
  ])('%s of a 1000-byte file', (header, expected) => {
    expect(parseRange(header, 1000)).toEqual(expected);
  });

  it('asks for the whole file without a header', () => {
    expect(parseRange(undefined, 1000)).toEqual({ kind: 'whole' });
  });

  it.each(['bytes=1000-', 'bytes=5-4', 'bytes=-0', 'bytes=0-1,5-6', 'items=0-1', 'bytes=-', 'bytes=a-b', ''])('refuses %j', (header) => {
    expect(parseRange(header, 1000).kind).toBe('unsatisfiable');
  });

  it('refuses any range of an empty file', () => {
    expect(parseRange('bytes=0-', 0).kind).toBe('unsatisfiable');
    expect(parseRange('bytes=-1', 0).kind).toBe('unsatisfiable');
  });
});
