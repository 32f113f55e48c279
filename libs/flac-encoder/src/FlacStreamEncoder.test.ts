import { describe, expect, it } from '@jest/globals';
import { encodeFlac } from './encodeFlac.js';
import { FlacEncodeError } from './FlacEncodeError.js';
import { FlacStreamEncoder } from './FlacStreamEncoder.js';
import { flacAvailable, flacDecodeRaw, flacTest, interleaveLittleEndian } from './referenceFlac.fixture.js';
import { makeChannels } from './signals.fixture.js';

const withFlac = flacAvailable ? it : it.skip;

/** Streams `channels` in pieces of the given sizes (cycled) and assembles the file as a writer would. */
function streamInPieces(channels: Int32Array[], pieceSizes: number[], options: { blockSize?: number; seekPointIntervalSeconds?: number; totalSamples?: number } = {}) {
  const encoder = new FlacStreamEncoder({ channels: channels.length, sampleRate: 48000, bitsPerSample: 24, ...options });
  const parts: Uint8Array[] = [encoder.initialHeader];
  const pushes: Uint8Array[] = [];
  let offset = 0;
  for (let i = 0; offset < channels[0].length; i++) {
    const size = pieceSizes[i % pieceSizes.length];
    const out = encoder.push(channels.map((c) => c.subarray(offset, offset + size)));
    pushes.push(out);
    parts.push(out);
    offset += size;
  }
  const end = encoder.finish();
  parts.push(end.frames);
  const file = Buffer.concat(parts);
  file.set(end.header, 0);
  return { file, end, initialHeader: encoder.initialHeader, pushes };
}

describe('FlacStreamEncoder', () => {
  const channels = makeChannels('tonal+noise', 2, 50000, 24);

  it('produces the same bytes as encodeFlac whatever the push sizes', () => {
    const whole = encodeFlac(channels, { sampleRate: 48000, bitsPerSample: 24, blockSize: 1024 });
    for (const pieces of [[1, 7, 1023, 0, 5000], [1024], [50000], [333]]) {
      const { file } = streamInPieces(channels, pieces, { blockSize: 1024 });
      expect(Buffer.compare(file, Buffer.from(whole))).toBe(0);
    }
  });

  withFlac('the assembled file passes flac -t and decodes to the input', () => {
    const { file } = streamInPieces(channels, [4000, 123]);
    expect(flacTest(file)).toEqual({ ok: true, output: '' });
    expect(flacDecodeRaw(file).equals(interleaveLittleEndian(channels, 24))).toBe(true);
  });

  it('returns frames as soon as blocks complete, holding at most one block back (bounded memory)', () => {
    const { pushes, end } = streamInPieces(channels, [4096], { blockSize: 4096 });
    // 50000 = 12 full blocks + 848: each push of exactly one block returns one frame at once.
    expect(pushes.slice(0, 12).every((p) => p.length > 0 && p.length <= end.streamInfo.maxFrameSize)).toBe(true);
    expect(end.frames.length).toBeGreaterThan(0);
    expect(end.streamInfo.totalSamples).toBe(50000);
  });

  it('initial header is a provisional STREAMINFO of the final length (unknown MD5, no frame sizes)', () => {
    const { initialHeader, end } = streamInPieces(channels, [10000]);
    expect(initialHeader.length).toBe(end.header.length);
    expect(Buffer.from(initialHeader.subarray(8 + 18, 8 + 34)).every((b) => b === 0)).toBe(true);
    expect(Buffer.from(initialHeader.subarray(8 + 4, 8 + 10)).every((b) => b === 0)).toBe(true);
    expect(end.streamInfo.md5).toMatch(/^[0-9a-f]{32}$/);
    expect(end.streamInfo.md5).not.toBe('0'.repeat(32));
  });

  withFlac('writes a SEEKTABLE when totalSamples is declared up front', () => {
    const long = makeChannels('tonal+noise', 1, 48000 * 3, 16);
    const encoder = new FlacStreamEncoder({ channels: 1, sampleRate: 48000, bitsPerSample: 16, totalSamples: long[0].length, seekPointIntervalSeconds: 1 });
    const body = encoder.push(long);
    const end = encoder.finish();
    const file = Buffer.concat([end.header, body, end.frames]);
    expect(flacTest(file).ok).toBe(true);
    // SEEKTABLE block header right after STREAMINFO: type 3, 3 points of 18 bytes.
    expect(file[42] & 0x7f).toBe(3);
    expect(file.readUIntBE(43, 3)).toBe(3 * 18);
  });

  it('refuses a SEEKTABLE without totalSamples, a wrong total, and use after finish', () => {
    expect(() => new FlacStreamEncoder({ channels: 1, sampleRate: 48000, bitsPerSample: 16, seekPointIntervalSeconds: 10 })).toThrow(/needs totalSamples/);
    const wrong = new FlacStreamEncoder({ channels: 1, sampleRate: 48000, bitsPerSample: 16, totalSamples: 10 });
    wrong.push([new Int32Array(9)]);
    expect(() => wrong.finish()).toThrow(/declared as 10 but 9 samples were pushed/);
    const done = new FlacStreamEncoder({ channels: 1, sampleRate: 48000, bitsPerSample: 16 });
    done.finish();
    expect(() => done.push([new Int32Array(1)])).toThrow(FlacEncodeError);
    expect(() => done.push([new Int32Array(1)])).toThrow(/finished/);
  });

  it('refuses a push with the wrong channel count', () => {
    const encoder = new FlacStreamEncoder({ channels: 2, sampleRate: 48000, bitsPerSample: 16 });
    expect(() => encoder.push([new Int32Array(4)])).toThrow(/expected 2 channel arrays, got 1/);
  });

  withFlac('an empty stream is still a valid FLAC file', () => {
    const encoder = new FlacStreamEncoder({ channels: 2, sampleRate: 44100, bitsPerSample: 16 });
    const end = encoder.finish();
    expect(end.streamInfo).toMatchObject({ totalSamples: 0, minFrameSize: 0, maxFrameSize: 0, md5: 'd41d8cd98f00b204e9800998ecf8427e' });
    expect(flacTest(Buffer.concat([end.header, end.frames])).ok).toBe(true);
  });
});
