import { generateStemPcm } from '@trax/test-audio';
import type { StemCacheInfo } from '../format/metadata.js';

/** What the parent test tells a cache child process to do (see cacheChild.fixture.ts). */
export interface ChildStem {
  readonly song: string;
  readonly stem: string;
  readonly seed: number;
  readonly info: StemCacheInfo;
}

export interface ChildJob {
  readonly mode: 'crash' | 'concurrent';
  readonly directory: string;
  readonly stems: readonly ChildStem[];
  readonly seed: number;
  readonly maxBytes?: number;
  readonly crashAtOp?: number;
  readonly rounds?: number;
}

export interface ChildSummary {
  readonly reads: number;
  readonly hits: number;
  readonly mismatches: string[];
  readonly warnings: string[];
  readonly written: number;
}

/** The PCM every process derives for a stem (same seed, same samples). */
export function childStemPcm(stem: ChildStem): Int32Array[] {
  const { info } = stem;
  return generateStemPcm({ kind: 'drums', seed: stem.seed, frames: info.totalFrames, sampleRate: info.sampleRate, bitDepth: info.bitDepth as 16 | 24, channels: info.channels as 1 | 2 });
}
