import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { flacFixture, hasFlacCli, referenceDecode, referenceFrames, type FixtureParams } from './flacCli.fixture.js';
import { decodeFlacFrame, FrameDecodeError } from './flacFrameDecoder.js';
import { parseFrameHeader } from './frameHeader.js';

const describeWithFlac = hasFlacCli ? describe : describe.skip;

/**
 * Every frame of a file through the TypeScript decoder, at the frame offsets the reference
 * decoder's analysis (`flac -a`) lists, compared with its full decode (`flac -d`).
 */
function decodeEveryFrame(params: FixtureParams): { mismatches: number; frames: number } {
  const file = flacFixture(params);
  const bytes = new Uint8Array(readFileSync(file));
  const reference = referenceDecode(file, params.bitsPerSample);
  const frames = referenceFrames(file);
  let sample = 0;
  let mismatches = 0;
  frames.forEach(({ offset, blockSize }, i) => {
    const end = i + 1 < frames.length ? frames[i + 1].offset : bytes.length;
    const frame = bytes.subarray(offset, end);
    const channels = decodeFlacFrame(frame, parseFrameHeader(frame, 0)!, { bitsPerSample: params.bitsPerSample });
    for (let s = 0; s < blockSize; s++)
      for (let c = 0; c < params.channels; c++) if (channels[c][s] !== reference[(sample + s) * params.channels + c]) mismatches++;
    sample += blockSize;
  });
  expect(sample).toBe(params.frames);
  return { mismatches, frames: frames.length };
}

describeWithFlac('TypeScript FLAC frame decoder', () => {
  it.each([
    ['16-bit stereo, flac -8 (LPC up to order 12, exhaustive stereo modes)', { sampleRate: 44100, channels: 2, bitsPerSample: 16, frames: 44100 * 4 + 99, blockSize: 4096, seekTable: false, flags: ['-8'] }],
    ['24-bit stereo, flac -8 -l 32 --lax (LPC order 32)', { sampleRate: 96000, channels: 2, bitsPerSample: 24, frames: 96000 * 2 + 5, blockSize: 4608, seekTable: false, flags: ['-8', '-l', '32'] }],
    ['8-bit mono, flac -0 (fixed predictors)', { sampleRate: 22050, channels: 1, bitsPerSample: 8, frames: 22050 * 3, blockSize: 1152, seekTable: false, flags: ['-0'] }],
    ['24-bit 3 channels, 1 kHz sine (constant-ish, escape codes)', { sampleRate: 48000, channels: 3, bitsPerSample: 24, frames: 48000 * 2, blockSize: 192, seekTable: false, signal: 'sine' }],
  ] as [string, FixtureParams][])('%s: every frame equals the reference decode', (_, params) => {
    const { mismatches, frames } = decodeEveryFrame(params);
    expect(frames).toBeGreaterThan(10);
    expect(mismatches).toBe(0);
  });

  it('throws FrameDecodeError (never loops or crashes) on frames with damaged subframes', () => {
    const file = flacFixture({ sampleRate: 44100, channels: 2, bitsPerSample: 16, frames: 44100, blockSize: 4096, seekTable: false });
    const bytes = new Uint8Array(readFileSync(file));
    const [first, second] = referenceFrames(file);
    const frame = bytes.slice(first.offset, second.offset);
    const header = parseFrameHeader(frame, 0)!;
    let thrown = 0;
    for (let at = header.length; at < frame.length - 2; at += 97) {
      const damaged = frame.slice();
      damaged[at] ^= 0xa5;
      try {
        decodeFlacFrame(damaged, header, { bitsPerSample: 16 });
      } catch (error) {
        expect(error).toBeInstanceOf(FrameDecodeError);
        thrown++;
      }
    }
    // Most damage desynchronises the bit stream so the subframes no longer end at the CRC.
    expect(thrown).toBeGreaterThan(0);
  });
});
