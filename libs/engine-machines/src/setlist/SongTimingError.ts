import type { SetlistProblem } from './SetlistError.js';

/**
 * A song's sections, tempo map or transition do not fit its audio (found once its stems are open):
 * `problems` lists each with its JSON path relative to the song.
 */
export class SongTimingError extends Error {
  override readonly name = 'SongTimingError';
  constructor(
    readonly song: string,
    readonly problems: readonly SetlistProblem[],
  ) {
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
    super(`${song}: ${problems[0].jsonPath}: ${problems[0].problem}${more}`);
  }
}
