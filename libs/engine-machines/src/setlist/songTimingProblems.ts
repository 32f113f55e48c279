import { formatClock as clock } from '../music/formatClock.js';
import type { Frames } from '../units.js';
import type { SetlistProblem } from './SetlistError.js';
import type { SongMusic } from './setlistTypes.js';

/**
 * The checks of a song's musical fields that need its length, so cannot run when the setlist is
 * parsed (that would mean opening every stem): a section or tempo change at or after the song's
 * end, a crossfade longer than the song. `lengthFrames` is the longest stem's length at
 * `sampleRate`. JSON paths are relative to the song (`sections[3].at`); prefix them with the
 * song's own (`$.songs[2].`, or a song.json's `$.`). Pure; the pre-show check and `SongTimeline`
 * (which the engine builds once a song's stems are open) both call it.
 */
export function songTimingProblems(song: SongMusic, lengthFrames: Frames, sampleRate: number): SetlistProblem[] {
  const problems: SetlistProblem[] = [];
  const length = lengthFrames / sampleRate;
  const beyondEnd = (at: number) => Math.round(at * sampleRate) >= lengthFrames;
  song.sections?.forEach((section, i) => {
    if (beyondEnd(section.at)) problems.push({ jsonPath: `sections[${i}].at`, problem: `section ${JSON.stringify(section.name)} starts at ${clock(section.at)}, at or after the song's end (${clock(length)})` });
  });
  song.tempoMap?.forEach((change, i) => {
    if (i > 0 && beyondEnd(change.at)) problems.push({ jsonPath: `tempoMap[${i}].at`, problem: `tempo change at ${clock(change.at)} is at or after the song's end (${clock(length)})` });
  });
  if (song.transition?.kind === 'crossfade' && song.transition.seconds > length)
    problems.push({ jsonPath: 'transition.crossfade', problem: `a crossfade of ${song.transition.seconds} s is longer than the song (${clock(length)})` });
  return problems;
}
