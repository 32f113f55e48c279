/** One thing wrong with a setlist, located by a JSON path such as `$.songs[2].stems[0].path`. */
export interface SetlistProblem {
  readonly jsonPath: string;
  readonly problem: string;
  /** The file the problem is in, when it is not the setlist's own (a folder song's `song.json`). */
  readonly file?: string;
}

/**
 * A setlist that cannot be played. Names the file, the JSON path (for folder setlists, the
 * song/stem path inside the folder) and the problem; `problems` lists every problem found, so a
 * performer can fix them all at once. A problem in another file (a folder song's `song.json`)
 * names that file in its `file`; the message names it too.
 */
export class SetlistError extends Error {
  readonly file: string;
  readonly jsonPath: string;
  readonly problem: string;
  readonly problems: readonly SetlistProblem[];

  constructor(file: string, problems: readonly SetlistProblem[]) {
    const [first] = problems;
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
    super(`${first.file ?? file}: ${first.jsonPath}: ${first.problem}${more}`);
    this.name = 'SetlistError';
    this.file = file;
    this.jsonPath = first.jsonPath;
    this.problem = first.problem;
    this.problems = problems;
  }
}
