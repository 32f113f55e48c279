import type { InspectMessage, UnstampedMessage } from '@trax/engine-machines';

export interface SyntheticSessionOptions {
  readonly stems: number;
  /** Session length (seconds of playback). */
  readonly seconds: number;
  /** A seek every this many seconds. */
  readonly seekEverySeconds: number;
  readonly start?: number;
}

/**
 * A synthetic but realistically shaped protocol 2 session of one song: metrics twice a second
 * (every stem's fill), and per stem a 5-second chunk refill cycle (PLAYHEAD → FETCH.REQUEST →
 * FETCH.LOADED with the same snapshots, microsteps and actions the engine sends), plus a seek every
 * `seekEverySeconds` loading an urgent slice on every stem. Yields messages in time order.
 */
export function* syntheticSession(options: SyntheticSessionOptions): Generator<InspectMessage> {
  const start = options.start ?? 1_700_000_000_000;
  let seq = 0;
  const at = (ms: number, m: UnstampedMessage): InspectMessage => ({ ...m, t: start + ms, seq: ++seq }) as InspectMessage;
  const stems = Array.from({ length: options.stems }, (_, i) => `stem${String(i + 1).padStart(2, '0')}`);
  const loader = (i: number) => `x:${10 + i * 2}`;
  const fetcher = (i: number) => `x:${11 + i * 2}`;
  yield at(0, { type: 'hello', protocol: 2, source: 'synthetic' });
  yield at(0, { type: 'actor.created', sessionId: 'x:0', id: 'engine', systemId: 'engine', rootId: 'x:0', machine: { id: 'engine', digest: '00000000' } });
  yield at(1, { type: 'actor.created', sessionId: 'x:1', id: 'song:synth#1', systemId: 'song:synth', parentId: 'x:0', rootId: 'x:0', machine: { id: 'song', digest: '00000000' } });
  yield at(1, { type: 'snapshot', sessionId: 'x:1', value: 'playing', status: 'active', context: { song: { song: 'synth', instance: 1, state: 'playing' }, primedStems: stems.map((_, i) => i) }, event: 'SONG.PLAY' });
  for (let i = 0; i < stems.length; i++) {
    yield at(2, { type: 'actor.created', sessionId: loader(i), id: `stem:${stems[i]}`, systemId: `song:synth/stem:${stems[i]}`, parentId: 'x:1', rootId: 'x:0', machine: { id: 'stemLoader', digest: '00000000' } });
    yield at(2, { type: 'actor.created', sessionId: fetcher(i), id: 'fetcher', parentId: loader(i), rootId: 'x:0' });
  }
  const chunkMs = 5_000;
  let requestId = 1;
  let seekId = 0;
  const context = (i: number, position: number, inFlight: unknown[]) => ({
    env: { class: 'EngineEnvironment' },
    song: { song: 'synth', instance: 1, activeSet: 0 },
    stem: { stem: stems[i], index: i, bufferedFrames: 960_000, bytes: 7_680_000 },
    firstPriority: 'urgent',
    position,
    inFlight,
    generations: [0, 0, 0],
    nextRequestId: requestId,
    failures: {},
    lastError: null,
    seek: null,
    starvedEpisodes: 0,
  });
  for (let ms = 0; ms < options.seconds * 1000; ms += 500) {
    const second = ms / 1000;
    // Every 5 s each stem enters a new chunk and asks for the one 4 chunks ahead (staggered by stem).
    if (ms % chunkMs === 0) {
      const chunk = ms / chunkMs + 4;
      for (let i = 0; i < stems.length; i++) {
        const t = ms + i * 3;
        const position = (ms / 1000) * 48_000;
        const request = { id: requestId++, set: 0, generation: 0, span: chunk, start: chunk * 240_000, end: (chunk + 1) * 240_000, priority: 'normal', purpose: 'fill' };
        yield at(t, { type: 'event', sessionId: loader(i), sourceId: 'x:1', event: { type: 'STEM.PLAYHEAD', position } });
        yield at(t, { type: 'action', sessionId: loader(i), action: { type: 'movePlayhead', params: null } });
        yield at(t, { type: 'action', sessionId: loader(i), action: { type: 'fill', params: { firstSlice: false } } });
        yield at(t, { type: 'event', sessionId: fetcher(i), sourceId: loader(i), event: { type: 'FETCH.REQUEST', request } });
        yield at(t, { type: 'microstep', sessionId: loader(i), value: 'refilling', event: 'STEM.PLAYHEAD', transitions: [{ source: 'stemLoader.buffered', targets: ['stemLoader.refilling'], event: '' }] });
        yield at(t, { type: 'snapshot', sessionId: loader(i), value: 'refilling', status: 'active', context: context(i, position, [request]), event: 'STEM.PLAYHEAD' });
        const loadMs = 60 + ((i * 37 + chunk * 11) % 90);
        const done = t + 20 + loadMs;
        const chunkSummary = { song: 'synth', stem: stems[i], chunkIndex: chunk, startFrame: chunk * 240_000, frameCount: 240_000, channelData: [{ typedArray: 'Float32Array', length: 240_000 }, { typedArray: 'Float32Array', length: 240_000 }], sampleRate: 48_000, from: 'decode', errors: [], timing: { queuedMs: 20, loadMs } };
        yield at(done, { type: 'event', sessionId: loader(i), sourceId: fetcher(i), event: { type: 'FETCH.LOADED', request, chunk: chunkSummary } });
        yield at(done, { type: 'action', sessionId: loader(i), action: { type: 'store', params: null } });
        yield at(done, { type: 'microstep', sessionId: loader(i), value: 'buffered', event: 'FETCH.LOADED', transitions: [{ source: 'stemLoader.refilling', targets: ['stemLoader.buffered'], event: '' }] });
        yield at(done, { type: 'snapshot', sessionId: loader(i), value: 'buffered', status: 'active', context: context(i, position, []), event: 'FETCH.LOADED' });
      }
    }
    if (ms > 0 && ms % (options.seekEverySeconds * 1000) === 0) {
      seekId++;
      const seek = `x:${10_000 + seekId}`;
      const t0 = ms + 250;
      yield at(t0, { type: 'event', sessionId: 'x:1', sourceId: 'x:0', event: { type: 'SONG.SEEK', seconds: second / 2, requestedAt: t0 } });
      yield at(t0, { type: 'actor.created', sessionId: seek, id: `seek:${seekId}`, systemId: `song:synth/seek:${seekId}`, parentId: 'x:1', rootId: 'x:0', machine: { id: 'seek', digest: '00000000' } });
      yield at(t0, { type: 'snapshot', sessionId: seek, value: 'loading', status: 'active', context: { seekId, latencyMs: null, stemLoaders: stems.slice(0, 32).map((_, i) => ({ actor: loader(i) })) }, event: 'xstate.init' });
      let last = t0;
      for (let i = 0; i < stems.length; i++) {
        const request = { id: requestId++, set: 1, generation: seekId, span: { startFrame: 0, frameCount: 24_000 }, start: 0, end: 24_000, priority: 'urgent', purpose: 'fill' };
        const ready = t0 + 10 + ((i * 53 + seekId * 17) % 170);
        last = Math.max(last, ready);
        yield at(t0 + 1, { type: 'event', sessionId: fetcher(i), sourceId: loader(i), event: { type: 'FETCH.REQUEST', request } });
        yield at(ready, { type: 'event', sessionId: loader(i), sourceId: fetcher(i), event: { type: 'FETCH.LOADED', request, chunk: { chunkIndex: 0, from: i % 3 === 0 ? 'cache' : 'decode', timing: { queuedMs: 5, loadMs: ready - t0 - 6 } } } });
        yield at(ready, { type: 'event', sessionId: seek, sourceId: loader(i), event: { type: 'SEEK.STEM_READY', seekId, stem: i } });
      }
      yield at(last + 9, { type: 'snapshot', sessionId: seek, value: 'crossfading', status: 'active', context: { seekId, latencyMs: last + 9 - t0 }, event: 'MIXER.SEEK_LANDED' });
      yield at(last + 60, { type: 'snapshot', sessionId: seek, value: 'done', status: 'done', context: { seekId, latencyMs: last + 9 - t0 }, event: 'MIXER.RELEASED' });
      yield at(last + 60, { type: 'actor.stopped', sessionId: seek, status: 'done' });
    }
    const fills = Object.fromEntries(stems.map((s, i) => [s, { bufferedFrames: 800_000 + ((ms / 10 + i * 1000) % 160_000), bufferedSeconds: (800_000 + ((ms / 10 + i * 1000) % 160_000)) / 48_000, bytes: 7_680_000, underruns: 0, fromCache: 0, decoded: ms / chunkMs, loadFailures: 0, failed: false }]));
    yield at(ms + 499, { type: 'metrics', metrics: { at: ms, sampleRate: 48_000, outputFrames: ms * 48, currentSong: 'synth', droppedMixerEvents: 0, songs: [{ song: 'synth', instance: 1, mode: 'streaming', state: 'playing', positionSeconds: second, durationSeconds: options.seconds, firstAudioMs: 190, seekLatencyMs: [], seeks: { requested: seekId, landed: seekId, superseded: 0, rejected: 0 }, transitionGapFrames: null, underruns: 0, cache: { hits: 0, decodes: 0, hitRate: null }, bufferBytes: 230_400_000, peakBufferBytes: 460_800_000, stems: fills, legacyDecodeMs: null, failure: null }] } });
  }
}
