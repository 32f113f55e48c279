import { GENERATOR_VERSION, setlistJson, writeSong, type GeneratedSong, type SongParams } from '@trax/test-audio';
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { traxDataDir } from '../paths.js';
import { ProgressLine } from '../progressLine.js';

/** The demo setlist (a contract of `trax demo`): 3 songs × 12 stems × 60 s, 48 kHz/24-bit stereo. */
export const DEMO_SONGS: readonly SongParams[] = [
  { songId: '1-opener', title: 'Opener', stems: 12, seconds: 60, sampleRate: 48_000, bitDepth: 24, channels: 2 },
  { songId: '2-ballad', title: 'Ballad', stems: 12, seconds: 60, sampleRate: 48_000, bitDepth: 24, channels: 2 },
  { songId: '3-closer', title: 'Closer', stems: 12, seconds: 60, sampleRate: 48_000, bitDepth: 24, channels: 2 },
];
const STAMP = 'demo.stamp.json';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('write the demo setlist (3 songs × 12 stems × 60 s) once and print its path')
    .argument('[dir]', 'folder for the demo', path.join(traxDataDir(), 'demo'))
    .action(async (dir: string) => {
      process.stdout.write(`${await ensureDemoSetlist(dir)}\n`);
    });
}

/**
 * Returns the demo setlist's JSON path under `dir`, generating it first if needed. Generation goes
 * to a temp folder renamed into place, so an interrupted run is never mistaken for a complete demo.
 */
export async function ensureDemoSetlist(dir: string, progress = new ProgressLine(process.stderr)): Promise<string> {
  const root = path.resolve(dir);
  const setlistFile = path.join(root, 'setlist.json');
  const stamp = JSON.stringify({ generator: GENERATOR_VERSION, songs: DEMO_SONGS });
  if (existsSync(setlistFile) && (await readFile(path.join(root, STAMP), 'utf8').catch(() => '')) === stamp) return setlistFile;

  const building = `${root}.partial-${process.pid}`;
  await rm(building, { recursive: true, force: true });
  await mkdir(building, { recursive: true });
  const songs: GeneratedSong[] = [];
  for (const [i, song] of DEMO_SONGS.entries()) {
    progress.update(`trax demo: writing song ${i + 1}/${DEMO_SONGS.length} (${song.stems} stems × ${song.seconds} s)`, i / DEMO_SONGS.length);
    songs.push(await writeSong({ ...song, dir: building }));
  }
  progress.update('trax demo: done', 1);
  progress.end();
  // Paths in the JSON are relative, so they stay valid after the rename.
  await writeFile(path.join(building, 'setlist.json'), `${JSON.stringify(setlistJson('Trax demo', songs, building), null, 2)}\n`);
  await writeFile(path.join(building, STAMP), stamp);
  await rm(root, { recursive: true, force: true });
  await mkdir(path.dirname(root), { recursive: true });
  await rename(building, root);
  return setlistFile;
}
