import { describe, expect, it } from '@jest/globals';
import { seekMachine, stemLoaderMachine, songMachine } from '@trax/engine-machines';
import { smallEngine } from '../session/messages.fixture.js';
import { filterLog, messageLabel, payloadSummary } from './eventFilter.js';
import { metricsSeries, sparklinePoints } from './metricsSeries.js';
import { sequenceDiagram } from './sequenceDiagram.js';
import { edgeLabel, statechartGraph } from './statechartGraph.js';
import { layoutStatechart } from './statechartLayout.js';
import { timeBetween, TriggerEvaluator, type Trigger } from './triggers.js';

const song = (t: number, bass: number, underruns: number, latencies: number[] = []) => ({ song: 'a', instance: 1, state: 'playing', underruns, bufferBytes: 1000 * t, cache: { hitRate: 0.5 }, seekLatencyMs: latencies, firstAudioMs: 200, stems: { bass: { bufferedSeconds: bass, underruns } } });

describe('sequenceDiagram', () => {
  it('draws events between actors as arrows, lanes in order of appearance', () => {
    const b = smallEngine()
      .event(1100, 'x:0', { type: 'PLAY_SONG' })
      .event(1101, 'x:1', { type: 'SONG.PLAY' }, 'x:0')
      .event(1102, 'x:2', { type: 'STEM.PRIME' }, 'x:1')
      .event(1103, 'x:1', { type: 'STEM.PRIMED' }, 'x:2');
    const d = sequenceDiagram(b.log, 0, b.log.size - 1);
    expect(d.lanes).toEqual(['outside', 'engine', 'song:a', 'song:a/stem:bass']);
    expect(d.arrows.map((a) => [a.from, a.to, a.label])).toEqual([[0, 1, 'PLAY_SONG'], [1, 2, 'SONG.PLAY'], [2, 3, 'STEM.PRIME'], [3, 2, 'STEM.PRIMED']]);
    const windowed = sequenceDiagram(b.log, b.log.indexAtTime(1101), b.log.size - 1, { maxArrows: 2, only: new Set(['x:2']) });
    expect(windowed.arrows.map((a) => a.label)).toEqual(['STEM.PRIME', 'STEM.PRIMED']);
    expect(sequenceDiagram(b.log, 0, b.log.size - 1, { maxArrows: 1 }).omitted).toBe(3);
  });
});

describe('eventFilter', () => {
  it('filters by actor, type and text up to the cursor', () => {
    const b = smallEngine().event(1100, 'x:2', { type: 'STEM.PRIME', priority: 'urgent' }, 'x:1').event(1200, 'x:3', { type: 'STEM.PRIME', priority: 'idle' }, 'x:1').event(1300, 'x:1', { type: 'SONG.PLAY' });
    const labels = (ix: number[]) => ix.map((i) => messageLabel(b.log.messages[i]));
    const end = b.log.size - 1;
    expect(labels(filterLog(b.log, end, { type: 'prime' }))).toEqual(['STEM.PRIME', 'STEM.PRIME']);
    expect(filterLog(b.log, end, { text: 'idle' }).map((i) => b.log.messages[i].t)).toEqual([1200]);
    expect(labels(filterLog(b.log, end, { actor: 'x:1', type: 'STEM' }))).toEqual(['STEM.PRIME', 'STEM.PRIME']);
    expect(filterLog(b.log, b.log.indexAtTime(1150), { type: 'prime' })).toHaveLength(1);
    expect(payloadSummary(b.log.messages[filterLog(b.log, end, { type: 'prime' })[0]])).toBe('{"priority":"urgent"}');
  });
});

describe('TriggerEvaluator', () => {
  const triggers: Trigger[] = [
    { id: 1, condition: { kind: 'buffer-below', seconds: 2 }, action: 'bookmark' },
    { id: 2, condition: { kind: 'seek-over', ms: 150 }, action: 'pause' },
    { id: 3, condition: { kind: 'underrun' }, action: 'bookmark' },
  ];

  it('fires once per crossing, per slow seek and per underrun', () => {
    const b = smallEngine()
      .metrics(2000, [song(2000, 5, 0)])
      .metrics(2500, [song(2500, 1.5, 0)])
      .metrics(3000, [song(3000, 1.0, 2)])
      .metrics(3500, [song(3500, 4, 2)])
      .metrics(4000, [song(4000, 0.5, 2)])
      .created(4100, 'x:5', 'song:a/seek:1', 'x:1', 'seek')
      .snapshot(4282, 'x:5', 'crossfading', { latencyMs: 182 })
      .snapshot(4300, 'x:5', 'done', { latencyMs: 182 }, 'done')
      .created(5000, 'x:6', 'song:a/seek:2', 'x:1', 'seek')
      .snapshot(5040, 'x:6', 'done', { latencyMs: 40 }, 'done');
    const fired = new TriggerEvaluator(b.log).evaluate(triggers);
    expect(fired.map((f) => [f.t, f.triggerId, f.label, f.action])).toEqual([
      [2500, 1, 'bass buffer 1.50 s < 2 s', 'bookmark'],
      [3000, 3, 'underrun: bass (+2)', 'bookmark'],
      [4000, 1, 'bass buffer 0.50 s < 2 s', 'bookmark'],
      [4282, 2, 'song:a/seek:1 took 182 ms', 'pause'],
    ]);
    expect(timeBetween(fired[0], fired[1])).toBe('500 ms');
    expect(timeBetween(fired[0], fired[3])).toBe('1.78 s');
  });
});

describe('metricsSeries', () => {
  it('extracts the sparkline series up to the cursor', () => {
    const b = smallEngine().metrics(2000, [song(2000, 5, 0)]).metrics(2500, [song(2500, 4, 1, [180])]).metrics(3000, [song(3000, 3, 4, [180, 90])]);
    const { points, latest } = metricsSeries(b.log, b.log.indexAtTime(2600));
    expect(points.map((p) => [p.t, p.underruns, p.lastSeekMs, p.cacheHitRate])).toEqual([[2000, 0, null, 0.5], [2500, 1, 180, 0.5]]);
    expect(latest).toMatchObject({ at: 2500 });
    expect(sparklinePoints([0, 5, 10], 100, 10)).toBe('0.0,10.0 50.0,5.0 100.0,0.0');
    expect(sparklinePoints([3, null, 3], 100, 10)).toBe('0.0,5.0 100.0,5.0');
  });
});

describe('statechartGraph', () => {
  it("draws the stem loader's states, including its eventless transitions", () => {
    const graph = statechartGraph(stemLoaderMachine);
    expect(graph.nodes.map((n) => n.id)).toEqual(expect.arrayContaining(['stemLoader.idle', 'stemLoader.loading', 'stemLoader.buffered', 'stemLoader.refilling', 'stemLoader.starved', 'stemLoader.failed']));
    expect(graph.edges).toContainEqual(expect.objectContaining({ source: 'stemLoader.loading', target: 'stemLoader.buffered', label: 'always' }));
    expect(graph.edges).toContainEqual(expect.objectContaining({ source: 'stemLoader.buffered', target: 'stemLoader.starved', label: 'STEM.STARVED' }));
    expect(graph.edges).toContainEqual(expect.objectContaining({ source: 'stemLoader.retrying', target: 'stemLoader.buffered', label: 'after retryDelay' }));
    expect(graph.nodes.find((n) => n.id === 'stemLoader.failed')?.final).toBe(true);
    expect(edgeLabel('xstate.done.actor.openStems.song')).toBe('done openStems');
  });

  it('lays out every engine chart, compound states around their children', async () => {
    for (const machine of [songMachine, seekMachine, stemLoaderMachine]) {
      const graph = statechartGraph(machine);
      const placed = await layoutStatechart(graph);
      expect(placed.nodes.map((n) => n.id).sort()).toEqual(graph.nodes.map((n) => n.id).sort());
      for (const node of placed.nodes) {
        const parent = placed.nodes.find((p) => p.id === node.parent);
        const bounds = parent ?? { width: placed.width, height: placed.height };
        expect(node.x + node.width).toBeLessThanOrEqual(bounds.width + 0.5);
        expect(node.y + node.height).toBeLessThanOrEqual(bounds.height + 0.5);
      }
    }
  });
});
