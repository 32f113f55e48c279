import type { Setlist } from '@trax/engine-machines';
import { nodeArgsFor, runChild, runCommand } from '../childRunner.js';
import type { ColdPlayResult } from '../children/childProtocol.js';

export interface ColdProcessRun {
  /** Spawn → exit of the whole process. */
  readonly wholeMs: number;
  /** Spawn → first audio (the child's process start plus its time to first audio). */
  readonly toFirstAudioMs: number;
  /** The engine's own PLAY_SONG → first audio inside that process. */
  readonly engineFirstAudioMs: number;
  readonly command: string;
}

/** `trax` itself, in the form this module runs in (built, or from source through tsx). */
function traxMain(): URL {
  return new URL(`../../main.${import.meta.url.endsWith('.ts') ? 'ts' : 'js'}`, import.meta.url);
}

/** `trax play DIR --seconds 1` in a new process, over a cold cache: the whole process's wall time. */
export async function traxPlayRun(songDir: string, cacheDir: string): Promise<number> {
  const run = await runCommand(process.execPath, [...nodeArgsFor(traxMain()), 'play', songDir, '--seconds', '1', '--cache-dir', cacheDir, '--quiet'], { timeoutMs: 120_000 });
  if (run.code !== 0) {
    const lines = run.stderr.trim().split('\n');
    const why = lines.find((line) => line.startsWith('trax:') || /Error\b/.test(line)) ?? lines.at(-1) ?? '';
    throw new Error(`trax play exited with ${run.code}: ${why.trim()}`);
  }
  return run.wallMs;
}

/**
 * A cold process that starts Trax (cache, loader, engine, sink), plays the song for `seconds` and
 * exits — what `trax play --seconds 1` does — timed from the spawn to its first audio and to its
 * exit.
 */
export async function coldPlayRun(setlist: Setlist, cacheDir: string, seconds: number): Promise<ColdProcessRun> {
  const { result, wallMs, spawnedAtEpochMs } = await runChild<ColdPlayResult>({ mode: 'cold-play', setlist, songId: setlist.songs[0].id, cacheDir, seconds }, { timeoutMs: 120_000 });
  return {
    wholeMs: wallMs,
    toFirstAudioMs: result.timeOriginEpochMs + result.firstAudioSinceStartMs - spawnedAtEpochMs,
    engineFirstAudioMs: result.firstAudioMs,
    command: 'bench child (cold-play)',
  };
}
