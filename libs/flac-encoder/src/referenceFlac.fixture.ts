// Test-only access to the reference `flac` tool (not built into dist: *.fixture.ts is excluded).
// The flac-encoder tests must not depend on @trax/test-audio (it depends on this lib), hence these
// few helpers here; whether the tools are there is @trax/reference-tools' question.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from '@jest/globals';
import { requireTool } from '@trax/reference-tools';

/** The reference `flac` and `metaflac` can run; missing, the checks against them skip with a note (or fail under CI). */
export const flacAvailable = requireTool('flac') && requireTool('metaflac');

const dir = mkdtempSync(path.join(tmpdir(), 'trax-flac-encoder-test-'));
let counter = 0;
// afterAll, not process 'exit': Jest ends its worker processes without running exit handlers.
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes bytes to a temp .flac file and returns its path. */
export function tempFlac(bytes: Uint8Array): string {
  const file = path.join(dir, `t${counter++}.flac`);
  writeFileSync(file, bytes);
  return file;
}

/** `flac -t`: decodes, checks every frame CRC and the STREAMINFO MD5. Returns stderr on failure. */
export function flacTest(bytes: Uint8Array): { ok: boolean; output: string } {
  const run = spawnSync('flac', ['-t', '--silent', tempFlac(bytes)], { encoding: 'utf8' });
  return { ok: run.status === 0, output: `${run.stdout}${run.stderr}` };
}

/** `flac -d` to raw signed little-endian interleaved PCM (whole bytes per sample). */
export function flacDecodeRaw(bytes: Uint8Array): Buffer {
  const run = spawnSync('flac', ['-d', '--silent', '-c', '--force-raw-format', '--endian=little', '--sign=signed', tempFlac(bytes)], {
    maxBuffer: 1 << 30,
  });
  if (run.status !== 0) throw new Error(`flac -d failed: ${run.stderr.toString()}`);
  return run.stdout;
}

/** Size of what `flac -5` makes of this PCM (audio frames only: no padding or tags), as a yardstick. */
export function referenceEncodedFrameBytes(channels: readonly Int32Array[], bitsPerSample: number, sampleRate: number): number {
  const raw = path.join(dir, `r${counter++}.raw`);
  writeFileSync(raw, interleaveLittleEndian(channels, bitsPerSample));
  const args = ['-5', '--silent', '-c', '--no-padding', '--no-seektable', '--force-raw-format', '--endian=little', '--sign=signed'];
  args.push(`--channels=${channels.length}`, `--bps=${bitsPerSample}`, `--sample-rate=${sampleRate}`, raw);
  const run = spawnSync('flac', args, { maxBuffer: 1 << 30 });
  if (run.status !== 0) throw new Error(`flac failed: ${run.stderr.toString()}`);
  // flac -c still writes a VORBIS_COMMENT block (vendor string); count from the first frame.
  return run.stdout.length - metadataLength(run.stdout);
}

/** Bytes from "fLaC" through the last metadata block. */
export function metadataLength(bytes: Uint8Array): number {
  let pos = 4;
  for (;;) {
    const last = bytes[pos] & 0x80;
    pos += 4 + ((bytes[pos + 1] << 16) | (bytes[pos + 2] << 8) | bytes[pos + 3]);
    if (last) return pos;
  }
}

/** `metaflac --list` output of the bytes. */
export function metaflacList(bytes: Uint8Array): string {
  const run = spawnSync('metaflac', ['--list', tempFlac(bytes)], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`metaflac failed: ${run.stderr}`);
  return run.stdout;
}

/** The raw bytes `flac -d` should produce for this PCM: interleaved, little-endian, ceil(bps / 8) bytes. */
export function interleaveLittleEndian(channels: readonly Int32Array[], bitsPerSample: number): Buffer {
  const width = Math.ceil(bitsPerSample / 8);
  const n = channels[0].length;
  const out = Buffer.alloc(n * channels.length * width);
  let p = 0;
  for (let i = 0; i < n; i++) {
    for (const channel of channels) {
      out.writeIntLE(channel[i], p, width);
      p += width;
    }
  }
  return out;
}

/** Deterministic PRNG (mulberry32) so failures reproduce. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
