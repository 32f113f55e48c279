import { describe, expect, it } from '@jest/globals';
import { entryFolderName } from './entryName.js';
import {
  chunkFileName,
  framesOfChunk,
  METADATA_VERSION,
  newEntryMetadata,
  parseMetadata,
  serializeMetadata,
  storedBitDepth,
  totalChunksOf,
  withChunk,
  withStart,
  type EntryMetadata,
  type StemCacheInfo,
} from './metadata.js';

const info: StemCacheInfo = {
  source: { path: '/music/song/bass.flac', size: 1234, mtimeMs: 1700000000123.456, md5: '0123456789abcdef0123456789abcdef' },
  sampleRate: 48000,
  sourceSampleRate: 48000,
  channels: 2,
  bitDepth: 24,
  chunkFrames: 240000,
  // 12 s: two whole 5 s chunks and a 2 s one.
  totalFrames: 576000,
};
const folder = entryFolderName('song', 'bass');
const full = withStart(
  withChunk(withChunk(newEntryMetadata('song', 'bass', info), { index: 2, frames: 96000, bytes: 10, crc32: '0000abcd' }), {
    index: 0,
    frames: 240000,
    bytes: 20,
    crc32: 'deadbeef',
  }),
  { frames: 24000, bytes: 24000 * 2 * 4, crc32: '12345678' },
);

function parse(value: unknown, name = folder) {
  return parseMetadata(new TextEncoder().encode(JSON.stringify(value)), name);
}

function broken(change: (m: Record<string, unknown>) => void) {
  const copy = JSON.parse(JSON.stringify(full)) as Record<string, unknown>;
  change(copy);
  return parse(copy);
}

describe('chunk layout', () => {
  it('derives chunk count and the last chunk\'s length from the stem', () => {
    expect(totalChunksOf(info)).toBe(3);
    expect([0, 1, 2, 3].map((i) => framesOfChunk(info, i))).toEqual([240000, 240000, 96000, 0]);
    expect(chunkFileName(0)).toBe('chunk_000.flac');
    expect(chunkFileName(11)).toBe('chunk_011.flac');
  });

  it('stores a stem at its own depth, a resampled one at 24 bit', () => {
    expect(storedBitDepth({ sampleRate: 48000, sourceSampleRate: 48000, bitDepth: 16 })).toBe(16);
    expect(storedBitDepth({ sampleRate: 48000, sourceSampleRate: 44100, bitDepth: 16 })).toBe(24);
    expect(storedBitDepth({ sampleRate: 48000, sourceSampleRate: 48000, bitDepth: 4 })).toBe(8);
  });

  it('keeps chunk records sorted and replaces a record of the same index', () => {
    expect(full.chunks.map((c) => c.index)).toEqual([0, 2]);
    expect(withChunk(full, { index: 0, frames: 240000, bytes: 99, crc32: '00000001' }).chunks.map((c) => c.bytes)).toEqual([99, 10]);
  });
});

describe('parseMetadata', () => {
  it('reads back what serializeMetadata wrote, float mtime included', () => {
    const parsed = parseMetadata(serializeMetadata(full), folder);
    expect(parsed).toEqual({ ok: true, meta: full });
    expect(parsed.ok && parsed.meta.source.mtimeMs).toBe(1700000000123.456);
    expect(parsed.ok && parsed.meta.version).toBe(METADATA_VERSION);
  });

  it.each<[string, (m: Record<string, unknown>) => void, RegExp]>([
    ['another format version', (m) => (m['version'] = METADATA_VERSION + 1), /version/],
    ['another format', (m) => (m['format'] = 'something-else'), /format/],
    ['a missing source', (m) => delete m['source'], /source/],
    ['a bad md5', (m) => ((m['source'] as Record<string, unknown>)['md5'] = 'xyz'), /md5/],
    ['a fractional sample rate', (m) => (m['sampleRate'] = 48000.5), /sampleRate/],
    ['zero channels', (m) => (m['channels'] = 0), /channels/],
    ['nine channels', (m) => (m['channels'] = 9), /channels/],
    ['a stored depth that does not follow', (m) => (m['storedBitDepth'] = 16), /storedBitDepth/],
    ['a wrong chunk count', (m) => (m['totalChunks'] = 4), /totalChunks/],
    ['chunks out of order', (m) => (m['chunks'] as unknown[]).reverse(), /out of order/],
    ['a chunk past the end', (m) => ((m['chunks'] as Record<string, unknown>[])[1]['index'] = 3), /out of order or range/],
    ['a chunk of the wrong length', (m) => ((m['chunks'] as Record<string, unknown>[])[1]['frames'] = 240000), /frames/],
    ['an empty chunk file', (m) => ((m['chunks'] as Record<string, unknown>[])[0]['bytes'] = 0), /byte length/],
    ['a bad checksum', (m) => ((m['chunks'] as Record<string, unknown>[])[0]['crc32'] = 'DEADBEEF'), /crc32/],
    ['IDs of another folder', (m) => (m['stem'] = 'drums'), /folder/],
    ['a start slice longer than chunk 0', (m) => ((m['start'] as Record<string, unknown>)['frames'] = 240001), /does not fit chunk 0/],
    ['a start slice of the wrong byte length', (m) => ((m['start'] as Record<string, unknown>)['bytes'] = 100), /frames × channels × 4/],
    ['a start slice without chunk 0', (m) => (m['chunks'] as unknown[]).shift(), /without chunk 0/],
  ])('refuses %s', (_, change, reason) => {
    const parsed = broken(change);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.reason).toMatch(reason);
  });

  it.each([
    ['garbage bytes', Uint8Array.from([0xff, 0xfe, 0x00, 0x42])],
    ['truncated JSON', serializeMetadata(full).subarray(0, 100)],
    ['an empty file', new Uint8Array(0)],
    ['a JSON array', new TextEncoder().encode('[1,2]')],
    ['null', new TextEncoder().encode('null')],
  ])('refuses %s', (_, bytes) => {
    expect(parseMetadata(bytes, folder).ok).toBe(false);
  });

  it('drops unknown extra keys instead of passing them on', () => {
    const parsed = broken((m) => (m['extra'] = { evil: true }));
    expect(parsed.ok && 'extra' in parsed.meta).toBe(false);
  });

  it('takes IDs that need hashing, as long as they give this folder', () => {
    const odd = newEntryMetadata('../Song/1', 'Stem\0', info);
    expect(parseMetadata(serializeMetadata(odd), entryFolderName('../Song/1', 'Stem\0'))).toEqual({ ok: true, meta: odd as EntryMetadata });
  });
});
