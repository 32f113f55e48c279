import type { ByteSource } from './byteSource.js';
import { ByteWindow } from './byteWindow.js';
import { FlacFormatError } from './errors.js';
import { STREAMINFO_LENGTH, parseStreamInfo, type StreamInfo } from './streamInfo.js';
import type { ByteOffset, Frames } from './units.js';

/** A SEEKTABLE point: the frame starting at `sample` begins at absolute byte `offset`. */
export interface SeekPoint {
  readonly sample: Frames;
  readonly offset: ByteOffset;
}

/** What `open()` learns from the metadata blocks, before any audio byte is read. */
export interface FlacMetadata {
  readonly streamInfo: StreamInfo;
  /** Valid (non-placeholder) seek points, sorted by sample, offsets absolute. */
  readonly seekPoints: readonly SeekPoint[];
  /** Absolute offset of the first frame (just after the last metadata block). */
  readonly audioOffset: ByteOffset;
  /** Bytes of ID3v2 tag(s) skipped before `fLaC` (0 if none). */
  readonly id3Bytes: number;
}

const BLOCK_STREAMINFO = 0;
const BLOCK_SEEKTABLE = 3;
const BLOCK_INVALID = 127;
const SEEKPOINT_BYTES = 18;

/** Thrown when the bytes do not start with `fLaC` (after any ID3v2 tag). */
export class NoFlacMarkerError extends FlacFormatError {}

/**
 * Reads `fLaC`, STREAMINFO and SEEKTABLE; every other block (PADDING, PICTURE, VORBIS_COMMENT,
 * APPLICATION, CUESHEET) is skipped by its length without being read. An ID3v2 tag before
 * `fLaC` is skipped too. Throws {@link FlacFormatError} with the byte offset of the problem.
 * Reads through `window`, so a caller can go on reading the first frame from the same bytes.
 */
export async function readFlacMetadata(source: ByteSource, window = new ByteWindow(source, 16 * 1024)): Promise<FlacMetadata> {
  const file = source.name;
  if (source.size === 0) throw new FlacFormatError(file, 0, 'the file is empty');
  const need = async (offset: number, length: number, what: string) => {
    if ((await window.ensure(offset, length)) < length)
      throw new FlacFormatError(file, offset, `file ends inside ${what} (${source.size} bytes in all)`);
  };

  const id3Bytes = await skipId3v2(window, file);
  let at = id3Bytes;
  await window.ensure(at, 4);
  const marker = String.fromCharCode(window.at(at), window.at(at + 1), window.at(at + 2), window.at(at + 3));
  if (source.size - at < 4 || marker !== 'fLaC')
    throw new NoFlacMarkerError(file, at, `expected the 'fLaC' marker, found ${JSON.stringify(marker.replace(/[^\x20-\x7e]/g, '?'))}`);
  at += 4;

  let streamInfo: StreamInfo | undefined;
  const seekPoints: SeekPoint[] = [];
  let seekTableAt = -1;
  let seekTableLength = 0;
  for (let last = false; !last; ) {
    await need(at, 4, 'a metadata block header');
    const header = window.at(at);
    last = (header & 0x80) !== 0;
    const type = header & 0x7f;
    const length = (window.at(at + 1) << 16) | (window.at(at + 2) << 8) | window.at(at + 3);
    const body = at + 4;
    if (type === BLOCK_INVALID) throw new FlacFormatError(file, at, 'metadata block type 127 is invalid');
    if (body + length > source.size)
      throw new FlacFormatError(file, at, `metadata block (type ${type}) of ${length} bytes runs past the end of the file`);
    if (type === BLOCK_STREAMINFO) {
      if (streamInfo) throw new FlacFormatError(file, at, 'a second STREAMINFO block');
      if (length !== STREAMINFO_LENGTH)
        throw new FlacFormatError(file, at, `STREAMINFO is ${length} bytes, expected ${STREAMINFO_LENGTH}`);
      await need(body, length, 'STREAMINFO');
      streamInfo = parseStreamInfo(window.view(), body - window.viewStart);
    } else if (type === BLOCK_SEEKTABLE) {
      if (length % SEEKPOINT_BYTES !== 0)
        throw new FlacFormatError(file, at, `SEEKTABLE length ${length} is not a multiple of ${SEEKPOINT_BYTES}`);
      seekTableAt = body;
      seekTableLength = length;
    }
    at = body + length;
  }
  const audioOffset = at;
  if (!streamInfo) throw new FlacFormatError(file, id3Bytes + 4, 'no STREAMINFO metadata block');
  if (streamInfo.sampleRate === 0) throw new FlacFormatError(file, id3Bytes + 8, 'STREAMINFO sample rate is 0');

  if (seekTableAt >= 0) {
    await need(seekTableAt, seekTableLength, 'SEEKTABLE');
    const bytes = window.view();
    const u32 = (i: number) => ((bytes[i] << 24) >>> 0) + ((bytes[i + 1] << 16) | (bytes[i + 2] << 8) | bytes[i + 3]);
    let previous = -1;
    for (let p = seekTableAt - window.viewStart; p < seekTableAt - window.viewStart + seekTableLength; p += SEEKPOINT_BYTES) {
      const sampleHigh = u32(p);
      const sampleLow = u32(p + 4);
      if (sampleHigh === 0xffffffff && sampleLow === 0xffffffff) continue; // placeholder point
      const sample = sampleHigh * 2 ** 32 + sampleLow;
      const offset = audioOffset + u32(p + 8) * 2 ** 32 + u32(p + 12);
      // Points must ascend; ignore any that don't or that point past the file (they are hints).
      if (sample <= previous || offset >= source.size) continue;
      seekPoints.push({ sample, offset });
      previous = sample;
    }
  }
  return { streamInfo, seekPoints, audioOffset, id3Bytes };
}

/** Skips ID3v2 tags (10-byte header, sync-safe size, optional 10-byte footer); returns their length. */
async function skipId3v2(window: ByteWindow, file: string): Promise<number> {
  let at = 0;
  for (;;) {
    if ((await window.ensure(at, 10)) < 10) return at;
    if (window.at(at) !== 0x49 || window.at(at + 1) !== 0x44 || window.at(at + 2) !== 0x33) return at; // 'ID3'
    const sizeBytes = [6, 7, 8, 9].map((i) => window.at(at + i));
    if (sizeBytes.some((byte) => byte & 0x80)) throw new FlacFormatError(file, at + 6, 'ID3v2 tag size is not sync-safe');
    const size = (sizeBytes[0] << 21) | (sizeBytes[1] << 14) | (sizeBytes[2] << 7) | sizeBytes[3];
    const hasFooter = (window.at(at + 5) & 0x10) !== 0;
    at += 10 + size + (hasFooter ? 10 : 0);
    if (at >= window.size) throw new FlacFormatError(file, at, 'the ID3v2 tag runs to the end of the file');
  }
}
