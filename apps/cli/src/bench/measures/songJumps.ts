import type { Setlist } from '@trax/engine-machines';
import { BenchTimeoutError } from '../benchErrors.js';
import { TraxRig } from '../traxRig.js';

/** The engine preloads the next song once the current one has played this much (its default). */
const PRELOAD_AT_FRACTION = 0.8;

/** Seeks the current song to its preload point and waits until the next song is ready to play. */
async function reachPreloadedNext(rig: TraxRig, songSeconds: number, nextId: string): Promise<void> {
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      subscription.unsubscribe();
      reject(new BenchTimeoutError(`${nextId} preloaded (song.ready)`, 30_000));
    }, 30_000);
    const subscription = rig.engine.actor.on('song.ready', (event) => {
      if (event.songId !== nextId) return;
      clearTimeout(timer);
      subscription.unsubscribe();
      resolve();
    });
  });
  rig.engine.seek(songSeconds * PRELOAD_AT_FRACTION);
  await ready;
}

export interface JumpRun {
  readonly from: string;
  readonly to: string;
  /** PLAY_SONG of a song never loaded (nor cached) → its first audio. */
  readonly uncachedMs: number;
  readonly preloadedTo: string;
  /** PLAY_SONG of the next song, preloaded by the engine at 80 % of the current one → its first audio. */
  readonly preloadedMs: number;
}

/**
 * Random song jumps in a setlist, as a performer clicks another song while one plays: the first
 * song plays 1 s, then a jump to a random song that is neither the next one nor played before
 * (uncached); that song is sought to its preload point, and once the engine has preloaded the
 * song after it, a jump to that one (preloaded).
 */
export async function songJumpRun(setlist: Setlist, cacheDir: string, songSeconds: number, random: () => number): Promise<JumpRun> {
  const songs = setlist.songs;
  if (songs.length < 4) throw new RangeError(`song jumps need ≥ 4 songs, the setlist has ${songs.length}`);
  const rig = await TraxRig.start({ setlist, cacheDir });
  try {
    await rig.playAndWaitFirstAudio(songs[0].id);
    await TraxRig.sleep(1000);
    // Index 2 … n−2: not the playing song, not the next one (which the engine may preload), and
    // with a song after it for the preloaded jump.
    const index = 2 + Math.floor(random() * (songs.length - 3));
    const to = songs[index].id;
    const uncached = await rig.playAndWaitFirstAudio(to);
    const preloadedTo = songs[index + 1].id;
    await reachPreloadedNext(rig, songSeconds, preloadedTo);
    const preloaded = await rig.playAndWaitFirstAudio(preloadedTo);
    return { from: songs[0].id, to, uncachedMs: uncached.firstAudioMs ?? Number.NaN, preloadedTo, preloadedMs: preloaded.firstAudioMs ?? Number.NaN };
  } finally {
    await rig.close();
  }
}

export interface TransitionRun {
  readonly gapFrames: number;
  /** Underruns of the song that ended and of the one that followed, while measured. */
  readonly underruns: readonly [number, number];
}

/**
 * The end of a song with auto-advance: the first song plays from its preload point, seeking to
 * max(80 %, end − 6 s) so the engine has at most 6 s to preload the next song (a 6-minute song
 * gives it 72 s), then plays into the next song; the gap is the engine's own count of silent
 * frames between the two.
 */
export async function transitionRun(setlist: Setlist, cacheDir: string, songSeconds: number): Promise<TransitionRun> {
  const [first, second] = setlist.songs;
  const rig = await TraxRig.start({ setlist, cacheDir });
  try {
    await rig.playAndWaitFirstAudio(first.id);
    const from = Math.max(songSeconds * PRELOAD_AT_FRACTION, songSeconds - 6);
    rig.engine.seek(from);
    const gapFrames = await rig.waitFor(`the transition ${first.id} → ${second.id}`, (songSeconds - from + 20) * 1000, (m) => {
      const next = TraxRig.song(m, second.id);
      if (next && next.transitionGapFrames === null && next.firstAudioMs !== null) {
        // Started, but not by the mixer continuing into it: the engine had not armed it in time.
        throw new Error(`${second.id} started without a gapless transition (not armed in time; the engine counts no gap)`);
      }
      return next && next.transitionGapFrames !== null ? next.transitionGapFrames : undefined;
    });
    const metrics = rig.engine.metrics();
    return { gapFrames, underruns: [TraxRig.song(metrics, first.id)?.underruns ?? Number.NaN, TraxRig.song(metrics, second.id)?.underruns ?? Number.NaN] };
  } finally {
    await rig.close();
  }
}
