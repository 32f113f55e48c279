/**
 * A resume journal that cannot be used: unreadable, not JSON, not a journal, from a newer Trax, or
 * with a field missing or wrong. The caller starts fresh (and may tell the performer why).
 */
export class ResumeJournalError extends Error {
  override readonly name = 'ResumeJournalError';
  constructor(
    /** The journal file (or the store's name for it). */
    readonly file: string,
    /** Where in the JSON: `$.position.frame`; `$` for the whole file. */
    readonly jsonPath: string,
    readonly problem: string,
  ) {
    super(`${file}: ${jsonPath}: ${problem}; starting without resuming`);
  }
}
