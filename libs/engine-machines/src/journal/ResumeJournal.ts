import type { Decibels } from '../setlist/setlistTypes.js';
import type { Frames } from '../units.js';

/** `format` of a journal file, so another JSON file is never taken for one. */
export const JOURNAL_FORMAT = 'trax-resume-journal';
/** Bump when a field changes meaning; readers refuse newer versions (and start fresh). */
export const JOURNAL_VERSION = 1;

/** One stem's mix settings, as the performer left them. */
export interface StemMix {
  readonly stem: string;
  readonly gainDb: Decibels;
  readonly muted: boolean;
  readonly solo: boolean;
}

/** A loop (vamp) that was playing, to re-arm: song frames `[start, end)`. */
export interface JournalLoop {
  readonly start: Frames;
  readonly end: Frames;
  /** When the loop is a section's. */
  readonly section?: string;
}

/**
 * Where the show was, written at most once a second so that after a crash the engine re-arms the
 * same song at the same bar with the same mix.
 */
export interface ResumeJournal {
  /** The setlist: the file or folder it was loaded from, and its name (to tell a stale journal). */
  readonly setlist: { readonly source: string; readonly name: string };
  readonly song: string;
  /** Song frame at `sampleRate`, and the bar (from 1) there when the song has a tempo: resume at its start. */
  readonly position: { readonly frame: Frames; readonly sampleRate: number; readonly bar?: number };
  /** Playing (true) or paused/stopped when recorded. */
  readonly playing: boolean;
  readonly mix: readonly StemMix[];
  readonly loop?: JournalLoop;
  /** When it was recorded (ISO 8601, wall clock), e.g. to ask "resume the show from 2 minutes ago?". */
  readonly savedAt: string;
}

/** The journal as its file's text: `{ "format", "version", ...journal }`, one line. */
export function serializeResumeJournal(journal: ResumeJournal): string {
  return `${JSON.stringify({ format: JOURNAL_FORMAT, version: JOURNAL_VERSION, ...journal })}\n`;
}
