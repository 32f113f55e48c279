import { describe, expect, it } from '@jest/globals';
import { contextDiff } from './contextDiff.js';

describe('contextDiff', () => {
  it('lists added, removed and changed members by path', () => {
    const before = { position: 0, inFlight: [{ id: 1, priority: 'urgent' }], seek: null, lastError: 'x' };
    const after = { position: 48_000, inFlight: [{ id: 1, priority: 'normal' }, { id: 2 }], seek: { seekId: 3 } };
    expect(contextDiff(before, after)).toEqual([
      { path: 'position', kind: 'changed', before: 0, after: 48_000 },
      { path: 'inFlight[0].priority', kind: 'changed', before: 'urgent', after: 'normal' },
      { path: 'inFlight[1]', kind: 'added', after: { id: 2 } },
      { path: 'seek', kind: 'changed', before: null, after: { seekId: 3 } },
      { path: 'lastError', kind: 'removed', before: 'x' },
    ]);
  });

  it('finds nothing between equal values, and compares scalars whole', () => {
    expect(contextDiff({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toEqual([]);
    expect(contextDiff('loading', 'buffered')).toEqual([{ path: '(value)', kind: 'changed', before: 'loading', after: 'buffered' }]);
    expect(contextDiff(Array.from({ length: 50 }, (_, i) => i), [], 10)).toHaveLength(10);
  });
});
