import { entryFolderName } from './entryName.js';

/**
 * `metadata.json`: the commit record of one cache entry. It names only chunk files that were
 * completely written before it, with their byte length and CRC-32, so a reader trusts nothing that
 * it does not list and detects any chunk file that changed under it.
 */

/** Marks the file as ours; anything else in a `metadata.json` is garbage. */
export const METADATA_FORMAT = 'trax-streaming-cache';
/** Bump when the layout or the meaning of a field changes: entries of another version are dropped and rebuilt. */
export const METADATA_VERSION = 1;
export const METADATA_FILE = 'metadata.json';

/** What identifies the audio an entry was made from. A change of any field makes the entry invalid. */
export interface SourceIdentity {
  /** Absolute path of the source FLAC file. */
  readonly path: string;
  /** Bytes. */
  readonly size: number;
  /** Modification time in ms since the epoch, as `fs.stat` reports it (sub-millisecond fraction included). */
  readonly mtimeMs: number;
  /** STREAMINFO MD5 of the source's audio, lowercase hex. */
  readonly md5: string;
}

/** Everything about a stem that decides what its chunks hold (given once per stem to `writeMetadata`). */
export interface StemCacheInfo {
  readonly source: SourceIdentity;
  /** Rate of the cached PCM (the decoder's output rate). */
  readonly sampleRate: number;
  /** Rate of the source file; differs from `sampleRate` when the decoder resamples. */
  readonly sourceSampleRate: number;
  readonly channels: number;
  /** Bit depth of the source file. */
  readonly bitDepth: number;
  /** Frames per whole chunk, at `sampleRate`. */
  readonly chunkFrames: number;
  /** Frames of the whole stem, at `sampleRate` (decides the length of the last chunk). */
  readonly totalFrames: number;
}

/** One committed chunk file. */
export interface ChunkRecord {
  readonly index: number;
  readonly frames: number;
  readonly bytes: number;
  /** CRC-32 (zlib polynomial) of the whole file, 8 lowercase hex digits. */
  readonly crc32: string;
}

export interface EntryMetadata extends StemCacheInfo {
  readonly format: typeof METADATA_FORMAT;
  readonly version: typeof METADATA_VERSION;
  readonly song: string;
  readonly stem: string;
  /** Bits per sample inside the chunk files: see {@link storedBitDepth}. */
  readonly storedBitDepth: number;
  readonly totalChunks: number;
  /** Sorted by index, no duplicates. */
  readonly chunks: readonly ChunkRecord[];
  /** The instant-start slice ({@link START_FILE}), written with chunk 0; absent when turned off. */
  readonly start?: StartRecord;
}

/**
 * `start.f32`: the first frames of chunk 0 as planar little-endian float32 (channel 0's frames,
 * then channel 1's...), exactly the floats chunk 0 decodes to, so a quick start needs no decoding.
 */
export const START_FILE = 'start.f32';

export interface StartRecord {
  readonly frames: number;
  /** frames × channels × 4. */
  readonly bytes: number;
  readonly crc32: string;
}

/** `chunk_000.flac`, `chunk_001.flac`, …: the only file names a reader will open (never a name from JSON). */
export function chunkFileName(index: number): string {
  return `chunk_${String(index).padStart(3, '0')}.flac`;
}

/** Chunks of a stem: ceil(totalFrames / chunkFrames). */
export function totalChunksOf(info: Pick<StemCacheInfo, 'totalFrames' | 'chunkFrames'>): number {
  return Math.ceil(info.totalFrames / info.chunkFrames);
}

/** Frames in chunk `index`: `chunkFrames`, except the last chunk which holds the rest. */
export function framesOfChunk(info: Pick<StemCacheInfo, 'totalFrames' | 'chunkFrames'>, index: number): number {
  return Math.max(0, Math.min(info.chunkFrames, info.totalFrames - index * info.chunkFrames));
}

/**
 * Bits per sample the chunk files are written with. A stem played at its own rate keeps its own
 * depth (clamped to FLAC-encoder's 8..24; widening is exact), so the cached floats are bit-exact.
 * A resampled stem's floats are not on any integer grid: they are quantised to 24 bit (error
 * ≤ 2^-24 of full scale, about −144 dBFS, far below any 24-bit DAC's noise floor).
 */
export function storedBitDepth(info: Pick<StemCacheInfo, 'sampleRate' | 'sourceSampleRate' | 'bitDepth'>): number {
  if (info.sampleRate !== info.sourceSampleRate) return 24;
  return Math.min(24, Math.max(8, info.bitDepth));
}

/** A fresh entry with no chunks. */
export function newEntryMetadata(song: string, stem: string, info: StemCacheInfo): EntryMetadata {
  return {
    format: METADATA_FORMAT,
    version: METADATA_VERSION,
    song,
    stem,
    source: { path: info.source.path, size: info.source.size, mtimeMs: info.source.mtimeMs, md5: info.source.md5 },
    sampleRate: info.sampleRate,
    sourceSampleRate: info.sourceSampleRate,
    channels: info.channels,
    bitDepth: info.bitDepth,
    storedBitDepth: storedBitDepth(info),
    chunkFrames: info.chunkFrames,
    totalFrames: info.totalFrames,
    totalChunks: totalChunksOf(info),
    chunks: [],
  };
}

/** The same entry with its instant-start slice recorded. */
export function withStart(meta: EntryMetadata, start: StartRecord): EntryMetadata {
  return { ...meta, start };
}

/** The same entry with `chunk` added (or replacing the record of the same index), kept sorted. */
export function withChunk(meta: EntryMetadata, chunk: ChunkRecord): EntryMetadata {
  const chunks = meta.chunks.filter((c) => c.index !== chunk.index).concat(chunk);
  chunks.sort((a, b) => a.index - b.index);
  return { ...meta, chunks };
}

/** Whether two descriptions would produce the same chunk files (same source, same layout). */
export function sameStemInfo(a: StemCacheInfo, b: StemCacheInfo): boolean {
  return (
    a.source.path === b.source.path &&
    a.source.size === b.source.size &&
    a.source.mtimeMs === b.source.mtimeMs &&
    a.source.md5 === b.source.md5 &&
    a.sampleRate === b.sampleRate &&
    a.sourceSampleRate === b.sourceSampleRate &&
    a.channels === b.channels &&
    a.bitDepth === b.bitDepth &&
    a.chunkFrames === b.chunkFrames &&
    a.totalFrames === b.totalFrames
  );
}

export function serializeMetadata(meta: EntryMetadata): Uint8Array {
  return new TextEncoder().encode(`${JSON.stringify(meta, null, 1)}\n`);
}

export type ParsedMetadata = { readonly ok: true; readonly meta: EntryMetadata } | { readonly ok: false; readonly reason: string };

/**
 * Parses and checks a `metadata.json` completely: every field present with the right type and a
 * sane range, the format and version ours, and chunks consistent with the layout. The song and
 * stem IDs it names must give `folderName` (else it is a copied folder or, at odds ~2^-64, a hash
 * collision).
 */
export function parseMetadata(bytes: Uint8Array, folderName: string): ParsedMetadata {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    return fail(`not valid JSON (${(error as Error).message})`);
  }
  if (!isRecord(value)) return fail('not a JSON object');
  if (value['format'] !== METADATA_FORMAT) return fail(`format is ${JSON.stringify(value['format'])}, expected "${METADATA_FORMAT}"`);
  if (value['version'] !== METADATA_VERSION) return fail(`format version ${JSON.stringify(value['version'])}, this build reads version ${METADATA_VERSION}`);
  if (typeof value['song'] !== 'string' || typeof value['stem'] !== 'string') return fail('song/stem IDs are missing');
  if (entryFolderName(value['song'], value['stem']) !== folderName) return fail('song/stem IDs do not belong to this folder');

  const source = value['source'];
  if (!isRecord(source)) return fail('source is missing');
  if (typeof source['path'] !== 'string' || source['path'] === '') return fail('source.path is missing');
  if (!isCount(source['size'])) return fail('source.size is not a byte count');
  if (typeof source['mtimeMs'] !== 'number' || !Number.isFinite(source['mtimeMs'])) return fail('source.mtimeMs is not a time');
  if (typeof source['md5'] !== 'string' || !/^[0-9a-f]{32}$/.test(source['md5'])) return fail('source.md5 is not 32 hex digits');

  for (const field of ['sampleRate', 'sourceSampleRate', 'channels', 'bitDepth', 'storedBitDepth', 'chunkFrames'] as const)
    if (!isCount(value[field]) || value[field] === 0) return fail(`${field} is not a positive integer`);
  if (!isCount(value['totalFrames'])) return fail('totalFrames is not a frame count');
  if (!isCount(value['totalChunks'])) return fail('totalChunks is not a count');

  const info = value as unknown as EntryMetadata;
  if (info.channels > 8) return fail(`${info.channels} channels (FLAC carries at most 8)`);
  if (info.storedBitDepth !== storedBitDepth(info)) return fail(`storedBitDepth ${info.storedBitDepth} does not follow from the stem`);
  if (info.totalChunks !== totalChunksOf(info)) return fail('totalChunks does not match totalFrames / chunkFrames');

  const chunks = value['chunks'];
  if (!Array.isArray(chunks)) return fail('chunks is not a list');
  let previous = -1;
  for (const chunk of chunks as unknown[]) {
    if (!isRecord(chunk)) return fail('a chunk record is not an object');
    const { index, frames, bytes: size, crc32 } = chunk;
    if (!isCount(index) || index <= previous || index >= info.totalChunks) return fail(`chunk index ${String(index)} is out of order or range`);
    if (frames !== framesOfChunk(info, index)) return fail(`chunk ${index} holds ${String(frames)} frames, the layout says ${framesOfChunk(info, index)}`);
    if (!isCount(size) || size === 0) return fail(`chunk ${index} byte length is not a positive integer`);
    if (typeof crc32 !== 'string' || !/^[0-9a-f]{8}$/.test(crc32)) return fail(`chunk ${index} crc32 is not 8 hex digits`);
    previous = index;
  }

  const start = value['start'];
  if (start !== undefined) {
    if (!isRecord(start)) return fail('start is not an object');
    const { frames, bytes: size, crc32 } = start;
    if (!isCount(frames) || frames === 0 || frames > framesOfChunk(info, 0)) return fail(`start slice of ${String(frames)} frames does not fit chunk 0`);
    if (size !== frames * info.channels * 4) return fail(`start slice byte length ${String(size)} is not frames × channels × 4`);
    if (typeof crc32 !== 'string' || !/^[0-9a-f]{8}$/.test(crc32)) return fail('start crc32 is not 8 hex digits');
    if (!(chunks as ChunkRecord[]).some((c) => c.index === 0)) return fail('a start slice without chunk 0');
  }

  // Rebuild from the checked fields only, so unknown extra keys never travel further.
  const checkedStart = start as StartRecord | undefined;
  const meta: EntryMetadata = {
    ...newEntryMetadata(info.song, info.stem, info),
    chunks: (chunks as ChunkRecord[]).map(({ index, frames, bytes: size, crc32 }) => ({ index, frames, bytes: size, crc32 })),
    ...(checkedStart ? { start: { frames: checkedStart.frames, bytes: checkedStart.bytes, crc32: checkedStart.crc32 } } : {}),
  };
  return { ok: true, meta };
}

function fail(reason: string): ParsedMetadata {
  return { ok: false, reason };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
