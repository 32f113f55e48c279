import { NavigationError } from '../music/NavigationError.js';
import type { JumpTarget, JumpWhen, SongTimeline } from '../music/SongTimeline.js';
import type { StemSpec } from '../setlist/setlistTypes.js';
import type { Frames, Seconds } from '../units.js';
import type { WrappingLoop } from './stemRequests.js';

/*
 * The musical navigation a performer asks for, worked out on a song's timeline: where a jump goes
 * and lands, which frames a loop repeats. Pure (the machines run the effects); every refusal is a
 * reason a performer can act on.
 */

/** Where a jump goes and when: `to` a section or seconds, `when` on the beat/bar/section end/after n bars (or now). */
export interface JumpRequest {
  readonly to: JumpTarget;
  readonly when: JumpWhen;
}

/** A loop over a section, or over `[from, to)` in seconds. */
export type LoopRequest = { readonly section: string } | { readonly from: Seconds; readonly to: Seconds };

/** How a loop ends: `now` (playback goes on from where it is) or `atLoopEnd` (once more through, then on). */
export type LoopRelease = 'now' | 'atLoopEnd';

/** A jump worked out: from `target`, landing at song frame `landing`. */
export interface PlannedJump {
  readonly target: Frames;
  readonly landing: Frames;
}

/** A loop worked out: song frames `[start, end)`. */
export interface PlannedLoop {
  readonly start: Frames;
  readonly end: Frames;
  readonly section?: string;
}

export type Planned<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

const refuse = (error: unknown): { ok: false; reason: string } => {
  if (error instanceof NavigationError || error instanceof RangeError) return { ok: false, reason: error.message };
  throw error;
};

/**
 * Where a scheduled jump asked at `position` lands and goes. The landing is the musical boundary
 * after `position + marginFrames` (a mixer on another thread may render a few quanta before the
 * command arrives; 0 offline). While a loop wraps, a landing past the loop's end comes at its end
 * instead (playback would never get further).
 */
export function planJump(timeline: SongTimeline, position: Frames, request: JumpRequest, loop: WrappingLoop | null, marginFrames: Frames): Planned<PlannedJump> {
  try {
    const target = timeline.targetFrame(request.to);
    let landing = timeline.landingFrame(Math.min(timeline.lengthFrames, position + marginFrames), request.when);
    if (loop && position < loop.end && landing > loop.end) landing = loop.end;
    return { ok: true, value: { target, landing } };
  } catch (error) {
    return refuse(error);
  }
}

/** The frames a loop repeats, checked against the song and the play position (a loop behind it would never play). */
export function planLoop(timeline: SongTimeline, position: Frames, request: LoopRequest): Planned<PlannedLoop> {
  try {
    const song = timeline.song;
    let start: Frames;
    let end: Frames;
    let section: string | undefined;
    if ('section' in request) {
      ({ start, end } = timeline.sectionRange(request.section));
      section = request.section;
    } else {
      if (!Number.isFinite(request.from) || !Number.isFinite(request.to) || request.from < 0)
        throw new NavigationError(song, `a loop is { from, to } in seconds >= 0, not { from: ${request.from}, to: ${request.to} }`);
      start = Math.round(request.from * timeline.sampleRate);
      end = Math.min(timeline.lengthFrames, Math.round(request.to * timeline.sampleRate));
      if (end <= start) throw new NavigationError(song, `the loop's end (${request.to} s) must be after its start (${request.from} s) and inside the song`);
    }
    if (position > end) throw new NavigationError(song, `the loop ${section ? `over "${section}" ` : ''}ends before the play position: jump back to it first`);
    return { ok: true, value: { start, end, ...(section === undefined ? {} : { section }) } };
  } catch (error) {
    return refuse(error);
  }
}

/** Stem ids taken for a song's click track (its count-in plays the click's first bars): a word "click". */
const CLICK_ID = /(^|[^a-z])click([^a-z]|$)/i;

/** The index of the song's click stem (its id has the word "click": `click`, `Click`, `click-track`), or null. */
export function clickStemIndex(stems: readonly StemSpec[]): number | null {
  const index = stems.findIndex((stem) => CLICK_ID.test(stem.id));
  return index < 0 ? null : index;
}
