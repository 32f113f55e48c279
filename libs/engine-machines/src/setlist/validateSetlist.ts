import type { SetlistProblem } from './SetlistError.js';
import type { SongSpec, StemSpec } from './setlistTypes.js';
import { stemLocationProblem } from './stemLocation.js';
import { validateSongMusic } from './validateSongMusic.js';

/**
 * Why an ID is not safe, or undefined when it is. IDs become cache folder and file names, so
 * anything that could name another path (`/`, `\`, `..`) or break a terminal or file system
 * (control characters) is refused.
 */
export function unsafeIdReason(id: string): string | undefined {
  if (id.length === 0) return 'is empty';
  if (id.includes('/') || id.includes('\\')) return 'contains a path separator ("/" or "\\")';
  if (id.includes('..')) return 'contains ".."';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(id)) return 'contains a control character';
  return undefined;
}

/** A setlist before stem paths are resolved against the file system. */
export interface UnresolvedSetlist {
  readonly name: string;
  readonly songs: readonly SongSpec[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Pure validation of setlist JSON data (browser-safe: no file system). Returns the typed setlist
 * (stem paths as written, relative to the JSON file; URLs as written) and every problem found; the
 * caller decides how to report them. The format is docs/setlist-format.md.
 */
export function validateSetlistJson(data: unknown): { setlist: UnresolvedSetlist; problems: SetlistProblem[] } {
  const problems: SetlistProblem[] = [];
  const report = (jsonPath: string, problem: string) => problems.push({ jsonPath, problem });
  const songs: SongSpec[] = [];

  if (!isObject(data)) {
    report('$', 'must be an object with "name" and "songs"');
    return { setlist: { name: '', songs }, problems };
  }
  if (typeof data.name !== 'string' || data.name.trim() === '') report('$.name', 'must be a non-empty string');
  if (!Array.isArray(data.songs)) {
    report('$.songs', 'must be an array of songs');
  } else {
    if (data.songs.length === 0) report('$.songs', 'is empty: a setlist needs at least one song');
    const songIds = new Set<string>();
    data.songs.forEach((song: unknown, i: number) => {
      const at = `$.songs[${i}]`;
      const parsed = validateSong(song, at, report);
      if (!parsed) return;
      if (songIds.has(parsed.id)) report(`${at}.id`, `duplicate song id "${parsed.id}"`);
      songIds.add(parsed.id);
      songs.push(parsed);
    });
  }
  return { setlist: { name: typeof data.name === 'string' ? data.name : '', songs }, problems };
}

function validateId(value: unknown, at: string, report: (p: string, m: string) => void): string | undefined {
  if (typeof value !== 'string') {
    report(at, 'is missing or not a string');
    return undefined;
  }
  const reason = unsafeIdReason(value);
  if (reason) {
    report(at, `id ${JSON.stringify(value)} ${reason}; IDs must be safe as file names`);
    return undefined;
  }
  return value;
}

function validateSong(song: unknown, at: string, report: (p: string, m: string) => void): SongSpec | undefined {
  if (!isObject(song)) {
    report(at, 'must be an object with "id", "title" and "stems"');
    return undefined;
  }
  const id = validateId(song.id, `${at}.id`, report);
  if (song.title !== undefined && typeof song.title !== 'string') report(`${at}.title`, 'must be a string');
  const stems: StemSpec[] = [];
  if (!Array.isArray(song.stems)) {
    report(`${at}.stems`, 'is missing or not an array of stems');
  } else if (song.stems.length === 0) {
    report(`${at}.stems`, 'is empty: a song needs at least one stem');
  } else {
    const stemIds = new Set<string>();
    song.stems.forEach((stem: unknown, j: number) => {
      const stemAt = `${at}.stems[${j}]`;
      const parsed = validateStem(stem, stemAt, report);
      if (!parsed) return;
      if (stemIds.has(parsed.id)) report(`${stemAt}.id`, `duplicate stem id "${parsed.id}" in song "${id ?? '?'}"`);
      stemIds.add(parsed.id);
      stems.push(parsed);
    });
  }
  const music = validateSongMusic(song, at, report);
  if (id === undefined) return undefined;
  return { id, title: typeof song.title === 'string' && song.title !== '' ? song.title : id, stems, ...music };
}

function validateStem(stem: unknown, at: string, report: (p: string, m: string) => void): StemSpec | undefined {
  if (!isObject(stem)) {
    report(at, 'must be an object with "id" and "path"');
    return undefined;
  }
  const id = validateId(stem.id, `${at}.id`, report);
  let pathOk = typeof stem.path === 'string' && stem.path !== '';
  if (!pathOk) report(`${at}.path`, 'is missing or not a non-empty string');
  const locationProblem = pathOk ? stemLocationProblem(stem.path as string) : undefined;
  if (locationProblem) {
    report(`${at}.path`, locationProblem);
    pathOk = false;
  }
  const gainOk = stem.gainDb === undefined || (typeof stem.gainDb === 'number' && Number.isFinite(stem.gainDb));
  if (!gainOk) report(`${at}.gainDb`, 'must be a finite number of decibels');
  if (id === undefined || !pathOk || !gainOk) return undefined;
  return { id, path: stem.path as string, gainDb: (stem.gainDb as number | undefined) ?? 0 };
}
