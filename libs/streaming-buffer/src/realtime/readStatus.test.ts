import { describe, expect, it } from '@jest/globals';
import { readStatus } from './readStatus.js';

describe('readStatus', () => {
  it('classifies a read by its missing count', () => {
    expect(readStatus(0, 128)).toBe('available');
    expect(readStatus(1, 128)).toBe('partial');
    expect(readStatus(127, 128)).toBe('partial');
    expect(readStatus(128, 128)).toBe('unavailable');
  });
});
