import type { SongTimeline } from '../music/SongTimeline.js';
import type { Frames } from '../units.js';
import type { ResumeJournal } from './ResumeJournal.js';

/**
 * Where to re-arm a journaled song: the start of the bar it was in (a performer comes back in on
 * a downbeat), or the journaled frame itself for a song without a tempo. The frame is converted
 * from the journal's rate to the timeline's and kept inside the song; the bar is recomputed from
 * the frame with the song's current tempo map (the journal's `bar` is for display), so an edited
 * setlist still resumes on one of its own bar lines.
 */
export function resumeFrame(journal: ResumeJournal, timeline: SongTimeline): Frames {
  const converted = Math.round((journal.position.frame * timeline.sampleRate) / journal.position.sampleRate);
  const frame = Math.max(0, Math.min(converted, timeline.lengthFrames - 1));
  return timeline.tempo ? timeline.tempo.barStart(timeline.tempo.barAt(frame)) : frame;
}
