import { open } from 'node:fs/promises';

/** The STREAMINFO of a FLAC file, as read back from disk. */
export interface FlacFileInfo {
  readonly sampleRate: number;
  readonly channels: number;
  readonly bitsPerSample: number;
  readonly totalSamples: number;
  readonly minBlockSize: number;
  readonly maxBlockSize: number;
  readonly minFrameSize: number;
  readonly maxFrameSize: number;
  /** Lowercase hex. */
  readonly md5: string;
}

/**
 * Reads "fLaC" + STREAMINFO (the first 42 bytes) of a FLAC file.
 *
 * @example
 * const { totalSamples, md5 } = await readStreamInfo(song.stems[0].path);
 */
export async function readStreamInfo(path: string): Promise<FlacFileInfo> {
  const file = await open(path, 'r');
  try {
    const bytes = Buffer.alloc(42);
    const { bytesRead } = await file.read(bytes, 0, 42, 0);
    if (bytesRead < 42 || bytes.toString('latin1', 0, 4) !== 'fLaC' || (bytes[4] & 0x7f) !== 0) {
      throw new Error(`${path}: not a FLAC file (no "fLaC" marker followed by STREAMINFO)`);
    }
    const body = bytes.subarray(8);
    const packed = body.readUInt32BE(10);
    return {
      minBlockSize: body.readUInt16BE(0),
      maxBlockSize: body.readUInt16BE(2),
      minFrameSize: body.readUIntBE(4, 3),
      maxFrameSize: body.readUIntBE(7, 3),
      sampleRate: packed >>> 12,
      channels: ((packed >>> 9) & 0x7) + 1,
      bitsPerSample: ((packed >>> 4) & 0x1f) + 1,
      totalSamples: (packed & 0xf) * 2 ** 32 + body.readUInt32BE(14),
      md5: body.subarray(18, 34).toString('hex'),
    };
  } finally {
    await file.close();
  }
}
