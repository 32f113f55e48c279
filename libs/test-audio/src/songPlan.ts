import { deriveSeed } from './random.js';
import type { StemSpec } from './StemGenerator.js';
import { STEM_KINDS, type StemKind } from './stemRenderers.js';

export type Seconds = number;
export type Decibels = number;
/** `flac-cli`: the reference encoder (needs `flac`); `internal`: @trax/flac-encoder; `auto`: flac-cli when installed. */
export type EncoderChoice = 'flac-cli' | 'internal' | 'auto';

/** Everything that determines a generated song (the fixture cache key is a hash of these). */
export interface SongParams {
  /** Folder and setlist id of the song; must be safe as a file name. */
  readonly songId: string;
  readonly title?: string;
  /** Number of stems; kinds cycle chords, bass, drums, click, noise, sparse (mostly silence). */
  readonly stems: number;
  readonly seconds: Seconds;
  /** 44100, 48000 and 96000 are the rates that matter; any rate FLAC allows works. */
  readonly sampleRate: number;
  readonly bitDepth: 16 | 24;
  readonly channels: 1 | 2;
  /** Default 'auto'. */
  readonly encoder?: EncoderChoice;
  /** FLAC block size; default 4096 (both encoders). */
  readonly blockSize?: number;
  /** Write a SEEKTABLE (a point every 10 s, flac's default); default true. */
  readonly seekTable?: boolean;
  /** Default: derived from songId, so songs differ but each is reproducible. */
  readonly seed?: number;
}

/** One stem of a song plan: its file id, material and mix gain. */
export interface StemPlan {
  readonly id: string;
  readonly spec: StemSpec;
  readonly gainDb?: Decibels;
}

const ROOTS_HZ = [98, 110, 123.47, 130.81, 146.83]; // G2, A2, B2, C3, D3

/**
 * Plans a song's stems (pure): ids like `01-chords`, `02-bass`, one kind after another, a tempo
 * (90–139 BPM) and key shared by all stems, and a seed per stem. The click track gets
 * gainDb -6 (as a performer would mix it) so setlists exercise the optional field.
 */
export function planSong(params: SongParams): StemPlan[] {
  if (!Number.isInteger(params.stems) || params.stems < 1) throw new RangeError(`stems must be a positive integer, got ${params.stems}`);
  if (!(params.seconds > 0)) throw new RangeError(`seconds must be > 0, got ${params.seconds}`);
  const seed = params.seed ?? deriveSeed(0, params.songId);
  const tempoBpm = 90 + (seed % 50);
  const rootHz = ROOTS_HZ[seed % ROOTS_HZ.length];
  const frames = Math.round(params.seconds * params.sampleRate);
  return Array.from({ length: params.stems }, (_, index) => {
    const kind: StemKind = STEM_KINDS[index % STEM_KINDS.length];
    const spec: StemSpec = {
      kind,
      seed: deriveSeed(seed, index),
      frames,
      sampleRate: params.sampleRate,
      bitDepth: params.bitDepth,
      channels: params.channels,
      tempoBpm,
      rootHz,
    };
    const id = `${String(index + 1).padStart(2, '0')}-${kind}`;
    return kind === 'click' ? { id, spec, gainDb: -6 } : { id, spec };
  });
}
