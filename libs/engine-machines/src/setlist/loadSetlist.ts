import { constants } from 'node:fs';
import { access, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { SetlistError, type SetlistProblem } from './SetlistError.js';
import type { Setlist, SongMusic, SongSpec, StemSpec } from './setlistTypes.js';
import { isStemUrl } from './stemLocation.js';
import { unsafeIdReason, validateSetlistJson } from './validateSetlist.js';
import { validateSongMusic } from './validateSongMusic.js';

export interface LoadSetlistOptions {
  /**
   * Check that every local stem file exists and is readable (default true), so a broken setlist
   * is refused before playback. The pre-show check (`checkSetlist`) turns it off: it probes every
   * stem itself and reports a missing one per song. URL stems are never checked here.
   */
  readonly checkStemFiles?: boolean;
}

/** A folder song's optional description, beside its stems. */
export const SONG_JSON = 'song.json';

/** Natural order, so "Song 2" comes before "Song 10". */
const naturalOrder = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' }).compare;
const isFlac = (name: string) => name.toLowerCase().endsWith('.flac');

/**
 * Reads a setlist from a JSON file, a folder of `.flac` files (one song), or a folder of song
 * folders (a setlist; song order = natural sort of folder names). A song folder may hold a
 * `song.json` with the song's title, tempo, sections, count-in and transition. Every local stem
 * file is checked to be readable, so a broken setlist is refused before playback, never in the
 * middle of a song; `http(s)://` stems are kept as written. Format: docs/setlist-format.md.
 *
 * @throws SetlistError naming the file, the JSON path and every problem found.
 * @example
 * const setlist = await loadSetlist('gigs/friday.json');
 * console.log(setlist.songs.map((s) => s.title));
 */
export async function loadSetlist(location: string, options: LoadSetlistOptions = {}): Promise<Setlist> {
  const absolute = path.resolve(location);
  const info = await stat(absolute).catch((error: NodeJS.ErrnoException) => {
    throw new SetlistError(absolute, [{ jsonPath: '$', problem: `cannot be read (${error.code ?? error.message})` }]);
  });
  const checkStemFiles = options.checkStemFiles ?? true;
  return info.isDirectory() ? loadSetlistFolder(absolute, checkStemFiles) : loadSetlistFile(absolute, checkStemFiles);
}

async function loadSetlistFile(file: string, checkStemFiles: boolean): Promise<Setlist> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new SetlistError(file, [{ jsonPath: '$', problem: `cannot be read (${(error as NodeJS.ErrnoException).code})` }]);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new SetlistError(file, [{ jsonPath: '$', problem: `is not valid JSON: ${(error as Error).message}` }]);
  }
  const { setlist, problems } = validateSetlistJson(data);
  const base = path.dirname(file);
  const songs = setlist.songs.map((song) => ({
    ...song,
    stems: song.stems.map((stem) => (isStemUrl(stem.path) ? stem : { ...stem, path: path.resolve(base, stem.path) })),
  }));
  if (checkStemFiles) problems.push(...(await unreadableStems(songs, (i, j) => `$.songs[${i}].stems[${j}].path`)));
  if (problems.length > 0) throw new SetlistError(file, problems);
  return { name: setlist.name, source: file, songs };
}

async function loadSetlistFolder(folder: string, checkStemFiles: boolean): Promise<Setlist> {
  const entries = await readdir(folder, { withFileTypes: true });
  const flacs = entries.filter((e) => e.isFile() && isFlac(e.name));
  const name = path.basename(folder);
  const problems: SetlistProblem[] = [];
  let songs: SongSpec[];
  if (flacs.length > 0) {
    songs = [await songFromFolder(folder, name, '$', problems)];
  } else {
    const songFolders = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort(naturalOrder);
    if (songFolders.length === 0) problems.push({ jsonPath: '$', problem: 'holds no .flac files and no song folders' });
    songs = [];
    for (const songFolder of songFolders) {
      songs.push(await songFromFolder(path.join(folder, songFolder), songFolder, songFolder, problems));
    }
  }
  if (checkStemFiles) problems.push(...(await unreadableStems(songs, (i, j) => `${songs[i].id}/${path.basename(songs[i].stems[j].path)}`)));
  if (problems.length > 0) throw new SetlistError(folder, problems);
  return { name, source: folder, songs };
}

async function songFromFolder(folder: string, id: string, at: string, problems: SetlistProblem[]): Promise<SongSpec> {
  const idProblem = unsafeIdReason(id);
  if (idProblem) problems.push({ jsonPath: at, problem: `song id ${JSON.stringify(id)} ${idProblem}` });
  const files = (await readdir(folder, { withFileTypes: true }))
    .filter((e) => e.isFile() && isFlac(e.name))
    .map((e) => e.name)
    .sort(naturalOrder);
  if (files.length === 0) problems.push({ jsonPath: at, problem: 'is an empty song: no .flac files' });
  const seen = new Set<string>();
  const stems: StemSpec[] = [];
  for (const file of files) {
    const stemId = file.slice(0, -'.flac'.length);
    const stemAt = `${at}/${file}`;
    const reason = unsafeIdReason(stemId);
    if (reason) problems.push({ jsonPath: stemAt, problem: `stem id ${JSON.stringify(stemId)} ${reason}` });
    if (seen.has(stemId)) problems.push({ jsonPath: stemAt, problem: `duplicate stem id "${stemId}"` });
    seen.add(stemId);
    stems.push({ id: stemId, path: path.join(folder, file), gainDb: 0 });
  }
  const described = await readSongJson(folder, problems);
  return { id, title: described.title ?? id, stems, ...described.music };
}

/**
 * A folder song's `song.json`: its title and musical fields (as in a setlist song), not its id or
 * stems (those are the folder's and its files' names). Absent: nothing. Problems name the file.
 */
async function readSongJson(folder: string, problems: SetlistProblem[]): Promise<{ title?: string; music: SongMusic }> {
  const file = path.join(folder, SONG_JSON);
  const report = (jsonPath: string, problem: string) => problems.push({ file, jsonPath, problem });
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') report('$', `cannot be read (${code})`);
    return { music: {} };
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    report('$', `is not valid JSON: ${(error as Error).message}`);
    return { music: {} };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    report('$', 'must be an object (the song\'s "title", "tempo", "sections", "countIn", "transition"…)');
    return { music: {} };
  }
  const song = data as Record<string, unknown>;
  if (song.id !== undefined) report('$.id', 'is not allowed here: a folder song\'s id is its folder name');
  if (song.stems !== undefined) report('$.stems', 'is not allowed here: a folder song\'s stems are its .flac files');
  if (song.title !== undefined && typeof song.title !== 'string') report('$.title', 'must be a string');
  const title = typeof song.title === 'string' && song.title !== '' ? song.title : undefined;
  return { ...(title === undefined ? {} : { title }), music: validateSongMusic(song, '$', report) };
}

async function unreadableStems(
  songs: readonly SongSpec[],
  locate: (song: number, stem: number) => string,
): Promise<SetlistProblem[]> {
  const checks = songs.flatMap((song, i) =>
    song.stems.map(async (stem, j): Promise<SetlistProblem | undefined> => {
      if (isStemUrl(stem.path)) return undefined; // probed by the pre-show check, not here
      try {
        const info = await stat(stem.path);
        if (!info.isFile()) return { jsonPath: locate(i, j), problem: `${stem.path} is not a file` };
        await access(stem.path, constants.R_OK);
        return undefined;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        const why = code === 'ENOENT' ? 'does not exist' : `is not readable (${code})`;
        return { jsonPath: locate(i, j), problem: `stem file ${stem.path} ${why}` };
      }
    }),
  );
  return (await Promise.all(checks)).filter((p): p is SetlistProblem => p !== undefined);
}
