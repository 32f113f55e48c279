import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { FlacStreamEncoder } from '@trax/flac-encoder';
import { nodeMd5 } from '@trax/flac-encoder/node';
import { encodeWithFlacCli } from './flacCli.js';
import { StemGenerator, type StemSpec } from './StemGenerator.js';

/** Frames generated and encoded per step: 65536 (1.4 s at 48 kHz, 384 KB of 24-bit stereo). */
const WRITE_BLOCK = 65536;

/** How one stem file is encoded. */
export interface StemEncoding {
  readonly encoder: 'flac-cli' | 'internal';
  readonly blockSize?: number;
  readonly seekTable: boolean;
}

/**
 * Generates a stem and writes it as a FLAC file in bounded memory (one block at a time, whatever
 * the length). Resolves with the MD5 of the PCM written (equal to the file's STREAMINFO MD5).
 */
export async function writeStemFlac(spec: StemSpec, path: string, encoding: StemEncoding): Promise<string> {
  const generator = new StemGenerator(spec);
  function* blocks(): Generator<Int32Array[]> {
    for (let block = generator.next(WRITE_BLOCK); block; block = generator.next(WRITE_BLOCK)) yield block;
  }
  if (encoding.encoder === 'flac-cli') {
    // The reference encoder computes its MD5 out of sight: hash what goes into the pipe.
    const md5 = createHash('md5');
    await encodeWithFlacCli(blocks(), {
      path,
      sampleRate: spec.sampleRate,
      bitDepth: spec.bitDepth,
      channels: spec.channels,
      totalFrames: spec.frames,
      blockSize: encoding.blockSize,
      seekTable: encoding.seekTable,
      onRawBlock: (raw) => md5.update(raw),
    });
    return md5.digest('hex');
  }
  const encoder = new FlacStreamEncoder({
    channels: spec.channels,
    sampleRate: spec.sampleRate,
    bitsPerSample: spec.bitDepth,
    blockSize: encoding.blockSize,
    totalSamples: spec.frames,
    seekPointIntervalSeconds: encoding.seekTable ? 10 : undefined,
    md5: nodeMd5,
  });
  const file = await open(path, 'w');
  try {
    await file.write(encoder.initialHeader);
    for (const block of blocks()) {
      const frames = encoder.push(block);
      if (frames.length > 0) await file.write(frames);
    }
    const end = encoder.finish();
    await file.write(end.frames);
    await file.write(end.header, 0, end.header.length, 0);
    return end.streamInfo.md5;
  } finally {
    await file.close();
  }
}
