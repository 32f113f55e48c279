/**
 * Port: where the resume journal lives. `write` replaces it atomically — after a crash at any
 * moment, `read` gives the previous journal or the new one, never a mix. Node: `nodeJournalStore`
 * (`@trax/engine-machines/node`); tests: `MemoryJournalStore`.
 */
export interface JournalStore {
  /** Names the journal in errors (its file path). */
  readonly name: string;
  /** The journal's text, or undefined when there is none. */
  read(): Promise<string | undefined>;
  write(text: string): Promise<void>;
  /** Deletes it (the show ended normally); no error when there is none. */
  remove(): Promise<void>;
}
