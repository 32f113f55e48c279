import { generateStemPcm, type StemKind } from '@trax/test-audio';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { StemCacheInfo } from '../format/metadata.js';
import type { Logger, LogContext } from '../ports/Logger.js';
import { intToFloat } from '../format/quantize.js';
import { identifySource } from '../disk/sourceIdentity.js';
import type { CachePcm } from '../types.js';

/** A fresh folder under the OS temp dir; `cleanup` removes it. */
export async function tempFolder(label: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), `trax-cache-${label}-`));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true, maxRetries: 3 }) };
}

/** A logger that keeps every line, for asserting what was reported. */
export function recordingLogger(): Logger & { lines: { level: string; message: string; context?: LogContext }[]; at(level: string): string[] } {
  const lines: { level: string; message: string; context?: LogContext }[] = [];
  const log = (level: string) => (message: string, context?: LogContext) => void lines.push({ level, message, context });
  return {
    lines,
    at: (level) => lines.filter((l) => l.level === level).map((l) => l.message),
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
  };
}

export interface TestStem {
  readonly info: StemCacheInfo;
  /** Integer PCM of the whole stem, planar. */
  readonly ints: Int32Array[];
  /** Chunk `index` as the chunk-decoder would deliver it (float = int / 2^(bitDepth−1)). */
  chunk(index: number): CachePcm & { channelData: Float32Array[] };
}

export interface TestStemSpec {
  readonly seconds?: number;
  readonly sampleRate?: number;
  readonly bitDepth?: 16 | 24;
  readonly channels?: 1 | 2;
  readonly chunkFrames?: number;
  readonly seed?: number;
  readonly kind?: StemKind;
}

/**
 * A stem for cache tests: synthetic PCM (deterministic by seed) and a small source file on disk
 * whose stat gives the identity (the cache never reads a source's audio, only its size and mtime).
 */
export async function testStem(dir: string, name: string, spec: TestStemSpec = {}): Promise<TestStem> {
  const { seconds = 1, sampleRate = 48000, bitDepth = 24, channels = 2, chunkFrames = 4800, seed = 1, kind = 'chords' } = spec;
  const frames = Math.round(seconds * sampleRate);
  const ints = generateStemPcm({ kind, seed, frames, sampleRate, bitDepth, channels });
  const file = path.join(dir, `${name}.flac`);
  await writeFile(file, `source ${name} ${seed}`);
  const md5 = (seed.toString(16) + '0'.repeat(32)).slice(0, 32);
  const info: StemCacheInfo = { source: await identifySource(file, md5), sampleRate, sourceSampleRate: sampleRate, channels, bitDepth, chunkFrames, totalFrames: frames };
  return { info, ints, chunk: (index) => chunkOf(ints, info, index) };
}

/** Chunk `index` of a stem's integer PCM, as floats the way the chunk-decoder delivers it. */
export function chunkOf(ints: Int32Array[], info: StemCacheInfo, index: number): CachePcm & { channelData: Float32Array[] } {
  const start = index * info.chunkFrames;
  const end = Math.min(info.totalFrames, start + info.chunkFrames);
  return { channelData: intToFloat(ints.map((c) => c.subarray(start, end)), info.bitDepth), frameCount: end - start, sampleRate: info.sampleRate, startFrame: start };
}

/** Sum of the sizes of every regular file under `dir` except index.json and hidden files: what the cache should account for. */
export async function bytesOnDisk(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || entry.name === 'index.json') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) total += await bytesOnDisk(full);
    else if (entry.isFile()) total += (await stat(full)).size;
  }
  return total;
}

/** Exact equality of planar float PCM, with the first difference in the message. */
export function firstDifference(actual: readonly Float32Array[], expected: readonly Float32Array[]): string | undefined {
  if (actual.length !== expected.length) return `${actual.length} channels, expected ${expected.length}`;
  for (let c = 0; c < expected.length; c++) {
    if (actual[c].length !== expected[c].length) return `channel ${c}: ${actual[c].length} samples, expected ${expected[c].length}`;
    for (let i = 0; i < expected[c].length; i++) if (!Object.is(actual[c][i], expected[c][i])) return `channel ${c} frame ${i}: ${actual[c][i]}, expected ${expected[c][i]}`;
  }
  return undefined;
}
