import type { HandOver } from '../realtime/MixerCommand.js';
import type { SongRuntime } from './SongRuntime.js';

/**
 * How the playing song hands over to the next one, from the playing song's `transition` (issue 14):
 * gapless (the next song's first frame follows its last), a gap of exact zero frames, a crossfade
 * (both songs' stems mixed, equal power, over the overlap — at most either song's length), then the
 * next song's count-in (not after a crossfade: it would sound over the fading song). `null` for
 * `stop`: the next song is armed (loaded, ready) but not started until PLAY. Control thread; pure.
 */
export function handOverOf(current: SongRuntime, next: SongRuntime, sampleRate: number): HandOver | null {
  const transition = current.spec.transition ?? { kind: 'gapless' };
  if (transition.kind === 'stop') return null;
  const gapFrames = transition.kind === 'gap' ? Math.round(transition.seconds * sampleRate) : 0;
  const overlap = transition.kind === 'crossfade' ? Math.round(transition.seconds * sampleRate) : 0;
  // A length not known yet (the song's stems still opening) does not cut it; the mixer never fades longer than what is left.
  const crossfadeFrames = Math.min(overlap, current.totalFrames || overlap, next.totalFrames || overlap);
  return { gapFrames, crossfadeFrames, countIn: crossfadeFrames === 0 && next.countInFrames > 0 };
}

/** Frames at the end of `song` that overlap the next song (its crossfade transition; 0 otherwise). */
export function overlapFrames(song: SongRuntime, sampleRate: number): number {
  const transition = song.spec.transition;
  return transition?.kind === 'crossfade' ? Math.min(song.totalFrames, Math.round(transition.seconds * sampleRate)) : 0;
}
