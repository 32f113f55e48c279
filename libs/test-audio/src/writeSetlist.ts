import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { SongParams } from './songPlan.js';
import { writeSong, type GeneratedSong } from './writeSong.js';

/** Parameters of a generated setlist (the fixture cache key is a hash of these). */
export interface SetlistParams {
  readonly name: string;
  readonly songs: readonly SongParams[];
}

/** A generated setlist: the JSON file and the songs it lists. */
export interface GeneratedSetlist {
  readonly name: string;
  /** Absolute path of the setlist JSON file. */
  readonly path: string;
  readonly songs: readonly GeneratedSong[];
}

/**
 * Writes every song under `dir` and a setlist JSON file (`dir/setlist.json` by default) in the
 * Trax setlist format: `{ name, songs: [{ id, title, stems: [{ id, path, gainDb? }] }] }` with
 * paths relative to the JSON file.
 *
 * @example
 * const setlist = await writeSetlist({ dir: '/tmp/gig', name: 'Friday', songs: [{ songId: 'opener', stems: 4, seconds: 5, sampleRate: 44100, bitDepth: 16, channels: 2 }] });
 * // setlist.path === '/tmp/gig/setlist.json'
 */
export async function writeSetlist(options: SetlistParams & { readonly dir: string; readonly fileName?: string }): Promise<GeneratedSetlist> {
  const dir = path.resolve(options.dir);
  const ids = options.songs.map((s) => s.songId);
  const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
  if (duplicate !== undefined) throw new RangeError(`song id "${duplicate}" appears twice in the setlist`);
  const songs: GeneratedSong[] = [];
  for (const song of options.songs) songs.push(await writeSong({ ...song, dir }));
  const file = path.join(dir, options.fileName ?? 'setlist.json');
  await writeFile(file, `${JSON.stringify(setlistJson(options.name, songs, dir), null, 2)}\n`);
  return { name: options.name, path: file, songs };
}

/** The setlist JSON document for songs whose files live under `baseDir` (paths relative to it, with `/`). */
export function setlistJson(name: string, songs: readonly GeneratedSong[], baseDir: string) {
  return {
    name,
    songs: songs.map((song) => ({
      id: song.id,
      title: song.title,
      stems: song.stems.map((stem) => ({
        id: stem.id,
        path: path.relative(baseDir, stem.path).split(path.sep).join('/'),
        ...(stem.gainDb === undefined ? {} : { gainDb: stem.gainDb }),
      })),
    })),
  };
}
