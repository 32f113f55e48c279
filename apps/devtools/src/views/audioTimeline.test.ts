import { describe, expect, it } from '@jest/globals';
import { smallEngine } from '../session/messages.fixture.js';
import { AudioTimeline } from './audioTimeline.js';
import { explainSeek } from './seekExplanation.js';
import { layoutTimeline, panWindow, zoomWindow } from './timelineLayout.js';

const request = (id: number, span: number, priority = 'urgent') => ({ type: 'FETCH.REQUEST', request: { id, set: 1, generation: 0, span, start: span * 240_000, end: (span + 1) * 240_000, priority, purpose: 'fill' } });
const loaded = (id: number, span: number, from: 'cache' | 'decode', loadMs: number) => ({
  type: 'FETCH.LOADED',
  request: { id, span, priority: 'urgent' },
  chunk: { chunkIndex: span, from, timing: { queuedMs: 5, loadMs }, channelData: [{ typedArray: 'Float32Array', length: 240_000 }] },
});

/** A seek at t=2000 that waits for bass (cache, fast) and drums (decode, 150 ms) and lands at 2180. */
function seekSession() {
  return smallEngine()
    .created(1030, 'x:20', 'x:20') // the bass fetcher
    .created(1030, 'x:30', 'x:30') // the drums fetcher
    .metrics(1500, [{ song: 'a', instance: 1, state: 'playing', firstAudioMs: 212, stems: { bass: { bufferedSeconds: 10, underruns: 0 }, drums: { bufferedSeconds: 10, underruns: 0 } } }])
    .created(2000, 'x:4', 'song:a/seek:1', 'x:1', 'seek')
    .snapshot(2000, 'x:4', 'loading', { latencyMs: null, stemLoaders: [{ actor: 'x:2' }, { actor: 'x:3' }] })
    .event(2001, 'x:20', request(7, 4), 'x:2')
    .event(2001, 'x:30', request(8, 4), 'x:3')
    .event(2020, 'x:2', loaded(7, 4, 'cache', 12), 'x:20')
    .event(2021, 'x:4', { type: 'SEEK.STEM_READY', seekId: 1, stem: 0 }, 'x:2')
    .event(2170, 'x:3', loaded(8, 4, 'decode', 150), 'x:30')
    .event(2171, 'x:4', { type: 'SEEK.STEM_READY', seekId: 1, stem: 1 }, 'x:3')
    .snapshot(2171, 'x:4', 'landing', { latencyMs: null, stemLoaders: [{ actor: 'x:2' }, { actor: 'x:3' }] })
    .snapshot(2180, 'x:4', 'crossfading', { latencyMs: 180, stemLoaders: [{ actor: 'x:2' }, { actor: 'x:3' }] })
    .metrics(2500, [{ song: 'a', instance: 1, state: 'playing', firstAudioMs: 212, stems: { bass: { bufferedSeconds: 9, underruns: 0 }, drums: { bufferedSeconds: 0.5, underruns: 3 } } }])
    .snapshot(2300, 'x:4', 'done', { latencyMs: 180 }, 'done')
    .stopped(2300, 'x:4');
}

describe('AudioTimeline', () => {
  it('turns fetch events into chunk loads: queued → started → delivered, by priority and source', () => {
    const timeline = new AudioTimeline(seekSession().log).catchUp();
    const [drums] = timeline.lane('song:a/stem:drums').loads;
    expect(drums).toMatchObject({ what: '#4', priority: 'urgent', queuedAt: 2001, startedAt: 2020, endedAt: 2170, outcome: 'loaded', from: 'decode', loadMs: 150 });
    expect(timeline.lane('song:a/stem:bass').loads[0]).toMatchObject({ queuedAt: 2001, startedAt: 2008, endedAt: 2020, from: 'cache' });
  });

  it('follows a seek: phases, the stems it waited for (slowest last) and its latency', () => {
    const [seek] = new AudioTimeline(seekSession().log).catchUp().seeks;
    expect(seek).toMatchObject({ label: 'song:a/seek:1', requestedAt: 2000, endedAt: 2300, latencyMs: 180, outcome: 'done' });
    expect(seek.phases.map((p) => [p.state, p.t])).toEqual([['loading', 2000], ['landing', 2171], ['crossfading', 2180], ['done', 2300]]);
    expect(seek.stemsReady).toEqual([
      { stem: 0, lane: 'song:a/stem:bass', t: 2021 },
      { stem: 1, lane: 'song:a/stem:drums', t: 2171 },
    ]);
  });

  it('samples buffer fill and marks underruns and first audio from metrics', () => {
    const timeline = new AudioTimeline(seekSession().log).catchUp();
    const drums = timeline.lane('song:a/stem:drums');
    expect(drums.fill).toEqual([{ t: 1500, seconds: 10 }, { t: 2500, seconds: 0.5 }]);
    expect(drums.underruns).toEqual([{ t: 2500, count: 3 }]);
    expect(timeline.lane('song:a/stem:bass').underruns).toEqual([]);
    expect(timeline.markers).toContainEqual({ t: 1500, kind: 'first-audio', label: 'first audio a: 212 ms' });
  });

  it('is built the same incrementally as at once', () => {
    const whole = new AudioTimeline(seekSession().log).catchUp();
    const b = seekSession();
    const messages = b.log.messages.slice();
    const partial = new (b.log.constructor as new () => typeof b.log)();
    const timeline = new AudioTimeline(partial);
    for (const m of messages) {
      partial.append([m]);
      timeline.catchUp();
    }
    expect(timeline.seeks).toEqual(whole.seeks);
    expect([...timeline.lanes.entries()]).toEqual([...whole.lanes.entries()]);
  });
});

describe('layoutTimeline', () => {
  it('places bars, fill and seeks in pixels (1000 px for 2000..3000 ms: 1 px per ms)', () => {
    const timeline = new AudioTimeline(seekSession().log).catchUp();
    const layout = layoutTimeline(timeline, { from: 2000, to: 3000, width: 1000 }, 3000, ['song:a/stem:drums', 'song:a/stem:bass']);
    const drums = layout.lanes[0];
    expect(drums.loads.map((b) => [b.queuedX, b.startX, b.endX])).toEqual([[1, 20, 170]]);
    expect(drums.underrunXs).toEqual([{ x: 500, count: 3 }]);
    // Fill: 10 s is the scale's top; the sample before the window keeps the line continuous.
    expect(layout.maxFillSeconds).toBe(10);
    expect(drums.fill).toEqual([{ x: -500, y: 0 }, { x: 500, y: 0.95 }]);
    expect(layout.seeks.map((s) => [s.x, s.endX])).toEqual([[0, 300]]);
  });

  it('shows only what happened up to the cursor (a load in flight reaches it)', () => {
    const timeline = new AudioTimeline(seekSession().log).catchUp();
    const layout = layoutTimeline(timeline, { from: 2000, to: 3000, width: 1000 }, 2100, ['song:a/stem:drums']);
    expect(layout.lanes[0].loads.map((b) => [b.queuedX, b.startX, b.endX])).toEqual([[1, 100, 100]]);
    expect(layout.lanes[0].underrunXs).toEqual([]);
    expect(layout.seeks.map((s) => s.endX)).toEqual([100]);
  });

  it('zooms around a time and pans by pixels', () => {
    expect(zoomWindow({ from: 0, to: 1000, width: 500 }, 0.5, 500)).toEqual({ from: 250, to: 750, width: 500 });
    expect(zoomWindow({ from: 0, to: 1000, width: 500 }, 0.5, 0)).toEqual({ from: 0, to: 500, width: 500 });
    expect(panWindow({ from: 0, to: 1000, width: 500 }, 50)).toEqual({ from: -100, to: 900, width: 500 });
  });
});

describe('explainSeek', () => {
  it('names the stem and the load a seek waited for', () => {
    const timeline = new AudioTimeline(seekSession().log).catchUp();
    const why = explainSeek(timeline, timeline.seeks[0]);
    expect(why.stems).toEqual([{ lane: 'song:a/stem:bass', at: 21 }, { lane: 'song:a/stem:drums', at: 171 }]);
    expect(why.critical).toMatchObject({ lane: 'song:a/stem:drums', what: '#4', from: 'decode', loadMs: 150 });
    expect(why.phases.map((p) => [p.label, p.at, p.ms])).toEqual([['loading', 0, 171], ['landing', 171, 9], ['crossfading', 180, 120], ['done', 300, 0]]);
    expect(why.summary).toBe(
      "The seek waited 171 ms for drums, the last of 2 stems; its urgent load #4 was decoded (not cached) in 150 ms after 19 ms in the loader's queue; then 9 ms until the mixer jumped (total 180 ms).",
    );
  });
});
