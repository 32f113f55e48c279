import { describe, expect, it } from '@jest/globals';
import { RATE, expectedAt, rig } from '../e2e/harness.fixture.js';
import type { TestSong } from '../e2e/harness.fixture.js';
import { RealtimeSink } from './RealtimeSink.js';

const SONG: TestSong = {
  id: 'live',
  seconds: 12,
  stems: [
    { id: 'kick', channels: 1 },
    { id: 'keys', channels: 2 },
    { id: 'pad', channels: 2 },
  ],
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Blocks this (the control) thread for `ms`: no timer, no promise, no actor runs meanwhile. */
function stall(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // busy: the event loop is stuck, as under a long GC or a heavy synchronous task
  }
}

describe('RealtimeSink: the mixer on its own audio thread', () => {
  it('keeps playing, on time and without underruns, while the control thread is blocked for 300 ms', async () => {
    const captured = new Float32Array(12 * RATE * 2);
    let frames = 0;
    // 2048 frames (43 ms) ahead: room for a loaded test machine's scheduling, far less than the stall.
    const sink = await RealtimeSink.start({
      sampleRate: RATE,
      aheadFrames: 2048,
      onAudio: (pcm, n) => {
        captured.set(pcm.subarray(0, Math.min(n * 2, captured.length - frames * 2)), frames * 2);
        frames = Math.min(frames + n, captured.length / 2);
      },
    });
    const { engine } = rig([SONG], { engine: { mixer: sink.mixer } });
    try {
      engine.playSong('live');
      const playing = () => engine.metrics().songs.find((s) => s.song === 'live' && s.firstAudioMs !== null);
      while (!playing()) await sleep(10);
      // Let the stems fill their windows (seconds ahead), then block the control thread.
      await sleep(1000);
      const before = sink.stats();
      stall(300);
      const after = sink.stats();
      await sleep(500);
      const song = playing();
      expect(song?.underruns).toBe(0);
      // The audio thread rendered through the stall (≈ 112 quanta in 300 ms), none of them late.
      expect(after.quanta - before.quanta).toBeGreaterThan(100);
      expect(after.lateQuanta - before.lateQuanta).toBeLessThanOrEqual(2);
      // And what it rendered is the music, continuous from first audio across the stall.
      sink.drain();
      const start = (() => {
        for (let i = 0; i < frames; i++) if (captured[2 * i] !== 0 || captured[2 * i + 1] !== 0) return i;
        return -1;
      })();
      expect(start).toBeGreaterThanOrEqual(0);
      let worst = 0;
      for (let i = start; i < frames; i++) {
        const [l, r] = expectedAt(SONG, i - start);
        worst = Math.max(worst, Math.abs(captured[2 * i] - l), Math.abs(captured[2 * i + 1] - r));
      }
      expect(frames - start).toBeGreaterThan(1.5 * RATE);
      expect(worst).toBeLessThan(1e-6);
    } finally {
      await engine.close();
      await sink.stop();
    }
  }, 60_000);
});
