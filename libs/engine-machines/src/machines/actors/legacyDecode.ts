import { fromPromise } from 'xstate';
import { LegacyDecodeError } from '../../errors.js';
import type { WholeStem, WholeStemDecoder } from '../../ports/WholeStemDecoder.js';
import type { SongSpec } from '../../setlist/setlistTypes.js';
import type { Frames } from '../../units.js';

export interface LegacyProgress {
  /** Stems fully decoded. */
  readonly stemsDone: number;
  readonly stems: number;
  /** Frames decoded of the stem in progress. */
  readonly decodedFrames: Frames;
  readonly totalFrames: Frames;
}

export interface LegacyDecodeInput {
  readonly decoder: WholeStemDecoder;
  readonly song: SongSpec;
  readonly sampleRate: number;
  readonly onProgress: (progress: LegacyProgress) => void;
}

/**
 * I/O actor: the legacy path — decodes every stem of the song whole, one after the other (NOTES:
 * parallel whole-file decodes contend for memory and were no faster on 2 cores), reporting
 * progress. Honours the abort signal: the decoder is told, and no further stem is started.
 */
export const legacyDecode = fromPromise<WholeStem[], LegacyDecodeInput>(async ({ input, signal }) => {
  const wholes: WholeStem[] = [];
  const stems = input.song.stems;
  for (let i = 0; i < stems.length; i++) {
    signal.throwIfAborted();
    const stem = stems[i];
    try {
      wholes.push(
        await input.decoder.decode(
          { song: input.song.id, stem: stem.id, path: stem.path },
          {
            signal,
            sampleRate: input.sampleRate,
            onProgress: (p) => input.onProgress({ stemsDone: i, stems: stems.length, decodedFrames: p.decodedFrames, totalFrames: p.totalFrames }),
          },
        ),
      );
    } catch (error) {
      if (signal.aborted) throw error;
      throw new LegacyDecodeError(input.song.id, stem.id, stem.path, error);
    }
    input.onProgress({ stemsDone: i + 1, stems: stems.length, decodedFrames: wholes[i].totalFrames, totalFrames: wholes[i].totalFrames });
  }
  return wholes;
});
