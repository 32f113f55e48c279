import type { Setlist } from '@trax/engine-machines';
import { TraxRig } from '../traxRig.js';

export interface PlaythroughRun {
  /** Render quanta in which an audible stem had no data (the engine's count), all plays summed. */
  readonly underruns: number;
  readonly seeks: number;
  readonly seekLatencyMs: readonly number[];
  /** Quanta the sink could not render in time because the process was busy (not underruns). */
  readonly skippedQuanta: number;
  readonly cacheWrites: number;
  readonly seconds: number;
}

/**
 * Real-time playthrough: the song plays from the start over a cold cache (its first minute is
 * written back while it plays) for `seconds`, with a seek to a random position every
 * `seekEvery` seconds, as a performer rehearsing a part would.
 */
export async function playthroughRun(setlist: Setlist, cacheDir: string, songSeconds: number, seconds: number, seekEvery: number, random: () => number): Promise<PlaythroughRun> {
  const songId = setlist.songs[0].id;
  const rig = await TraxRig.start({ setlist, cacheDir });
  try {
    await rig.playAndWaitFirstAudio(songId);
    const started = performance.now();
    let seeks = 0;
    for (let at = seekEvery; at < seconds; at += seekEvery) {
      await TraxRig.sleep(Math.max(0, at * 1000 - (performance.now() - started)));
      // Leave room after the target so the song does not end before the next seek.
      rig.engine.seek(Math.round(random() * Math.max(0, songSeconds - seekEvery - 2) * 1000) / 1000);
      seeks += 1;
    }
    await TraxRig.sleep(Math.max(0, seconds * 1000 - (performance.now() - started)));
    const metrics = rig.engine.metrics();
    const plays = metrics.songs.filter((song) => song.song === songId);
    return {
      underruns: plays.reduce((sum, song) => sum + song.underruns, 0),
      seeks,
      seekLatencyMs: plays.flatMap((song) => song.seekLatencyMs),
      skippedQuanta: rig.sink?.stats().lateQuanta ?? 0,
      cacheWrites: rig.loader.counters().writeBacks,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await rig.close();
  }
}
