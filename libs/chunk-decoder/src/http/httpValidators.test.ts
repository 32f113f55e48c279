import { describe, expect, it } from '@jest/globals';
import { parseContentRange } from './contentRange.js';
import { versionChange } from './resourceVersion.js';

describe('parseContentRange', () => {
  it.each([
    ['bytes 0-99/1000', { kind: 'bytes', start: 0, end: 100, size: 1000 }],
    ['bytes 990-999/1000', { kind: 'bytes', start: 990, end: 1000, size: 1000 }],
    ['bytes */0', { kind: 'unsatisfied', size: 0 }],
    ['bytes */1000', { kind: 'unsatisfied', size: 1000 }],
  ])('%s', (header, expected) => {
    expect(parseContentRange(header)).toEqual(expected);
  });

  it.each([null, 'bytes 0-99/*', 'bytes 10-5/100', 'bytes 0-100/100', 'items 0-1/2', 'garbage'])('refuses %j', (header) => {
    expect(parseContentRange(header)).toBeUndefined();
  });
});

describe('versionChange', () => {
  const opened = { size: 1000, etag: '"a"', lastModified: 'Thu, 01 Jan 2026 00:00:00 GMT' };
  it('sees the same version', () => {
    expect(versionChange(opened, { ...opened })).toBeUndefined();
  });
  it('names the first field that differs', () => {
    expect(versionChange(opened, { ...opened, size: 1001, etag: '"b"' })).toEqual({ field: 'size', expected: '1000 bytes', actual: '1001 bytes' });
    expect(versionChange(opened, { ...opened, etag: '"b"' })).toEqual({ field: 'etag', expected: '"a"', actual: '"b"' });
    expect(versionChange(opened, { ...opened, lastModified: 'Fri, 02 Jan 2026 00:00:00 GMT' })?.field).toBe('last-modified');
  });
  it('does not compare a validator one of the answers lacks', () => {
    expect(versionChange(opened, { size: 1000, etag: undefined, lastModified: undefined })).toBeUndefined();
    expect(versionChange({ size: 1000, etag: undefined, lastModified: undefined }, opened)).toBeUndefined();
  });
});
