import type { ByteSource } from './byteSource.js';
import { ByteWindow } from './byteWindow.js';
import { crc16 } from './crc.js';
import { FlacFormatError, UnsupportedFlacError } from './errors.js';
import { NoFlacMarkerError, readFlacMetadata, type FlacMetadata } from './flacMetadata.js';
import { MAX_FRAME_HEADER_BYTES, parseFrameHeader, type FrameHeader } from './frameHeader.js';
import type { IndexedFrame } from './frameIndex.js';
import { FrameLocator } from './frameLocator.js';
import { FrameRules } from './frameRules.js';
import { scanHeaders, type FoundHeader } from './frameScan.js';
import type { StreamInfo } from './streamInfo.js';
import type { ByteOffset, Frames } from './units.js';

/** Everything `open()` learns about a stream: metadata, frame rules, and where the audio ends. */
export interface FlacStream {
  readonly metadata: FlacMetadata;
  readonly locator: FrameLocator;
  /**
   * Samples per channel the stream holds: STREAMINFO's total, or — when that is 0 (unknown) or
   * smaller than what the last frame shows (faulty/05) — the end of the last frame.
   */
  readonly totalSamples: Frames;
  /** End sample of the last complete frame at the end of the file; less than `totalSamples` if truncated. */
  readonly presentSamples: Frames;
}

/** Bit depths whose integers a Float32Array holds exactly as s / 2^(b−1) (24-bit mantissa). */
export const MAX_SUPPORTED_BITS = 24;
/** How far past the metadata to look for the first frame (some encoders leave junk there). */
const FIRST_FRAME_SCAN_BYTES = 64 * 1024;
/** First look for the first frame header; enough unless there is junk before it. */
const FIRST_FRAME_READ_BYTES = 4 * 1024;

/**
 * Reads metadata, the first frame header and a bounded tail of the file (to find where the audio
 * really ends). Decodes nothing. Throws {@link FlacFormatError} for unreadable files and
 * {@link UnsupportedFlacError} for streams we refuse.
 */
export async function openFlacStream(source: ByteSource): Promise<FlacStream> {
  // One window for metadata and the first frame: with the 8 KB PADDING `flac` leaves by default,
  // the first 16 KB usually hold both (one read).
  const window = new ByteWindow(source, 16 * 1024);
  let metadata: FlacMetadata;
  try {
    metadata = await readFlacMetadata(source, window);
  } catch (error) {
    if (error instanceof NoFlacMarkerError && (await startsWithFrame(source, error.offset)))
      throw new UnsupportedFlacError(
        source.name,
        'a headerless FLAC stream (frames without the fLaC marker and STREAMINFO)',
        'wrap it in a FLAC file first (e.g. `flac -d` then `flac`)',
      );
    throw error;
  }
  const info = metadata.streamInfo;
  refuseUnsupported(source.name, info);
  const first = await findFirstFrame(source.name, window, metadata);
  const rules = await frameRules(window, info, first);
  const audioEnd = await audioEndOf(source);
  const locator = new FrameLocator(source, rules, { ...first, sample: 0 }, audioEnd, metadata.seekPoints);
  locator.bytesRead += window.viewEnd - window.viewStart;
  const last = await findLastCompleteFrame(locator, first.offset, source.name);
  const presentSamples = last ? last.sample + last.header.blockSize : 0;
  if (last) locator.index.add(last);
  const totalSamples = info.totalSamples > 0 ? Math.max(info.totalSamples, presentSamples) : presentSamples;
  return { metadata, locator, totalSamples, presentSamples };
}

function refuseUnsupported(file: string, info: StreamInfo): void {
  if (info.bitsPerSample > MAX_SUPPORTED_BITS)
    throw new UnsupportedFlacError(
      file,
      `${info.bitsPerSample}-bit samples (a Float32Array carries at most ${MAX_SUPPORTED_BITS}-bit integers exactly)`,
    );
  if (info.bitsPerSample < 4) throw new FlacFormatError(file, metadataOffset(), `STREAMINFO bit depth ${info.bitsPerSample} is below FLAC's minimum of 4`);
}

function metadataOffset(): number {
  return 8; // STREAMINFO body starts after 'fLaC' and its 4-byte block header
}

async function startsWithFrame(source: ByteSource, at: ByteOffset): Promise<boolean> {
  const bytes = await source.read(at, MAX_FRAME_HEADER_BYTES);
  return parseFrameHeader(bytes, 0) !== undefined;
}

/** The first frame: at the end of the metadata, or after junk within FIRST_FRAME_SCAN_BYTES. */
async function findFirstFrame(file: string, window: ByteWindow, metadata: FlacMetadata): Promise<{ offset: ByteOffset; header: FrameHeader }> {
  const info = metadata.streamInfo;
  const at = metadata.audioOffset;
  if (at >= window.size) throw new FlacFormatError(file, at, 'the file ends after the metadata: no audio frames');
  const mismatch = (header: FrameHeader): string | undefined =>
    FrameRules.parameterMismatch(info, header) ?? (header.codedNumber !== 0 ? `it is numbered ${header.codedNumber}, not 0` : undefined);
  let firstProblem: string | undefined;
  const scan = async (length: number) => {
    await window.ensure(at, length);
    return scanHeaders(window.view(), window.viewStart, at, at + length, ({ header }) => {
      const problem = mismatch(header);
      firstProblem ??= problem;
      return problem === undefined;
    });
  };
  const found = (await scan(FIRST_FRAME_READ_BYTES)) ?? (await scan(FIRST_FRAME_SCAN_BYTES));
  if (!found)
    throw new FlacFormatError(
      file,
      at,
      firstProblem
        ? `the first frame header disagrees with STREAMINFO: ${firstProblem}`
        : `no frame header within ${FIRST_FRAME_SCAN_BYTES} bytes after the metadata`,
    );
  return found;
}

/**
 * Frame numbering. Frames with the variable-block-size bit carry sample numbers. Without it they
 * carry frame numbers — except in old Flake streams (subset/27), which vary the block size
 * without setting the bit and number by sample: told apart by the second frame's number, which
 * is then the first frame's block size instead of 1.
 */
async function frameRules(window: ByteWindow, info: StreamInfo, first: { offset: ByteOffset; header: FrameHeader }): Promise<FrameRules> {
  const header = first.header;
  if (header.variableBlockSize) return new FrameRules(info, true, 'sample', header.blockSize);
  const fixed = new FrameRules(info, false, 'frame', header.blockSize);
  if (info.minBlockSize === info.maxBlockSize || header.blockSize === 1) return fixed;
  const probe = new FrameRules(info, false, 'sample', header.blockSize);
  const end = first.offset + probe.maxFrameBytes();
  await window.ensure(first.offset, end - first.offset + MAX_FRAME_HEADER_BYTES);
  const second = scanHeaders(
    window.view(),
    window.viewStart,
    first.offset + header.length,
    end,
    (found) => probe.isPlausible(found.header) && (found.header.codedNumber === 1 || found.header.codedNumber === header.blockSize),
  );
  return second?.header.codedNumber === header.blockSize ? probe : fixed;
}

/** The file size, less a trailing 128-byte ID3v1 tag ('TAG'). */
async function audioEndOf(source: ByteSource): Promise<ByteOffset> {
  if (source.size < 128) return source.size;
  const tag = await source.read(source.size - 128, 3);
  return tag[0] === 0x54 && tag[1] === 0x41 && tag[2] === 0x47 ? source.size - 128 : source.size;
}

/**
 * The last frame whose CRC-16 is valid, found in a bounded tail of the file (two frames,
 * doubled up to 4 MiB if none is found). Reading ~30 KB at open is what lets us report
 * a truncated file and streams whose STREAMINFO has no or a wrong total. A complete last frame
 * whose channels, rate or bit depth differ from STREAMINFO means they change mid-stream
 * (uncommon/01–04, which the reference decoder rejects too): refused.
 */
async function findLastCompleteFrame(locator: FrameLocator, firstOffset: ByteOffset, file: string): Promise<IndexedFrame | undefined> {
  const rules = locator.rules;
  const end = locator.audioEnd;
  // Two frames' worth: STREAMINFO's maximum frame size when set (flac sets it exactly; if it is
  // wrong, the doubling below still finds the frame), else the worst case from the block size.
  const frameBytes = rules.streamInfo.maxFrameSize || rules.maxFrameBytes();
  for (let span = 2 * frameBytes + MAX_FRAME_HEADER_BYTES; ; span *= 2) {
    const from = Math.max(firstOffset, end - span);
    const window = locator.window(0);
    await window.ensure(from, end - from);
    const view = window.view();
    const candidates: IndexedFrame[] = [];
    let lastForeign: FoundHeader | undefined;
    scanHeaders(view, from, from, end, (found) => {
      if (rules.isPlausible(found.header)) candidates.push({ ...found, sample: rules.sampleOf(found.header) });
      else if (FrameRules.parameterMismatch(rules.streamInfo, found.header)) lastForeign = found;
      return false;
    });
    const foreign = lastForeign as FoundHeader | undefined;
    if (foreign && foreign.offset > (candidates.at(-1)?.offset ?? -1) && crc16(view, foreign.offset - from, end - from) === 0)
      throw new UnsupportedFlacError(
        file,
        `stream parameters that change mid-stream (the last frame has ${FrameRules.parameterMismatch(rules.streamInfo, foreign.header)})`,
        'split it into files with one sample rate, channel count and bit depth each',
      );
    // From the end: the last candidate whose bytes up to the next candidate with the following
    // sample number (or the end of the audio) pass the CRC-16.
    for (let i = candidates.length - 1; i >= 0; i--) {
      const frame = candidates[i];
      const expected = frame.sample + frame.header.blockSize;
      const next = candidates.slice(i + 1).find((c) => c.sample === expected);
      if (!next && i < candidates.length - 1 && candidates.slice(i + 1).some((c) => c.sample > frame.sample)) continue;
      if (crc16(view, frame.offset - from, (next ? next.offset : end) - from) === 0) return frame;
    }
    if (from === firstOffset || span >= 4 << 20) return undefined;
  }
}
