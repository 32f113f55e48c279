import type { DecodedPcm } from '@trax/chunk-decoder';
import path from 'node:path';
import type { EntryRef, EntryStore, MetadataRead } from './EntryStore.js';
import { describeError } from './systemErrors.js';
import { CorruptEntryError } from '../errors.js';
import { chunkFileName, framesOfChunk, START_FILE, type ChunkRecord, type EntryMetadata } from '../format/metadata.js';
import type { ChunkCodec, FrameRange } from '../ports/ChunkCodec.js';
import type { CacheFileSystem } from '../ports/FileSystem.js';
import { readStartSlice, START_SLICES_SUPPORTED } from '../format/startSlice.js';

/** Which frames of the entry to read: a chunk index, or frames of one chunk (`startFrame` in stem frames). */
export type ReadTarget = { readonly chunkIndex: number } | { readonly startFrame: number; readonly frameCount: number };

export interface ReadContext {
  readonly store: EntryStore;
  readonly fs: CacheFileSystem;
  readonly codec: ChunkCodec;
  readonly verifySource: boolean;
  /** Why the entry does not match what the caller expects, or undefined. */
  readonly checkExpectation: (meta: EntryMetadata) => string | undefined;
}

/**
 * - `hit`: the chunk, checked (length, CRC-32, decoded shape) and decoded.
 * - `miss`: nothing usable and nothing wrong (not cached, other layout, source unreachable).
 * - `stale`: the source file changed since the entry was made: drop it.
 * - `corrupt`: a file of the entry is damaged: drop it and report.
 */
export type ReadResult =
  | { readonly kind: 'hit'; readonly pcm: DecodedPcm }
  | { readonly kind: 'miss'; readonly reason?: string }
  | { readonly kind: 'stale'; readonly reason: string }
  | { readonly kind: 'corrupt'; readonly error: CorruptEntryError };

/**
 * Reads chunk `index` of an entry without taking any lock: every file it reads was replaced
 * atomically, and the chunk is checked against the metadata.json read first. A failed check is
 * retried once with metadata.json read again (another process may have rewritten or evicted the
 * entry in between) before the entry is taken for damaged.
 */
export async function readEntry(context: ReadContext, ref: EntryRef, target: ReadTarget): Promise<ReadResult> {
  let read: MetadataRead = await context.store.readMetadata(ref.name);
  for (let attempt = 0; ; attempt++) {
    if (read.kind === 'absent') return { kind: 'miss' };
    if (read.kind === 'corrupt') return { kind: 'corrupt', error: new CorruptEntryError(read.file, read.reason) };
    const { meta } = read;
    const wrong = context.checkExpectation(meta);
    if (wrong) return { kind: 'miss', reason: wrong };
    const place = locate(meta, target);
    if (typeof place === 'string') return { kind: 'miss', reason: place };
    const { index, offset, frames } = place;
    const record = meta.chunks.find((c) => c.index === index);
    if (!record) return { kind: 'miss' };
    const fromStart = index === 0 && frames !== undefined && meta.start !== undefined && START_SLICES_SUPPORTED && offset + frames <= meta.start.frames;
    if (context.verifySource) {
      const change = await sourceChange(context.fs, meta);
      if (change === 'unreachable') return { kind: 'miss', reason: `source ${meta.source.path} cannot be read` };
      if (change) return { kind: 'stale', reason: change };
    }
    try {
      if (fromStart && meta.start && frames !== undefined) {
        const bytes = await context.store.readDataFile(ref, START_FILE, meta.start);
        const channelData = readStartSlice(bytes, meta.channels, meta.start.frames, offset, frames);
        return { kind: 'hit', pcm: { channelData, startFrame: offset, frameCount: frames, sampleRate: meta.sampleRate, errors: [] } };
      }
      const bytes = await context.store.readDataFile(ref, chunkFileName(index), record);
      const range = frames === undefined ? undefined : { startFrame: offset, frameCount: frames };
      return { kind: 'hit', pcm: await decodeChecked(context.codec, bytes, meta, record, range, path.join(ref.folder, chunkFileName(index))) };
    } catch (error) {
      if (!(error instanceof CorruptEntryError)) throw error;
      // Look once more before calling it damaged: another process may have evicted the entry and
      // cached it again between our reads, even with a byte-identical metadata.json.
      if (attempt === 0) {
        read = await context.store.readMetadata(ref.name);
        continue;
      }
      return { kind: 'corrupt', error };
    }
  }
}

/** How the source differs from the entry's record ('unreachable' when it cannot be stat'ed), or undefined. */
async function sourceChange(fs: CacheFileSystem, meta: EntryMetadata): Promise<string | undefined> {
  let info;
  try {
    info = await fs.stat(meta.source.path);
  } catch {
    // Gone or on an unmounted drive: not a reason to delete the entry (the drive may come back).
    return 'unreachable';
  }
  if (info.size !== meta.source.size) return `size ${info.size} bytes, was ${meta.source.size}`;
  if (info.mtimeMs !== meta.source.mtimeMs) return `modified at ${new Date(info.mtimeMs).toISOString()}, was ${new Date(meta.source.mtimeMs).toISOString()}`;
  return undefined;
}

/** The chunk and the frames within it that `target` asks for, or why it cannot be served from one chunk. */
function locate(meta: EntryMetadata, target: ReadTarget): { index: number; offset: number; frames: number | undefined } | string {
  if ('chunkIndex' in target) return { index: target.chunkIndex, offset: 0, frames: undefined };
  const { startFrame, frameCount } = target;
  const index = Math.floor(startFrame / meta.chunkFrames);
  const offset = startFrame - index * meta.chunkFrames;
  if (!(Number.isInteger(startFrame) && Number.isInteger(frameCount) && startFrame >= 0 && frameCount > 0)) return `frames [${startFrame}, +${frameCount}) are not a range`;
  if (offset + frameCount > framesOfChunk(meta, index)) return `frames [${startFrame}, ${startFrame + frameCount}) do not lie within one chunk`;
  return { index, offset, frames: frameCount };
}

async function decodeChecked(codec: ChunkCodec, bytes: Uint8Array, meta: EntryMetadata, record: ChunkRecord, range: FrameRange | undefined, file: string): Promise<DecodedPcm> {
  let decoded;
  try {
    decoded = await codec.decode(bytes, file, range);
  } catch (error) {
    throw new CorruptEntryError(file, `cannot be decoded (${describeError(error)})`, { cause: error });
  }
  const expectedFrames = range?.frameCount ?? record.frames;
  const problem =
    decoded.problems[0] ??
    (decoded.frameCount !== expectedFrames ? `decodes to ${decoded.frameCount} frames, expected ${expectedFrames}` : undefined) ??
    (decoded.channelData.length !== meta.channels ? `has ${decoded.channelData.length} channels, expected ${meta.channels}` : undefined) ??
    (decoded.sampleRate !== meta.sampleRate ? `is at ${decoded.sampleRate} Hz, expected ${meta.sampleRate}` : undefined) ??
    (decoded.bitDepth !== meta.storedBitDepth ? `is ${decoded.bitDepth}-bit, expected ${meta.storedBitDepth}` : undefined);
  if (problem) throw new CorruptEntryError(file, problem);
  const startFrame = record.index * meta.chunkFrames + (range?.startFrame ?? 0);
  return { channelData: decoded.channelData, startFrame, frameCount: decoded.frameCount, sampleRate: meta.sampleRate, errors: [] };
}
