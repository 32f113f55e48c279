import type { Setlist, SongMetrics } from '@trax/engine-machines';
import { TraxRig } from '../traxRig.js';

/** The engine's rolling window: 4 chunks of 5 s from the playing chunk (its defaults). */
const CHUNK_SECONDS = 5;
const WINDOW_SECONDS = 20;

/** Follows the play position from the last landing (real time, 1 s per s). */
class PositionClock {
  private at = 0;
  private since = performance.now();

  landed(target: number): void {
    this.at = target;
    this.since = performance.now();
  }

  get seconds(): number {
    return this.at + (performance.now() - this.since) / 1000;
  }
}

interface SeekCounts {
  readonly landed: number;
  readonly rejected: number;
  readonly superseded: number;
}

const counts = (song: SongMetrics | undefined): SeekCounts => ({
  landed: song?.seekLatencyMs.length ?? 0,
  rejected: song?.seeks.rejected ?? 0,
  superseded: song?.seeks.superseded ?? 0,
});

/** SEEK, then the engine's latency of that seek (request → first quantum from the target). */
async function seekAndWait(rig: TraxRig, songId: string, seconds: number): Promise<number> {
  const before = counts(TraxRig.song(rig.engine.metrics(), songId));
  rig.engine.seek(seconds);
  return rig.waitFor(`the seek to ${seconds.toFixed(2)} s`, 15_000, (m) => {
    const song = TraxRig.song(m, songId);
    const now = counts(song);
    if (now.rejected > before.rejected || now.superseded > before.superseded) throw new Error(`the seek to ${seconds.toFixed(2)} s was ${now.rejected > before.rejected ? 'rejected' : 'superseded'}`);
    return song && now.landed > before.landed ? song.seekLatencyMs[song.seekLatencyMs.length - 1] : undefined;
  });
}

/** Waits until every stem holds `seconds` of audio (its window filled after a start or a seek). */
function waitBuffered(rig: TraxRig, songId: string, seconds: number): Promise<void> {
  return rig.waitFor(`every stem buffered ${seconds.toFixed(1)} s`, 30_000, (m) => {
    const song = TraxRig.song(m, songId);
    if (!song) return undefined;
    const least = Math.min(...Object.values(song.stems).map((stem) => stem.bufferedSeconds));
    return least >= seconds ? true : undefined;
  }).then(() => undefined);
}

/**
 * Seeks inside the buffer: the song plays, its window fills, then a seek 6 s ahead of the play
 * position (inside the 20 s window). Returns each seek's latency.
 */
export async function insideSeekRun(setlist: Setlist, cacheDir: string, songSeconds: number, seeks: number): Promise<number[]> {
  const songId = setlist.songs[0].id;
  const rig = await TraxRig.start({ setlist, cacheDir });
  try {
    await rig.playAndWaitFirstAudio(songId);
    const clock = new PositionClock();
    const latencies: number[] = [];
    for (let i = 0; i < seeks; i++) {
      const chunkStart = Math.floor(clock.seconds / CHUNK_SECONDS) * CHUNK_SECONDS;
      // The window from the playing chunk on, minus a little: "filled" for every stem.
      await waitBuffered(rig, songId, Math.min(WINDOW_SECONDS, songSeconds - chunkStart) - 0.5);
      const target = clock.seconds + 6;
      if (target > Math.min(songSeconds - 1, chunkStart + WINDOW_SECONDS - 1)) break;
      latencies.push(await seekAndWait(rig, songId, target));
      clock.landed(target);
    }
    if (latencies.length === 0) throw new Error(`no room for a seek inside the buffer in a ${songSeconds} s song`);
    return latencies;
  } finally {
    await rig.close();
  }
}

/**
 * Seeks outside the buffer: `count` seeks to random positions of the song, each outside the
 * window the previous one left (a fresh window must be loaded), `pauseMs` of play between them.
 * Returns every latency.
 */
export async function outsideSeekRun(setlist: Setlist, cacheDir: string, songSeconds: number, count: number, random: () => number, pauseMs: number): Promise<number[]> {
  const songId = setlist.songs[0].id;
  const rig = await TraxRig.start({ setlist, cacheDir });
  try {
    await rig.playAndWaitFirstAudio(songId);
    const clock = new PositionClock();
    const latencies: number[] = [];
    for (let i = 0; i < count; i++) {
      const windowStart = Math.floor(clock.seconds / CHUNK_SECONDS) * CHUNK_SECONDS;
      const target = randomOutside(random, songSeconds - 2, windowStart, windowStart + WINDOW_SECONDS + CHUNK_SECONDS);
      latencies.push(await seekAndWait(rig, songId, target));
      clock.landed(target);
      await TraxRig.sleep(pauseMs);
    }
    return latencies;
  } finally {
    await rig.close();
  }
}

/** A position in [0, end) outside [from, to), drawn uniformly (songs shorter than the window have none: then anywhere). */
export function randomOutside(random: () => number, end: number, from: number, to: number): number {
  for (let attempt = 0; attempt < 100; attempt++) {
    const position = Math.round(random() * end * 1000) / 1000;
    if (position < from || position >= to) return position;
  }
  return Math.round(random() * end * 1000) / 1000;
}
