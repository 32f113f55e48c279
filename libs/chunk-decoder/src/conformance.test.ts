import { describe, expect, it } from '@jest/globals';
import path from 'node:path';
import { CORPUS_DIR, PcmMd5, corpusEntries, type CorpusEntry } from './conformanceCorpus.fixture.js';
import { FlacFormatError, UnsupportedFlacError } from './errors.js';
import { openFileDecoder } from './fileDecoder.js';

const entries = corpusEntries();
if (!entries) console.warn(`FLAC conformance corpus not found at ${CORPUS_DIR}: conformance tests skipped`);
const describeCorpus = entries ? describe : describe.skip;

/**
 * Files we refuse, with the error `open()` must throw. Everything else the reference decoder
 * accepts must decode bit-exactly.
 */
const REFUSED: Record<string, typeof FlacFormatError | typeof UnsupportedFlacError> = {
  'uncommon/05 - 32bps audio.flac': UnsupportedFlacError, // Float32 cannot carry 32-bit integers exactly
  'uncommon/10 - file starting at frame header.flac': UnsupportedFlacError, // headerless stream
  'faulty/06 - missing streaminfo metadata block.flac': FlacFormatError,
};

async function decodeAllChunks(file: string) {
  const decoder = await openFileDecoder(file, { chunkSeconds: 2 });
  try {
    const md5 = new PcmMd5(decoder.bitDepth);
    const errors: string[] = [];
    let frames = 0;
    for (let k = 0; k < decoder.totalChunks(); k++) {
      const chunk = await decoder.decodeChunk(k);
      for (const channel of chunk.channelData) expect(channel.every(Number.isFinite)).toBe(true);
      md5.add(chunk.channelData, chunk.frameCount);
      frames += chunk.frameCount;
      errors.push(...chunk.errors.map((e) => e.kind));
    }
    return { md5: md5.digest(), frames, totalFrames: decoder.totalFrames, errors };
  } finally {
    await decoder.close();
  }
}

describeCorpus('FLAC conformance corpus', () => {
  const all = entries ?? [];
  const accepted = all.filter((e) => e.referenceDecoderAccepts && e.group !== 'faulty');

  it.each(accepted.map((e): [string, CorpusEntry] => [e.file, e]))('%s: chunks concatenate to the reference PCM (or open() refuses it as documented)', async (_, entry) => {
    const file = path.join(CORPUS_DIR, entry.file);
    const refused = REFUSED[entry.file];
    if (refused) {
      await expect(openFileDecoder(file)).rejects.toBeInstanceOf(refused);
      return;
    }
    const result = await decodeAllChunks(file);
    expect(result.errors).toEqual([]);
    expect(result.frames).toBe(result.totalFrames);
    expect(result.md5).toBe(entry.referencePcmMd5 ?? entry.expectedMd5);
  });

  it.each(all.filter((e) => e.group === 'faulty' || !e.referenceDecoderAccepts).map((e): [string, CorpusEntry] => [e.file, e]))(
    '%s: never crashes or hangs; decodes or throws a typed error',
    async (_, entry) => {
      const file = path.join(CORPUS_DIR, entry.file);
      let outcome: 'decoded' | 'refused';
      try {
        const result = await decodeAllChunks(file);
        outcome = 'decoded';
        // Where the reference decoder accepts a faulty file, so do we, bit-exactly.
        if (entry.referenceDecoderAccepts) expect(result.md5).toBe(entry.referencePcmMd5);
      } catch (error) {
        outcome = 'refused';
        expect(error instanceof FlacFormatError || error instanceof UnsupportedFlacError).toBe(true);
        const typed = error as FlacFormatError | UnsupportedFlacError;
        expect(typed.file).toBe(file);
        expect(typed.message).toContain(file);
      }
      if (REFUSED[entry.file]) expect(outcome).toBe('refused');
      if (!entry.referenceDecoderAccepts) expect(outcome).toBe('refused');
    },
    20_000,
  );
});
