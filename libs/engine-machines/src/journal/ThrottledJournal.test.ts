import { describe, expect, it } from '@jest/globals';
import { SimulatedClock } from 'xstate';
import { MemoryJournalStore } from '../testing/MemoryJournalStore.js';
import { parseResumeJournal } from './parseResumeJournal.js';
import type { ResumeJournal } from './ResumeJournal.js';
import { ThrottledJournal } from './ThrottledJournal.js';

const at = (frame: number): ResumeJournal => ({
  setlist: { source: '/gig.json', name: 'gig' },
  song: 'a',
  position: { frame, sampleRate: 48_000 },
  playing: true,
  mix: [],
  savedAt: new Date(0).toISOString(),
});
const framesOf = (store: MemoryJournalStore) => store.written.map((text) => parseResumeJournal(text, store.name).position.frame);
const settle = () => new Promise((resolve) => setImmediate(resolve));

function setup() {
  const clock = new SimulatedClock();
  const store = new MemoryJournalStore(() => clock.now());
  const errors: unknown[] = [];
  const journal = new ThrottledJournal({ store, clock, onError: (e) => errors.push(e) });
  /** Records frame = t at every `step` ms from `from` to `to` (inclusive), advancing the clock. */
  const play = async (from: number, to: number, step: number) => {
    for (let t = from; t <= to; t += step) {
      clock.set(t);
      journal.record(at(t));
      await settle();
    }
  };
  return { clock, store, journal, errors, play };
}

describe('ThrottledJournal', () => {
  it('writes at most once a second, and the newest record each time', async () => {
    const { store, play } = setup();
    await play(0, 5_000, 100);
    // Writes start at 0, 1000, …, 5000 ms. The timer fires as the clock reaches each second,
    // before that moment's record arrives: each write holds the newest record then (900, 1900…).
    expect(framesOf(store)).toEqual([0, 900, 1_900, 2_900, 3_900, 4_900]);
    expect(store.writtenAt).toEqual([0, 1_000, 2_000, 3_000, 4_000, 5_000]);
  });

  it('writes a record left pending when the second is up, without a new record', async () => {
    const { clock, store, journal, play } = setup();
    await play(0, 700, 350); // 0 written; 350 and 700 pending, 700 the newest
    expect(framesOf(store)).toEqual([0]);
    clock.increment(299); // 999 ms
    await settle();
    expect(framesOf(store)).toEqual([0]);
    clock.increment(1); // 1000 ms: the timer fires
    await settle();
    expect(framesOf(store)).toEqual([0, 700]);
    expect(journal.writes).toBe(2);
  });

  it('never starts a write while one is in flight; the newest record follows it at once', async () => {
    const { clock, store, journal, play } = setup();
    store.holdWrites = true;
    await play(0, 3_000, 500);
    expect(store.heldWrites).toBe(1); // the write of 0 is still going; nothing else started
    expect(journal.writes).toBe(1);
    store.release();
    await settle();
    await settle();
    expect(framesOf(store)).toEqual([0, 3_000]);
    expect(store.writtenAt).toEqual([0, 3_000]);
    expect(clock.now()).toBe(3_000);
  });

  it('reports a failed write and writes the next record', async () => {
    const { store, errors, play } = setup();
    store.failNext(Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' }));
    await play(0, 2_000, 1_000);
    expect(errors).toHaveLength(1);
    expect(framesOf(store)).toEqual([1_000, 2_000]);
  });

  it('flush writes the pending record now; close stops recording', async () => {
    const { store, journal, play } = setup();
    await play(0, 400, 200);
    await journal.flush();
    expect(framesOf(store)).toEqual([0, 400]);
    await journal.close();
    journal.record(at(999));
    await journal.flush();
    expect(framesOf(store)).toEqual([0, 400]);
  });
});
