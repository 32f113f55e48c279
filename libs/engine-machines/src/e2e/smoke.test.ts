import { describe, expect, it } from '@jest/globals';
import { createEngine } from '../createEngine.js';
import { RenderSink } from '../sinks/RenderSink.js';
import { FakeChunkSource } from '../testing/FakeChunkSource.js';
import { syntheticSample } from '../testing/syntheticPcm.js';
import { consoleLogger } from '../ports/EngineLogger.js';

describe('smoke', () => {
  it('renders a song', async () => {
    const loader = new FakeChunkSource({ stems: (s) => ({ channels: s.stem === 'a' ? 1 : 2, totalFrames: 48_000 * 3 }), chunkFrames: 48_000 });
    const engine = createEngine({ loader, legacyDecoder: loader, logger: process.env.DEBUG_ENGINE ? consoleLogger('debug') : undefined, setlist: { name: 't', source: 't', songs: [{ id: 's1', title: 's1', stems: [{ id: 'a', path: '/a', gainDb: 0 }, { id: 'b', path: '/b', gainDb: 0 }] }] } });
    const left: number[] = [];
    const result = await new RenderSink(engine.playback).run({ script: [{ at: 0, run: () => engine.playSong('s1') }], onAudio: (out, n) => { for (let i = 0; i < n; i++) left.push(out[0][i]); }, stallTimeoutMs: 3000 });
    expect(result.frames).toBeGreaterThanOrEqual(48_000 * 3);
    let maxError = 0;
    for (let i = 0; i < 48_000 * 3; i++) maxError = Math.max(maxError, Math.abs(left[i] - (syntheticSample('s1', 'a', 0, i) + syntheticSample('s1', 'b', 0, i))));
    expect(maxError).toBeLessThan(1e-6);
    console.log(JSON.stringify(engine.metrics(), null, 1).slice(0, 1500));
    engine.close();
  });
});
