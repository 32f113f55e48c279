import type { Setlist } from '@trax/engine-machines';
import { runChild } from '../childRunner.js';
import type { RenderResult } from '../children/childProtocol.js';
import { folderBytes } from '../scratchDirs.js';

export interface RenderRun extends RenderResult {
  readonly maxRssBytes: number | null;
  readonly childWallMs: number;
  /** The cache folder after the render and its write-backs (when `settleWrites`). */
  readonly cache: { readonly bytes: number; readonly allocatedBytes: number; readonly files: number } | null;
}

/**
 * Peak RSS while the whole song plays in render mode (as fast as data comes), in a child
 * process over a cold cache: sampled in the child, and for the whole process by GNU time. With
 * `settleWrites` the child then waits for the cache writes of the song's first minute, and the
 * cache folder's size is the song's cache footprint.
 */
export async function renderRun(setlist: Setlist, cacheDir: string, settleWrites: boolean): Promise<RenderRun> {
  const { result, maxRssBytes, wallMs } = await runChild<RenderResult>(
    { mode: 'render', setlist, songId: setlist.songs[0].id, cacheDir, settleWrites },
    { timeoutMs: 20 * 60_000, measureRss: true },
  );
  return { ...result, maxRssBytes, childWallMs: wallMs, cache: settleWrites ? await folderBytes(cacheDir) : null };
}
