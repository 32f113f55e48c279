import { describe, expect, it } from '@jest/globals';
import { actorTree } from './actorTree.js';
import { smallEngine } from './messages.fixture.js';

describe('actorTree', () => {
  it('nests actors by parent with their state and event count at the cursor', () => {
    const b = smallEngine()
      .event(1100, 'x:2', { type: 'STEM.PRIME', priority: 'urgent' }, 'x:1')
      .snapshot(1100, 'x:2', 'loading')
      .event(1200, 'x:2', { type: 'FETCH.LOADED' })
      .snapshot(1200, 'x:2', 'buffered');
    const tree = actorTree(b.log, b.log.size - 1);
    expect(tree.map((n) => n.label)).toEqual(['engine']);
    const song = tree[0].children[0];
    expect(song).toMatchObject({ label: 'song:a', state: 'opening', machineId: 'song' });
    expect(song.children.map((c) => [c.label, c.state, c.eventCount])).toEqual([
      ['song:a/stem:bass', 'buffered', 2],
      ['song:a/stem:drums', 'idle', 0],
    ]);
    // Back in time: before the second event, bass was loading with one event received.
    const earlier = actorTree(b.log, b.log.indexAtTime(1150));
    expect(earlier[0].children[0].children[0]).toMatchObject({ state: 'loading', eventCount: 1 });
    // Before the stem loaders existed.
    expect(actorTree(b.log, b.log.indexAtTime(1015))[0].children[0].children).toEqual([]);
  });

  it('greys stopped actors with their end status only from the time they stopped', () => {
    const b = smallEngine().created(1300, 'x:4', 'song:a/seek:1', 'x:1', 'seek').snapshot(1300, 'x:4', 'loading').snapshot(1480, 'x:4', 'done', { latencyMs: 180 }, 'done').stopped(1480, 'x:4');
    const seekAt = (t: number) => actorTree(b.log, b.log.indexAtTime(t))[0].children[0].children.find((c) => c.label === 'song:a/seek:1')!;
    expect(seekAt(1400)).toMatchObject({ stopped: false, status: 'active', state: 'loading' });
    expect(seekAt(1500)).toMatchObject({ stopped: true, status: 'done', state: 'done' });
  });

  it('filters by name, keeping the ancestors of what matches', () => {
    const b = smallEngine();
    const tree = actorTree(b.log, b.log.size - 1, 'DRUMS');
    expect(tree[0].label).toBe('engine');
    expect(tree[0].children[0].children.map((c) => c.label)).toEqual(['song:a/stem:drums']);
    expect(actorTree(b.log, b.log.size - 1, 'nothing-like-this')).toEqual([]);
  });

  it("keeps a reconnect's repeated greeting once", () => {
    const b = smallEngine();
    const before = b.log.size;
    // The server greets again with the same actor.created and snapshot (their original seq).
    b.log.append([b.log.messages[2], b.log.messages[3]]);
    expect(b.log.size).toBe(before);
  });

  it('shows an actor the stream never announced (a client that joined late)', () => {
    const b = smallEngine().snapshot(1500, 'x:9', 'running');
    const tree = actorTree(b.log, b.log.size - 1);
    expect(tree.map((n) => [n.label, n.state])).toContainEqual(['x:9', 'running']);
    // Its actor.created, arriving later (a protocol 1 server), names it and places it.
    b.created(1600, 'x:9', 'song:a/seek:9', 'x:1', 'seek');
    const song = actorTree(b.log, b.log.size - 1)[0].children[0];
    expect(song.children.map((c) => [c.label, c.state])).toContainEqual(['song:a/seek:9', 'running']);
  });

  it('keeps a restarted server apart: the old actors end as lost, the new ones (same session ids) form a new tree', () => {
    const b = smallEngine();
    // A reconnect to the same server: its hello carries the last seq it sent; nothing ends.
    b.log.append([{ type: 'hello', t: 999, seq: 8, protocol: 2, source: 'trax play' }]);
    expect(actorTree(b.log, b.log.size - 1)[0].stopped).toBe(false);
    // trax play ran again on the same port: a hello numbered from the start, the same x:0, x:1…
    b.log.append([
      { type: 'hello', t: 5000, seq: 0, protocol: 2, source: 'trax play' },
      { type: 'actor.created', t: 5001, seq: 1, sessionId: 'x:0', id: 'engine', systemId: 'engine', rootId: 'x:0' },
      { type: 'snapshot', t: 5001, seq: 2, sessionId: 'x:0', value: 'playing', status: 'active', context: {}, event: 'x' },
    ]);
    const tree = actorTree(b.log, b.log.size - 1);
    expect(tree.map((n) => [n.label, n.state, n.status, n.stopped])).toEqual([
      ['engine', 'idle', 'lost', true],
      ['engine', 'playing', 'active', false],
    ]);
    expect(tree[0].children[0].children.every((c) => c.status === 'lost')).toBe(true);
  });
});
