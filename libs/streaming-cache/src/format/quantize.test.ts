import { describe, expect, it } from '@jest/globals';
import { floatToInt, intToFloat } from './quantize.js';

describe('floatToInt / intToFloat', () => {
  it.each([16, 24])('round-trips every edge value of %i-bit exactly', (bits) => {
    const max = 2 ** (bits - 1) - 1;
    const ints = Int32Array.from([0, 1, -1, max, -max - 1, 12345, -54321 % (max + 1)]);
    const floats = intToFloat([ints], bits);
    expect(floats[0][3]).toBe(max / 2 ** (bits - 1));
    const back = floatToInt(floats, ints.length, bits, true);
    expect(back).toEqual([ints]);
  });

  it('reports the first sample off the integer grid when exactness is asked for', () => {
    const floats = [Float32Array.from([0.5, 0.25]), Float32Array.from([0, 0.1])];
    expect(floatToInt(floats, 2, 16, true)).toEqual({ channel: 1, frame: 1, value: Math.fround(0.1) });
    expect(floatToInt([Float32Array.from([1])], 1, 24, true)).toEqual({ channel: 0, frame: 0, value: 1 });
    expect(floatToInt([Float32Array.from([Number.NaN])], 1, 24, true)).toMatchObject({ frame: 0 });
  });

  it('rounds and clamps resampled floats to 24 bit', () => {
    const floats = [Float32Array.from([1.5, -1.5, 0.1, 1 / 2 ** 24])];
    const [ints] = floatToInt(floats, 4, 24, false) as Int32Array[];
    expect(Array.from(ints)).toEqual([2 ** 23 - 1, -(2 ** 23), Math.round(Math.fround(0.1) * 2 ** 23), 1]);
  });

  it('converts only frameCount frames of longer channel arrays', () => {
    const [ints] = floatToInt([Float32Array.from([0.5, 0.5, 0.5])], 2, 16, true) as Int32Array[];
    expect(Array.from(ints)).toEqual([16384, 16384]);
  });
});
