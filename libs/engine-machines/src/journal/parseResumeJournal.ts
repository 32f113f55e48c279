import { JOURNAL_FORMAT, JOURNAL_VERSION, type JournalLoop, type ResumeJournal, type StemMix } from './ResumeJournal.js';
import { ResumeJournalError } from './ResumeJournalError.js';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Parses a resume journal's text, checking every field: a broken journal (cut short, edited by
 * hand, from another program or a newer Trax) is refused as a whole rather than half-applied.
 * Pure (browser-safe).
 *
 * @throws ResumeJournalError naming the file, the JSON path and the problem.
 * @example
 * try { journal = parseResumeJournal(text, file); } catch (e) { if (e instanceof ResumeJournalError) log.warn(e.message); }
 */
export function parseResumeJournal(text: string, file: string): ResumeJournal {
  const fail = (jsonPath: string, problem: string): never => {
    throw new ResumeJournalError(file, jsonPath, problem);
  };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return fail('$', `is not valid JSON (${(error as Error).message})`);
  }
  if (!isObject(data) || data.format !== JOURNAL_FORMAT) return fail('$.format', `is not a Trax resume journal (no "format": "${JOURNAL_FORMAT}")`);
  if (data.version !== JOURNAL_VERSION)
    return fail('$.version', typeof data.version === 'number' && data.version > JOURNAL_VERSION ? `was written by a newer Trax (version ${data.version}; this one reads ${JOURNAL_VERSION})` : `must be ${JOURNAL_VERSION}`);

  const string = (value: unknown, at: string): string => (typeof value === 'string' && value !== '' ? value : fail(at, 'must be a non-empty string'));
  const boolean = (value: unknown, at: string): boolean => (typeof value === 'boolean' ? value : fail(at, 'must be true or false'));
  const frames = (value: unknown, at: string): number => (Number.isSafeInteger(value) && (value as number) >= 0 ? (value as number) : fail(at, 'must be a whole number >= 0'));
  const object = (value: unknown, at: string): Json => (isObject(value) ? value : fail(at, 'must be an object'));

  const setlist = object(data.setlist, '$.setlist');
  const position = object(data.position, '$.position');
  const sampleRate = frames(position.sampleRate, '$.position.sampleRate');
  if (sampleRate === 0) fail('$.position.sampleRate', 'must be > 0');
  const bar = position.bar === undefined ? undefined : frames(position.bar, '$.position.bar');
  if (bar === 0) fail('$.position.bar', 'bars are numbered from 1');
  if (!Array.isArray(data.mix)) fail('$.mix', 'must be an array of { stem, gainDb, muted, solo }');
  const mix = (data.mix as unknown[]).map((entry, i): StemMix => {
    const at = `$.mix[${i}]`;
    const stem = object(entry, at);
    const gainDb = typeof stem.gainDb === 'number' && Number.isFinite(stem.gainDb) ? stem.gainDb : fail(`${at}.gainDb`, 'must be a finite number of decibels');
    return { stem: string(stem.stem, `${at}.stem`), gainDb, muted: boolean(stem.muted, `${at}.muted`), solo: boolean(stem.solo, `${at}.solo`) };
  });
  let loop: JournalLoop | undefined;
  if (data.loop !== undefined) {
    const raw = object(data.loop, '$.loop');
    const start = frames(raw.start, '$.loop.start');
    const end = frames(raw.end, '$.loop.end');
    if (end <= start) fail('$.loop.end', `must be after the loop's start (${start})`);
    loop = { start, end, ...(raw.section === undefined ? {} : { section: string(raw.section, '$.loop.section') }) };
  }
  const savedAt = string(data.savedAt, '$.savedAt');
  if (Number.isNaN(Date.parse(savedAt))) fail('$.savedAt', 'must be an ISO 8601 date and time');

  return {
    setlist: { source: string(setlist.source, '$.setlist.source'), name: string(setlist.name, '$.setlist.name') },
    song: string(data.song, '$.song'),
    position: { frame: frames(position.frame, '$.position.frame'), sampleRate, ...(bar === undefined ? {} : { bar }) },
    playing: boolean(data.playing, '$.playing'),
    mix,
    ...(loop ? { loop } : {}),
    savedAt,
  };
}
