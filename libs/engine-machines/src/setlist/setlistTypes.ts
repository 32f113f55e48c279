export type Decibels = number;

/** One stem of a song: a FLAC file and its mix gain. */
export interface StemSpec {
  readonly id: string;
  /** Absolute path of the FLAC file. */
  readonly path: string;
  readonly gainDb: Decibels;
}

export interface SongSpec {
  readonly id: string;
  readonly title: string;
  readonly stems: readonly StemSpec[];
}

/** A parsed, validated setlist: songs in play order. */
export interface Setlist {
  readonly name: string;
  /** The JSON file or folder it was read from. */
  readonly source: string;
  readonly songs: readonly SongSpec[];
}
