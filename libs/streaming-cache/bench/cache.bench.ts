// Streaming cache benchmark: `nx run streaming-cache:bench` (options: --stems 30 --seconds 360 --reads 5).
// Uses the reference song of the loader benchmark (30 stems × 360 s, 48 kHz / 24-bit stereo, from
// @trax/test-audio's cached fixtures), caches the first 12 chunks (60 s) of every stem into a fresh
// cache folder under the OS temp dir, and measures, in one run:
// - writeChunk per 5 s chunk (FLAC encode + durable commit), and the encode share of it;
// - disk bytes per cached chunk and per song, against the plan's 900 MB per song;
// - readChunk of a 5 s chunk (median, p90), and its parts: read + CRC-32, FLAC decode;
// - cached first audio: chunk 0 of every stem, and only its first 0.5 s (from the start slice, and
//   decoded from FLAC, side by side);
// - opening a cache folder holding the song (the startup scan).
import { ChunkDecoder, memorySource } from '@trax/chunk-decoder';
import { openFileDecoder } from '@trax/chunk-decoder/node';
import { fixture } from '@trax/test-audio';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { entryFolderName } from '../src/format/entryName.js';
import { chunkFileName } from '../src/format/metadata.js';
import { flacChunkCodec } from '../src/index.js';
import { identifySource, StreamingCache } from '../src/node.js';

const argv = process.argv.slice(2);
const option = (name: string, fallback: number): number => {
  const at = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (at < 0) return fallback;
  const raw = argv[at].includes('=') ? argv[at].split('=')[1] : argv[at + 1];
  const value = Number(raw);
  if (!(value > 0)) throw new Error(`--${name} must be a positive number, got ${raw}`);
  return value;
};
const STEMS = option('stems', 30);
const SECONDS = option('seconds', 360);
const READ_ROUNDS = option('reads', 5);
const CACHED_CHUNKS = 12;
const SONG = 'reference';

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const percentile = (values: readonly number[], p: number): number => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))];
const ms = (value: number): string => `${value.toFixed(2)} ms`;
const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;
const time = async <T>(run: () => Promise<T>): Promise<[T, number]> => {
  const start = performance.now();
  const value = await run();
  return [value, performance.now() - start];
};

async function main(): Promise<void> {
  const generating = performance.now();
  const song = await fixture({ songId: `loader-bench-${STEMS}x${SECONDS}`, stems: STEMS, seconds: SECONDS, sampleRate: 48_000, bitDepth: 24, channels: 2 });
  console.log(`reference song: ${song.stems.length} stems × ${SECONDS} s, 48 kHz / 24-bit stereo (${song.encoder}), ready in ${ms(performance.now() - generating)}`);
  const directory = await mkdtemp(path.join(tmpdir(), 'trax-cache-bench-'));
  try {
    const cache = await StreamingCache.open({ directory, maxBytes: 50e9 });

    // --- writes -------------------------------------------------------------------------------
    const writeMs: number[] = [];
    const encodeMs: number[] = [];
    for (const stem of song.stems) {
      const decoder = await openFileDecoder(stem.path);
      await cache.writeMetadata(SONG, stem.id, {
        source: await identifySource(stem.path, decoder.md5),
        sampleRate: decoder.outputSampleRate,
        sourceSampleRate: decoder.sampleRate,
        channels: decoder.channels,
        bitDepth: decoder.bitDepth,
        chunkFrames: decoder.chunkFrames,
        totalFrames: decoder.totalFrames,
      });
      for (let i = 0; i < Math.min(CACHED_CHUNKS, decoder.totalChunks()); i++) {
        const pcm = await decoder.decodeChunk(i);
        if (i === 1) {
          // The encode alone, on the same PCM (quantising included in writeChunk, not here).
          const ints = pcm.channelData.map((c) => Int32Array.from(c, (v) => Math.round(v * 2 ** 23)));
          encodeMs.push((await time(async () => flacChunkCodec.encode(ints, { sampleRate: 48000, bitDepth: 24 })))[1]);
        }
        const [outcome, took] = await time(() => cache.writeChunk(SONG, stem.id, i, pcm));
        if (outcome !== 'written') throw new Error(`writeChunk ${stem.id} #${i}: ${outcome}`);
        writeMs.push(took);
      }
      await decoder.close();
    }
    await cache.close();
    const { bytesUsed, entries } = cache.stats();
    const chunks = writeMs.length;
    const rawChunk = 5 * 48000 * 2 * 3;
    console.log(`\nwriteChunk (5 s chunk, durable): median ${ms(median(writeMs))}, p90 ${ms(percentile(writeMs, 0.9))}; FLAC encode alone median ${ms(median(encodeMs))}`);
    console.log(`  all ${chunks} chunks of ${entries} stems: ${ms(writeMs.reduce((a, b) => a + b, 0))} (${(chunks * 5 / (writeMs.reduce((a, b) => a + b, 0) / 1000)).toFixed(0)}x realtime)`);
    console.log(`\ndisk: ${mb(bytesUsed)} for ${chunks} chunks = ${mb(bytesUsed / chunks)} per chunk (${((100 * bytesUsed) / chunks / rawChunk).toFixed(1)} % of 24-bit PCM)`);
    console.log(`  per song of 30 stems × 12 chunks: ${mb((bytesUsed / chunks) * 360)} (plan: ≤ 900 MB)`);

    // --- reads --------------------------------------------------------------------------------
    const reader = await StreamingCache.open({ directory, maxBytes: 50e9 });
    await reader.readChunk(SONG, song.stems[0].id, 0); // warm-up: WebAssembly decoder instance
    const readMs: number[] = [];
    for (let round = 0; round < READ_ROUNDS; round++)
      for (const stem of song.stems) {
        const [pcm, took] = await time(() => reader.readChunk(SONG, stem.id, round % CACHED_CHUNKS));
        if (!pcm || pcm.frameCount !== 240000) throw new Error(`readChunk ${stem.id}: miss`);
        readMs.push(took);
      }
    console.log(`\nreadChunk (5 s, 48 kHz / 24-bit stereo), ${readMs.length} reads: median ${ms(median(readMs))}, p90 ${ms(percentile(readMs, 0.9))}, min ${ms(Math.min(...readMs))} (target ≤ 10 ms median)`);

    const partsRead: number[] = [];
    const partsCrc: number[] = [];
    const partsDecode: number[] = [];
    const partsSlice: number[] = [];
    for (const stem of song.stems) {
      const file = path.join(directory, entryFolderName(SONG, stem.id), chunkFileName(0));
      const [bytes, readTook] = await time(() => readFile(file));
      const crcStart = performance.now();
      crc32(bytes);
      partsCrc.push(performance.now() - crcStart);
      partsRead.push(readTook);
      partsDecode.push((await time(() => flacChunkCodec.decode(bytes, file)))[1]);
      partsSlice.push(
        (
          await time(async () => {
            const decoder = await ChunkDecoder.open(memorySource(bytes, file));
            await decoder.decodeRange(0, 24000);
            await decoder.close();
          })
        )[1],
      );
    }
    console.log(`  parts: readFile ${ms(median(partsRead))}, CRC-32 ${ms(median(partsCrc))}, FLAC decode ${ms(median(partsDecode))} (medians)`);

    // --- cached first audio -------------------------------------------------------------------
    const firstChunks: number[] = [];
    const firstSlices: number[] = [];
    const firstDecoded: number[] = [];
    for (let round = 0; round < READ_ROUNDS; round++) {
      firstChunks.push((await time(() => Promise.all(song.stems.map((stem) => reader.readChunk(SONG, stem.id, 0)))))[1]);
      // The first 0.5 s (24,000 frames) of every stem, as the loader asks for first audio.
      const [slices, took] = await time(() => Promise.all(song.stems.map((stem) => reader.readRange(SONG, stem.id, 0, 24000))));
      if (slices.some((slice) => slice?.frameCount !== 24000)) throw new Error('readRange missed');
      firstSlices.push(took);
      // The same amount through FLAC decoding: frames 1..24000 reach one frame past the start slice.
      firstDecoded.push((await time(() => Promise.all(song.stems.map((stem) => reader.readRange(SONG, stem.id, 1, 24000)))))[1]);
    }
    console.log(`\ncached first audio of all ${song.stems.length} stems, ${READ_ROUNDS} runs:`);
    console.log(`  readChunk, chunk 0 (5 s) each:        median ${ms(median(firstChunks))}, min ${ms(Math.min(...firstChunks))}`);
    console.log(`  readRange, first 0.5 s (start.f32):   median ${ms(median(firstSlices))}, min ${ms(Math.min(...firstSlices))} (goal ≤ 20 ms)`);
    console.log(`  readRange, 0.5 s decoded from FLAC:   median ${ms(median(firstDecoded))}, min ${ms(Math.min(...firstDecoded))} (same frames + 1, past the slice)`);
    console.log(`  parts per stem: first 0.5 s decode of a cached chunk file ${ms(median(partsSlice))}`);

    // --- startup scan -------------------------------------------------------------------------
    const opens: number[] = [];
    for (let round = 0; round < 3; round++) opens.push((await time(() => StreamingCache.open({ directory, maxBytes: 50e9 })))[1]);
    console.log(`\nopen() of a cache holding ${entries} stems: median ${ms(median(opens))} (${ms(median(opens) / entries)} per entry)`);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

await main();
