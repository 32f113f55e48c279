import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { SongParams } from './songPlan.js';
import { writeSetlist, type GeneratedSetlist, type SetlistParams } from './writeSetlist.js';
import { resolveEncoder, writeSong, type GeneratedSong } from './writeSong.js';

/**
 * Part of every cache key: bump it whenever generated samples or file layout change, so stale
 * fixtures from an older generator are never reused.
 */
export const GENERATOR_VERSION = 1;
const MANIFEST = 'fixture.json';
const TEMP_PREFIX = '.tmp-';

/** Where fixtures are cached: `$TRAX_FIXTURES_DIR`, else `<os temp dir>/trax-fixtures`. */
export function fixturesRoot(): string {
  return path.resolve(process.env['TRAX_FIXTURES_DIR'] || path.join(tmpdir(), 'trax-fixtures'));
}

/**
 * A generated song or setlist, cached on disk by its parameters: the first call generates it
 * (into a temporary folder renamed into place when complete, so a crashed generation is never
 * reused), later calls — in this process or any other — return the cached files at once. Two
 * processes asking at the same moment may both generate; the first rename wins and the other
 * uses its result.
 *
 * @example
 * const song = await fixture({ songId: 'short', stems: 3, seconds: 2, sampleRate: 48000, bitDepth: 24, channels: 2 });
 * const setlist = await fixture({ name: 'demo', songs: [{ songId: 'a', stems: 2, seconds: 1, sampleRate: 44100, bitDepth: 16, channels: 1 }] });
 */
export async function fixture(params: SongParams): Promise<GeneratedSong>;
export async function fixture(params: SetlistParams): Promise<GeneratedSetlist>;
export async function fixture(params: SongParams | SetlistParams): Promise<GeneratedSong | GeneratedSetlist> {
  const isSetlist = 'songs' in params;
  // 'auto' and omitted options are resolved before hashing: flac-cli and internal files differ.
  const normalise = (song: SongParams) => ({ ...song, encoder: resolveEncoder(song.encoder), seekTable: song.seekTable ?? true, blockSize: song.blockSize ?? 4096 });
  const normalised = isSetlist ? { ...params, songs: params.songs.map(normalise) } : normalise(params);
  const key = createHash('sha256')
    .update(stableJson({ generator: GENERATOR_VERSION, type: isSetlist ? 'setlist' : 'song', params: normalised }))
    .digest('hex')
    .slice(0, 24);
  const root = fixturesRoot();
  const folder = path.join(root, `${isSetlist ? 'setlist' : 'song'}-${key}`);

  const cached = await loadManifest(folder);
  if (cached === 'damaged') {
    // Files deleted under it (e.g. by a temp cleaner). Move it aside in one atomic step, so a
    // complete folder another process renames into place afterwards is never the one deleted.
    const trash = tempName(root, folder);
    await rename(folder, trash).catch(() => undefined);
    await rm(trash, { recursive: true, force: true });
  } else if (cached) {
    return cached;
  }

  await mkdir(root, { recursive: true });
  await removeStaleTemps(root);
  const temp = tempName(root, folder);
  try {
    const result = isSetlist ? await writeSetlist({ ...(normalised as SetlistParams), dir: temp }) : await writeSong({ ...(normalised as SongParams), dir: temp });
    await writeFile(path.join(temp, MANIFEST), JSON.stringify(relocate(result, temp, '.')));
    try {
      await rename(temp, folder);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
      // Another process finished the same fixture first: use theirs.
      const theirs = await loadManifest(folder);
      if (theirs && theirs !== 'damaged') return theirs;
      throw error;
    }
    return relocate(result, temp, folder);
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}

type Generated = GeneratedSong | GeneratedSetlist;

/** `<root>/.tmp-<folder>-<pid>-<random>`: the pid lets `removeStaleTemps` tell a crashed generation from a running one. */
function tempName(root: string, folder: string): string {
  return path.join(root, `${TEMP_PREFIX}${path.basename(folder)}-${process.pid}-${randomBytes(4).toString('hex')}`);
}

/**
 * The cached result if the folder is complete (manifest present, every stem file present and
 * non-empty); undefined if there is none; 'damaged' if the manifest is there but files are not.
 */
async function loadManifest(folder: string): Promise<Generated | 'damaged' | undefined> {
  let text: string;
  try {
    text = await readFile(path.join(folder, MANIFEST), 'utf8');
  } catch {
    return undefined;
  }
  const result = relocate(JSON.parse(text) as Generated, '.', folder);
  const songs = 'songs' in result ? result.songs : [result];
  for (const stem of songs.flatMap((song) => song.stems)) {
    const info = await stat(stem.path).catch(() => undefined);
    if (!info || info.size === 0) return 'damaged';
  }
  return result;
}

/** Rewrites every path of a result from under `from` to under `to` (`.` = relative). */
function relocate<T extends Generated>(result: T, from: string, to: string): T {
  const move = (p: string) => path.join(to, path.relative(from, p));
  const song = (s: GeneratedSong): GeneratedSong => ({ ...s, dir: move(s.dir), stems: s.stems.map((stem) => ({ ...stem, path: move(stem.path) })) });
  if ('songs' in result) return { ...result, path: move(result.path), songs: result.songs.map(song) };
  return song(result as GeneratedSong) as T;
}

/** Removes temp folders left by generations whose process is gone (a crash or a killed test run). */
async function removeStaleTemps(root: string): Promise<void> {
  for (const name of await readdir(root)) {
    if (!name.startsWith(TEMP_PREFIX)) continue;
    const pid = Number(name.split('-').at(-2));
    if (Number.isInteger(pid) && !isAlive(pid)) await rm(path.join(root, name), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** JSON with object keys sorted, so equal parameters hash equally whatever their key order. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
