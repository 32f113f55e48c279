import { SetlistError, unsafeIdReason, type Setlist, type StemSpec } from '@trax/engine-machines';
import { loadSetlist } from '@trax/engine-machines/node';
import { stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * What `trax play` plays: one setlist JSON file, one folder (a song or a setlist of song folders),
 * or a list of FLAC files played together as one song (stem id = file name without extension).
 */
export async function resolvePlayTargets(targets: readonly string[]): Promise<Setlist> {
  if (targets.length === 1 && !targets[0].toLowerCase().endsWith('.flac')) return loadSetlist(targets[0]);
  const files = targets.map((t) => path.resolve(t));
  const problems: { jsonPath: string; problem: string }[] = [];
  const stems: StemSpec[] = [];
  const ids = new Set<string>();
  for (const file of files) {
    const id = path.basename(file).replace(/\.flac$/i, '');
    const at = path.basename(file);
    const info = await stat(file).catch((error: NodeJS.ErrnoException) => error);
    if (info instanceof Error) problems.push({ jsonPath: at, problem: `stem file ${file} ${info.code === 'ENOENT' ? 'does not exist' : `is not readable (${info.code})`}` });
    else if (!info.isFile()) problems.push({ jsonPath: at, problem: `${file} is not a file` });
    const reason = unsafeIdReason(id);
    if (reason) problems.push({ jsonPath: at, problem: `stem id ${JSON.stringify(id)} ${reason}` });
    if (ids.has(id)) problems.push({ jsonPath: at, problem: `duplicate stem id "${id}": two files have the same name` });
    ids.add(id);
    stems.push({ id, path: file, gainDb: 0 });
  }
  if (problems.length > 0) throw new SetlistError(files[0], problems);
  const folder = path.basename(path.dirname(files[0]));
  const songId = unsafeIdReason(folder) ? 'song' : folder;
  return { name: songId, source: files[0], songs: [{ id: songId, title: songId, stems }] };
}
