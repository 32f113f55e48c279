import { describe, expect, it, jest } from '@jest/globals';
import { SongIndex } from './SongIndex.js';

describe('SongIndex', () => {
  it('sums bytes per song and in total as entries come, change and go', () => {
    const index = new SongIndex(() => 1000, () => undefined);
    index.setEntry('a_1', 'a', 100);
    index.setEntry('a_2', 'a', 50);
    index.setEntry('b_1', 'b', 7);
    expect([index.totalBytes, index.bytesOf('a'), index.entryCount, index.songCount]).toEqual([157, 150, 3, 2]);
    index.setEntry('a_1', 'a', 120);
    expect([index.totalBytes, index.bytesOf('a')]).toEqual([177, 170]);
    index.removeEntry('a_1');
    index.removeEntry('a_2');
    expect([index.totalBytes, index.songCount, index.foldersOf('a')]).toEqual([7, 1, []]);
  });

  it('orders songs by use: new songs and touched songs become most recent, size updates do not', () => {
    const index = new SongIndex(() => 1000, () => undefined);
    for (const song of ['a', 'b', 'c']) index.setEntry(`${song}_x`, song, 1);
    index.touch('a');
    index.setEntry('b_y', 'b', 5);
    expect(index.leastRecentFirst()).toEqual(['b', 'c', 'a']);
  });

  it('stamps uses strictly increasing even within one millisecond, and restores order from stamps', () => {
    const index = new SongIndex(() => 5000, () => undefined);
    for (const song of ['a', 'b', 'c']) index.setEntry(`${song}_x`, song, 1);
    index.touch('a');
    const recency = index.recency();
    expect(recency.map(([song]) => song)).toEqual(['b', 'c', 'a']);
    const stamps = recency.map(([, at]) => at);
    expect(stamps[0]).toBeLessThan(stamps[1]);
    expect(stamps[1]).toBeLessThan(stamps[2]);

    const restored = new SongIndex(() => 0, () => undefined);
    for (const [song, at] of recency) restored.setEntry(`${song}_x`, song, 1, at);
    restored.touch('b');
    expect(restored.leastRecentFirst()).toEqual(['c', 'a', 'b']);
    // The restored clock runs behind the stamps it loaded: new stamps still come after them.
    expect(restored.recency().at(-1)![1]).toBeGreaterThan(stamps[2]);
  });

  it('hands the least recent song to onOverflow when the song limit is reached', () => {
    const overflow = jest.fn();
    const index = new SongIndex(() => 0, overflow);
    index.setEntry('first_x', 'first', 10);
    for (let i = 0; i < 65_536; i++) index.setEntry(`s${i}_x`, `s${i}`, 1);
    expect(overflow).toHaveBeenCalledWith('first', ['first_x']);
    expect(index.totalBytes).toBe(65_536);
    expect(index.songOf('first_x')).toBeUndefined();
  });
});
