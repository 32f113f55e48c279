import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { hasFlacCli } from './flacCli.js';
import { planSong, type Decibels, type EncoderChoice, type SongParams } from './songPlan.js';
import type { StemSpec } from './StemGenerator.js';
import type { StemKind } from './stemRenderers.js';
import { writeStemFlac } from './writeStem.js';

/** One generated stem file. */
export interface GeneratedStem {
  readonly id: string;
  readonly kind: StemKind;
  /** Absolute path of the .flac file. */
  readonly path: string;
  readonly gainDb?: Decibels;
  /** Frames per channel. */
  readonly frames: number;
  /** MD5 of the PCM (= the file's STREAMINFO MD5), lowercase hex. */
  readonly md5: string;
  /** Regenerate the exact PCM with `generateStemPcm(spec)`. */
  readonly spec: StemSpec;
}

/** A generated song: a folder of .flac stems (also a valid folder-convention song). */
export interface GeneratedSong {
  readonly id: string;
  readonly title: string;
  /** The song's folder, holding `<stem id>.flac` files. */
  readonly dir: string;
  readonly encoder: 'flac-cli' | 'internal';
  readonly sampleRate: number;
  readonly bitDepth: 16 | 24;
  readonly channels: 1 | 2;
  readonly frames: number;
  readonly stems: readonly GeneratedStem[];
}

export interface WriteSongOptions extends SongParams {
  /** Parent folder: the song goes to `<dir>/<songId>/`. */
  readonly dir: string;
}

/** The encoder `auto` stands for here: the reference `flac` when installed, else the in-process one. */
export function resolveEncoder(choice: EncoderChoice = 'auto'): 'flac-cli' | 'internal' {
  if (choice === 'auto') return hasFlacCli() ? 'flac-cli' : 'internal';
  return choice;
}

/**
 * Generates a song's stems and writes them as FLAC files to `<dir>/<songId>/<stemId>.flac`, in
 * bounded memory. With the reference encoder two stems are encoded at once (the flac processes
 * work while this thread generates); the in-process encoder works one stem at a time.
 *
 * @example
 * const song = await writeSong({ dir: '/tmp/gig', songId: 'song-1', stems: 6, seconds: 10, sampleRate: 48000, bitDepth: 24, channels: 2, encoder: 'internal' });
 * console.log(song.stems.map((s) => s.path));
 */
export async function writeSong(options: WriteSongOptions): Promise<GeneratedSong> {
  const reason = unsafeIdReason(options.songId);
  if (reason) throw new RangeError(`songId ${JSON.stringify(options.songId)} ${reason}`);
  const plan = planSong(options);
  const encoder = resolveEncoder(options.encoder);
  const dir = path.resolve(options.dir, options.songId);
  await mkdir(dir, { recursive: true });
  const encoding = { encoder, blockSize: options.blockSize, seekTable: options.seekTable ?? true };
  const stems: GeneratedStem[] = new Array(plan.length);
  const concurrency = encoder === 'flac-cli' ? 2 : 1;
  let next = 0;
  const worker = async () => {
    while (next < plan.length) {
      const index = next++;
      const { id, spec, gainDb } = plan[index];
      const file = path.join(dir, `${id}.flac`);
      const md5 = await writeStemFlac(spec, file, encoding);
      stems[index] = { id, kind: spec.kind, path: file, ...(gainDb === undefined ? {} : { gainDb }), frames: spec.frames, md5, spec };
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return {
    id: options.songId,
    title: options.title ?? options.songId,
    dir,
    encoder,
    sampleRate: options.sampleRate,
    bitDepth: options.bitDepth,
    channels: options.channels,
    frames: plan[0].spec.frames,
    stems,
  };
}

/** Same rule as the setlist parser: ids become folder and file names. */
function unsafeIdReason(id: string): string | undefined {
  if (id.length === 0) return 'is empty';
  if (id.includes('/') || id.includes('\\')) return 'contains a path separator';
  if (id.includes('..')) return 'contains ".."';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(id)) return 'contains a control character';
  return undefined;
}
