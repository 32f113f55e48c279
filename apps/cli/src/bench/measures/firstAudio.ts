import type { Setlist } from '@trax/engine-machines';
import { runChild } from '../childRunner.js';
import type { CachedFirstAudioResult } from '../children/childProtocol.js';
import { TraxRig } from '../traxRig.js';

/** What one first-audio run saw, besides the latency. */
export interface FirstAudioRun {
  readonly firstAudioMs: number;
  readonly cacheHits: number;
  readonly decodes: number;
}

const songOf = (setlist: Setlist) => setlist.songs[0].id;

/**
 * First audio in a fresh engine whose loader (worker pool) and sink are already running: PLAY_SONG
 * → first render quantum with real data from every audible stem (the engine's own metric).
 * With `keepPlayingMs`, the song then plays on that long and is paused until every write-back is
 * done, so the cache holds what this play cached (as `trax play` does before it exits).
 */
export async function firstAudioInProcess(setlist: Setlist, cacheDir: string, keepPlayingMs = 0): Promise<FirstAudioRun> {
  const rig = await TraxRig.start({ setlist, cacheDir });
  try {
    const song = await rig.playAndWaitFirstAudio(songOf(setlist));
    const run = { firstAudioMs: song.firstAudioMs ?? Number.NaN, cacheHits: song.cache.hits, decodes: song.cache.decodes };
    if (keepPlayingMs > 0) {
      await TraxRig.sleep(keepPlayingMs);
      await rig.settleWrites();
    }
    return run;
  } finally {
    await rig.close();
  }
}

/** The same, in a new process over an existing cache: the app restarted, the song played again. */
export async function firstAudioAfterRestart(setlist: Setlist, cacheDir: string): Promise<FirstAudioRun> {
  const { result } = await runChild<CachedFirstAudioResult>({ mode: 'cached-first-audio', setlist, songId: songOf(setlist), cacheDir }, { timeoutMs: 120_000 });
  return result;
}
