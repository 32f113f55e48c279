import { fromPromise } from 'xstate';
import { SampleRateMismatchError, StemOpenError } from '../../errors.js';
import type { ChunkSource, StemInfo } from '../../ports/ChunkSource.js';
import type { SongSpec } from '../../setlist/setlistTypes.js';

export interface OpenStemsInput {
  readonly loader: ChunkSource;
  readonly song: SongSpec;
  readonly sampleRate: number;
}

/**
 * I/O actor: reads the headers of every stem of a song through the loader, all at once (headers
 * are under 1 ms per file, NOTES). Resolves with the stems' info in stem order; rejects with a
 * {@link StemOpenError} naming the first stem that cannot be opened or indexed, or a
 * {@link SampleRateMismatchError}. When aborted (the song was closed or replaced) it rejects
 * without waiting for the remaining opens.
 */
export const openStems = fromPromise<StemInfo[], OpenStemsInput>(async ({ input, signal }) => {
  const aborted = new Promise<never>((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
  aborted.catch(() => undefined);
  const opens = input.song.stems.map((stem) =>
    input.loader.openStem({ song: input.song.id, stem: stem.id, path: stem.path }).catch((error: unknown) => {
      throw new StemOpenError(input.song.id, stem.id, stem.path, error);
    }),
  );
  const infos = await Promise.race([Promise.all(opens), aborted]);
  infos.forEach((info, i) => {
    if (info.outputSampleRate !== input.sampleRate) {
      throw new SampleRateMismatchError(input.song.id, input.song.stems[i].id, info.outputSampleRate, input.sampleRate);
    }
  });
  return infos;
});
