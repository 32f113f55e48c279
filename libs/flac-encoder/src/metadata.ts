// The stream header: "fLaC", then metadata blocks, each with a 4-byte header (last-block flag,
// 7-bit type, 24-bit length). STREAMINFO always comes first, so its body is at byte offset 8.

/** Byte offset of the STREAMINFO body in every FLAC file this encoder writes. */
export const STREAMINFO_OFFSET = 8;
const STREAMINFO_LENGTH = 34;
const SEEK_POINT_LENGTH = 18;
const TYPE_STREAMINFO = 0;
const TYPE_PADDING = 1;
const TYPE_SEEKTABLE = 3;

/** The STREAMINFO fields, as written. */
export interface StreamInfo {
  readonly minBlockSize: number;
  readonly maxBlockSize: number;
  /** Bytes; 0 = unknown (only in a streaming encoder's provisional header). */
  readonly minFrameSize: number;
  readonly maxFrameSize: number;
  readonly sampleRate: number;
  readonly channels: number;
  readonly bitsPerSample: number;
  /** Samples per channel; 0 = unknown. */
  readonly totalSamples: number;
  /** MD5 of the PCM (interleaved, little-endian, whole bytes per sample), lowercase hex; all zeros = unknown. */
  readonly md5: string;
}

/** One SEEKTABLE entry: the first sample of a frame and that frame's byte offset after the header. */
export interface SeekPoint {
  readonly sampleNumber: number;
  readonly byteOffset: number;
  readonly frameSamples: number;
}

/** What goes between "fLaC" and the first frame. */
export interface HeaderLayout {
  readonly streamInfo: StreamInfo;
  /** Reserved entries of a SEEKTABLE (none = no SEEKTABLE block); unfilled ones are written as placeholders. */
  readonly seekPointCount: number;
  readonly seekPoints: readonly SeekPoint[];
  readonly padding: number;
}

/** Total header size in bytes for a layout (independent of the values, so it can be reserved up front). */
export function headerLength(seekPointCount: number, padding: number): number {
  return 4 + 4 + STREAMINFO_LENGTH + (seekPointCount > 0 ? 4 + seekPointCount * SEEK_POINT_LENGTH : 0) + (padding > 0 ? 4 + padding : 0);
}

/** Serialises "fLaC" + STREAMINFO [+ SEEKTABLE] [+ PADDING]. */
export function writeHeader(layout: HeaderLayout): Uint8Array {
  const { streamInfo: info, seekPointCount, seekPoints, padding } = layout;
  const bytes = new Uint8Array(headerLength(seekPointCount, padding));
  const view = new DataView(bytes.buffer);
  bytes.set([0x66, 0x4c, 0x61, 0x43]); // "fLaC"
  let pos = 4;
  const blockHeader = (type: number, length: number, last: boolean) => {
    view.setUint32(pos, (((last ? 0x80 : 0) | type) * 2 ** 24) + length);
    pos += 4;
  };

  blockHeader(TYPE_STREAMINFO, STREAMINFO_LENGTH, seekPointCount === 0 && padding === 0);
  view.setUint16(pos, info.minBlockSize);
  view.setUint16(pos + 2, info.maxBlockSize);
  setUint24(view, pos + 4, info.minFrameSize);
  setUint24(view, pos + 7, info.maxFrameSize);
  // 20 bits rate, 3 bits channels-1, 5 bits bps-1, 36 bits total samples: 64 bits in two words.
  const totalHigh = Math.floor(info.totalSamples / 2 ** 32);
  view.setUint32(pos + 10, ((info.sampleRate << 12) | ((info.channels - 1) << 9) | ((info.bitsPerSample - 1) << 4) | totalHigh) >>> 0);
  view.setUint32(pos + 14, info.totalSamples >>> 0);
  for (let i = 0; i < 16; i++) bytes[pos + 18 + i] = parseInt(info.md5.slice(2 * i, 2 * i + 2), 16);
  pos += STREAMINFO_LENGTH;

  if (seekPointCount > 0) {
    blockHeader(TYPE_SEEKTABLE, seekPointCount * SEEK_POINT_LENGTH, padding === 0);
    for (let i = 0; i < seekPointCount; i++) {
      const point = seekPoints[i];
      if (point) {
        setUint64(view, pos, point.sampleNumber);
        setUint64(view, pos + 8, point.byteOffset);
        view.setUint16(pos + 16, point.frameSamples);
      } else {
        // Placeholder point: sample number 0xFFFFFFFFFFFFFFFF, decoders skip it.
        bytes.fill(0xff, pos, pos + 8);
      }
      pos += SEEK_POINT_LENGTH;
    }
  }
  if (padding > 0) blockHeader(TYPE_PADDING, padding, true); // body stays zero
  return bytes;
}

/**
 * Frames that get a seek point: the frame holding each multiple of `interval` samples (like
 * `flac -S <n>s`), deduplicated when the interval is shorter than a block.
 */
export function plannedSeekFrames(totalSamples: number, blockSize: number, interval: number): number[] {
  const frames: number[] = [];
  for (let target = 0; target < totalSamples; target += interval) {
    const frame = Math.floor(target / blockSize);
    if (frames[frames.length - 1] !== frame) frames.push(frame);
  }
  return frames;
}

function setUint24(view: DataView, pos: number, value: number): void {
  view.setUint8(pos, (value >>> 16) & 0xff);
  view.setUint16(pos + 1, value & 0xffff);
}

function setUint64(view: DataView, pos: number, value: number): void {
  view.setUint32(pos, Math.floor(value / 2 ** 32));
  view.setUint32(pos + 4, value >>> 0);
}
