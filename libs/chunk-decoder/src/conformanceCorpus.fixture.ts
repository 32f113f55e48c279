// The FLAC decoder testbench (../shared/flac-conformance next to the workspace root): where it is,
// what its manifest says, and the MD5 of PCM in the manifest's format.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface CorpusEntry {
  readonly file: string;
  readonly group: 'subset' | 'uncommon' | 'faulty';
  readonly bytes: number;
  readonly referenceDecoderAccepts: boolean;
  /** MD5 of the reference decoder's PCM; null where it cannot write raw PCM (12/15/20-bit). */
  readonly referencePcmMd5: string | null;
  /** STREAMINFO's MD5 (FLAC defines it over the same byte layout, unshifted). */
  readonly expectedMd5: string;
}

/** The workspace root: the nearest folder above this file whose package.json has workspaces. */
export function workspaceRoot(from = import.meta.dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).workspaces) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no workspace root above ${from}`);
  }
}

export const CORPUS_DIR = path.resolve(workspaceRoot(), '../shared/flac-conformance');

/** The manifest's entries, or undefined when the corpus is absent. */
export function corpusEntries(): CorpusEntry[] | undefined {
  const manifest = path.join(CORPUS_DIR, 'manifest.json');
  if (!existsSync(manifest)) return undefined;
  return JSON.parse(readFileSync(manifest, 'utf8')).files as CorpusEntry[];
}

/**
 * Incremental MD5 of planar float PCM converted back to integers (round(x·2^(b−1))) and written
 * interleaved, signed little-endian, in whole bytes — the manifest's and STREAMINFO's layout.
 */
export class PcmMd5 {
  private readonly hash = createHash('md5');
  constructor(private readonly bitsPerSample: number) {}

  add(channelData: Float32Array[], frames: number): void {
    const width = Math.ceil(this.bitsPerSample / 8);
    const full = 2 ** (this.bitsPerSample - 1);
    const channels = channelData.length;
    const bytes = new Uint8Array(frames * channels * width);
    const view = new DataView(bytes.buffer);
    let at = 0;
    for (let i = 0; i < frames; i++)
      for (let c = 0; c < channels; c++) {
        const s = Math.round(channelData[c][i] * full);
        if (width === 1) view.setInt8(at, s);
        else if (width === 2) view.setInt16(at, s, true);
        else {
          view.setUint16(at, s & 0xffff, true);
          view.setInt8(at + 2, s >> 16);
        }
        at += width;
      }
    this.hash.update(bytes);
  }

  digest(): string {
    return this.hash.digest('hex');
  }
}
