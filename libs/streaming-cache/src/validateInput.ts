import { CacheUsageError } from './errors.js';
import { framesOfChunk, totalChunksOf, type EntryMetadata, type StemCacheInfo } from './format/metadata.js';
import type { CacheExpectation, CachePcm } from './types.js';

const positiveInteger = (value: number): boolean => Number.isSafeInteger(value) && value > 0;

/** Throws CacheUsageError unless `info` describes a stem the cache can store. */
export function checkStemInfo(song: string, stem: string, info: StemCacheInfo): void {
  const fail = (message: string): never => {
    throw new CacheUsageError(song, stem, undefined, message);
  };
  for (const key of ['sampleRate', 'sourceSampleRate', 'channels', 'bitDepth', 'chunkFrames'] as const)
    if (!positiveInteger(info[key])) fail(`${key} must be a positive integer, got ${info[key]}`);
  if (!(Number.isSafeInteger(info.totalFrames) && info.totalFrames >= 0)) fail(`totalFrames must be a whole number ≥ 0, got ${info.totalFrames}`);
  if (info.channels > 8) fail(`FLAC chunk files carry at most 8 channels, got ${info.channels}`);
  if (info.sampleRate > 655_350) fail(`FLAC chunk files carry at most 655350 Hz, got ${info.sampleRate}`);
  if (totalChunksOf(info) > 1_000_000) fail('more than a million chunks: chunkFrames is probably in the wrong unit');
  const { source } = info;
  if (!source || typeof source.path !== 'string' || source.path === '') fail('source.path is missing');
  if (!(Number.isSafeInteger(source.size) && source.size >= 0)) fail(`source.size must be a byte count, got ${source.size}`);
  if (!Number.isFinite(source.mtimeMs)) fail(`source.mtimeMs must be a time, got ${source.mtimeMs}`);
  if (!/^[0-9a-f]{32}$/.test(source.md5)) fail(`source.md5 must be 32 lowercase hex digits, got ${JSON.stringify(source.md5)}`);
}

/** Throws CacheUsageError unless `pcm` is exactly chunk `index` of the stem's layout. */
export function checkChunkPcm(song: string, stem: string, index: number, info: StemCacheInfo, pcm: CachePcm): void {
  const fail = (message: string): never => {
    throw new CacheUsageError(song, stem, index, message);
  };
  const total = totalChunksOf(info);
  if (!(Number.isInteger(index) && index >= 0 && index < total)) fail(`the stem has chunks 0–${total - 1}`);
  const frames = framesOfChunk(info, index);
  if (pcm.frameCount !== frames) fail(`PCM holds ${pcm.frameCount} frames, the chunk has ${frames}`);
  if (pcm.channelData.length !== info.channels) fail(`PCM has ${pcm.channelData.length} channels, the stem ${info.channels}`);
  if (pcm.channelData.some((channel) => channel.length < frames)) fail(`a channel holds fewer than ${frames} samples`);
  if (pcm.sampleRate !== info.sampleRate) fail(`PCM is at ${pcm.sampleRate} Hz, the stem's chunks at ${info.sampleRate} Hz`);
  if (pcm.startFrame !== undefined && pcm.startFrame !== index * info.chunkFrames) fail(`PCM starts at frame ${pcm.startFrame}, chunk ${index} at ${index * info.chunkFrames}`);
}

/** Why `meta` does not meet `expect`, or undefined when it does. */
export function expectationMismatch(meta: EntryMetadata, expect: CacheExpectation | undefined): string | undefined {
  if (!expect) return undefined;
  for (const key of ['sampleRate', 'chunkFrames', 'channels', 'totalFrames'] as const)
    if (expect[key] !== undefined && expect[key] !== meta[key]) return `${key} is ${meta[key]}, expected ${expect[key]}`;
  for (const key of ['path', 'size', 'mtimeMs', 'md5'] as const) {
    const wanted = expect.source?.[key];
    if (wanted !== undefined && wanted !== meta.source[key]) return `source ${key} is ${meta.source[key]}, expected ${wanted}`;
  }
  return undefined;
}
