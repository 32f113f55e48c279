import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { PriorityScheduler } from './PriorityScheduler.js';
import type { Lane } from './PriorityScheduler.js';
import type { Priority, StemRef } from '../types.js';

const bass: StemRef = { song: 's1', stem: 'bass' };
const drums: StemRef = { song: 's1', stem: 'drums' };
const other: StemRef = { song: 's2', stem: 'bass' };

function submit(s: PriorityScheduler<string, string>, key: string, priority: Priority, ref: StemRef = bass, lane: Lane = 'decode', internal = false) {
  return s.submit({ key, ref, lane, priority, payload: () => key, data: `${key}@${priority}`, internal });
}

function takeAll(s: PriorityScheduler<string, string>, lane: Lane = 'decode'): string[] {
  const keys: string[] = [];
  for (let job = s.takeNext(lane); job; job = s.takeNext(lane)) {
    keys.push(job.key);
    s.complete(job);
  }
  return keys;
}

describe('PriorityScheduler', () => {
  it('serves urgent before normal before idle, oldest first within a priority', () => {
    const s = new PriorityScheduler<string, string>();
    submit(s, 'n1', 'normal');
    submit(s, 'i1', 'idle');
    submit(s, 'n2', 'normal');
    submit(s, 'u1', 'urgent');
    submit(s, 'i2', 'idle');
    submit(s, 'u2', 'urgent');
    expect(takeAll(s)).toEqual(['u1', 'u2', 'n1', 'n2', 'i1', 'i2']);
  });

  it('holds idle work back while anything else waits, in either lane', () => {
    const s = new PriorityScheduler<string, string>();
    submit(s, 'write', 'idle', bass, 'store', true);
    submit(s, 'n1', 'normal', bass, 'decode');
    expect(s.takeNext('store')).toBeUndefined();
    const n1 = s.takeNext('decode')!;
    expect(n1.key).toBe('n1');
    // n1 runs (not queued any more): idle may go now.
    expect(s.takeNext('store')?.key).toBe('write');
  });

  it('takes only the given priority when asked (a helper slot for urgent work)', () => {
    const s = new PriorityScheduler<string, string>();
    submit(s, 'n1', 'normal');
    expect(s.takeNext('decode', 'urgent')).toBeUndefined();
    submit(s, 'u1', 'urgent');
    expect(s.takeNext('decode', 'urgent')?.key).toBe('u1');
    expect(s.takeNext('decode', 'urgent')).toBeUndefined();
    expect(s.takeNext('decode')?.key).toBe('n1');
  });

  it('deduplicates: a second request for the same key joins the job', () => {
    const s = new PriorityScheduler<string, string>();
    const first = submit(s, 'k', 'normal');
    const second = submit(s, 'k', 'normal');
    expect(first.joined).toBe(false);
    expect(second.joined).toBe(true);
    expect(second.job).toBe(first.job);
    const job = s.takeNext('decode')!;
    expect(s.takeNext('decode')).toBeUndefined();
    expect(s.complete(job).map((w) => w.data)).toEqual(['k@normal', 'k@normal']);
  });

  it('a request joining a running job is delivered with it', () => {
    const s = new PriorityScheduler<string, string>();
    submit(s, 'k', 'normal');
    const job = s.takeNext('decode')!;
    expect(submit(s, 'k', 'urgent').joined).toBe(true);
    expect(s.complete(job)).toHaveLength(2);
  });

  it('lifts a queued job to the priority of a more urgent duplicate, and lowers it again when that one is cancelled', () => {
    const s = new PriorityScheduler<string, string>();
    submit(s, 'a', 'normal');
    submit(s, 'b', 'normal', drums);
    submit(s, 'b', 'urgent', drums);
    expect(s.queuedCount({ priority: 'urgent' })).toBe(1);
    s.cancel({ stem: 'drums', priority: 'urgent' });
    expect(s.queuedCount({ priority: 'urgent' })).toBe(0);
    // b's remaining normal waiter is younger than a's: a first.
    expect(takeAll(s)).toEqual(['a', 'b']);
  });

  it('cancel drops queued jobs that match and keeps the rest in order', () => {
    const s = new PriorityScheduler<string, string>();
    submit(s, 'b1', 'normal', bass);
    submit(s, 'd1', 'normal', drums);
    submit(s, 'o1', 'normal', other);
    submit(s, 'b2', 'urgent', bass);
    const withdrawn = s.cancel({ song: 's1', priority: 'normal' });
    expect(withdrawn.map((w) => w.job.key).sort()).toEqual(['b1', 'd1']);
    expect(takeAll(s)).toEqual(['b2', 'o1']);
  });

  it('cancel withdraws waiters of a running job: its completion reaches nobody', () => {
    const s = new PriorityScheduler<string, string>();
    submit(s, 'k', 'normal');
    const job = s.takeNext('decode')!;
    expect(s.cancel({ song: 's1' })).toHaveLength(1);
    expect(s.complete(job)).toEqual([]);
  });

  it('leaves internal work alone unless asked', () => {
    const s = new PriorityScheduler<string, string>();
    submit(s, 'write', 'idle', bass, 'store', true);
    expect(s.cancel({ song: 's1' })).toHaveLength(0);
    expect(s.queuedCount()).toBe(1);
    expect(s.cancel({ song: 's1' }, { includeInternal: true })).toHaveLength(1);
    expect(s.queuedCount()).toBe(0);
  });

  it('bumps generations only for stems a priority-free cancel names; marks older waiters stale', () => {
    const s = new PriorityScheduler<string, string>();
    const old = submit(s, 'k', 'normal', bass).waiter;
    submit(s, 'x', 'normal', other);
    expect(s.generationOf(bass)).toBe(0);
    s.cancel({ song: 's1', priority: 'idle' });
    expect(s.generationOf(bass)).toBe(0);
    s.cancel({ song: 's1' });
    expect(s.generationOf(bass)).toBe(1);
    expect(s.generationOf(other)).toBe(0);
    expect(s.isCurrent(old, bass)).toBe(false);
    const fresh = submit(s, 'k', 'normal', bass).waiter;
    expect(fresh.generation).toBe(1);
    expect(s.isCurrent(fresh, bass)).toBe(true);
  });

  it('held jobs keep deduplicating and go back to their old place when requeued', () => {
    const s = new PriorityScheduler<string, string>();
    submit(s, 'first', 'normal');
    submit(s, 'second', 'normal');
    const job = s.takeNext('decode')!;
    s.hold(job);
    expect(submit(s, 'first', 'normal').joined).toBe(true);
    expect(s.requeue(job)).toBe(true);
    expect(takeAll(s)).toEqual(['first', 'second']);
  });

  it('requeue drops a held job whose waiters were all cancelled', () => {
    const s = new PriorityScheduler<string, string>();
    submit(s, 'k', 'normal');
    const job = s.takeNext('decode')!;
    s.hold(job);
    s.cancel({});
    expect(s.requeue(job)).toBe(false);
    expect(s.size).toBe(0);
    // a new submission with the same key starts a new job
    expect(submit(s, 'k', 'normal').joined).toBe(false);
  });

  it('moves a job to another lane on requeue (cache miss → decode)', () => {
    const s = new PriorityScheduler<string, string>();
    submit(s, 'k', 'normal', bass, 'store');
    const job = s.takeNext('store')!;
    s.requeue(job, 'decode');
    expect(s.takeNext('store')).toBeUndefined();
    expect(s.takeNext('decode')?.key).toBe('k');
  });

  it('drain returns every waiter and empties the queues', () => {
    const s = new PriorityScheduler<string, string>();
    submit(s, 'a', 'normal');
    submit(s, 'a', 'urgent');
    submit(s, 'b', 'idle');
    s.takeNext('decode');
    expect(s.drain()).toHaveLength(3);
    expect(s.queuedCount()).toBe(0);
    expect(s.takeNext('decode')).toBeUndefined();
  });

  it('property: any submission sequence is served by priority, then by first submission', () => {
    const priority = fc.constantFrom<Priority>('urgent', 'normal', 'idle');
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 7 }), priority), { maxLength: 40 }), (subs) => {
        const s = new PriorityScheduler<string, string>();
        const expected = new Map<string, { rank: number; seq: number }>();
        const rank = { urgent: 0, normal: 1, idle: 2 };
        subs.forEach(([k, p], seq) => {
          const key = `k${k}`;
          submit(s, key, p);
          const prev = expected.get(key);
          // effective priority = best among waiters; order = first submission at that priority
          if (!prev || rank[p] < prev.rank) expected.set(key, { rank: rank[p], seq });
        });
        const served = takeAll(s);
        const sorted = [...expected.entries()].sort((a, b) => a[1].rank - b[1].rank || a[1].seq - b[1].seq).map(([k]) => k);
        expect(served).toEqual(sorted);
      }),
    );
  });
});
