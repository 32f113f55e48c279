import type { Setlist } from '@trax/engine-machines';
import { runChild } from '../childRunner.js';
import type { LegacyResult } from '../children/childProtocol.js';

export interface LegacyRun extends LegacyResult {
  /** Peak RSS of the whole child (`/usr/bin/time -v`), null without GNU time. */
  readonly maxRssBytes: number | null;
  readonly wallMs: number;
}

/**
 * The plan's "current system", in a child process of its own (its ~4 GB never touch the
 * bench's figures): the engine with streaming off (`trax play --no-streaming`) decodes every stem
 * whole with the app's legacy decoder — the same `@trax/chunk-decoder` Trax streams with — then plays. First audio is the engine's own metric, as for Trax.
 */
export async function legacyRun(setlist: Setlist, cacheDir: string): Promise<LegacyRun> {
  const { result, maxRssBytes, wallMs } = await runChild<LegacyResult>({ mode: 'legacy', setlist, songId: setlist.songs[0].id, cacheDir }, { timeoutMs: 15 * 60_000, measureRss: true });
  return { ...result, maxRssBytes, wallMs };
}
