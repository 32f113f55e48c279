import { describe, expect, it } from '@jest/globals';
import { SegmentBuffer } from './SegmentBuffer.js';

const ramp = (start: number, count: number) => [Float32Array.from({ length: count }, (_, i) => start + i)];

describe('SegmentBuffer', () => {
  it('reads across adjacent segments and writes silence where nothing was delivered', () => {
    const buffer = new SegmentBuffer(1);
    buffer.push(0, ramp(0, 10));
    buffer.push(10, ramp(10, 10));
    buffer.push(30, ramp(30, 5));
    const out = [new Float32Array(40).fill(-1)];
    expect(buffer.read(0, 40, out, 0)).toBe(15); // 20..29 and 35..39
    expect(Array.from(out[0].subarray(0, 20))).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(Array.from(out[0].subarray(20, 30))).toEqual(new Array(10).fill(0));
    expect(Array.from(out[0].subarray(30, 35))).toEqual([30, 31, 32, 33, 34]);
    expect(buffer.framesAvailableAt(3)).toBe(17);
    expect(buffer.framesAvailableAt(25)).toBe(0);
    expect(buffer.gaps(0, 40)).toEqual([
      [20, 30],
      [35, 40],
    ]);
  });

  it('drops a slice covered by a later whole chunk, keeps memory to what is retained', () => {
    const buffer = new SegmentBuffer(2);
    buffer.push(0, [new Float32Array(5), new Float32Array(5)]);
    buffer.push(0, [new Float32Array(20), new Float32Array(20)]);
    expect(buffer.heldFrames).toBe(20);
    expect(buffer.bytes).toBe(20 * 2 * 4);
    buffer.push(20, [new Float32Array(20), new Float32Array(20)]);
    buffer.retain(25, 100);
    expect(buffer.gaps(0, 40)).toEqual([[0, 20]]);
    buffer.clear();
    expect(buffer.heldFrames).toBe(0);
  });
});
