// Test fixture: FLAC files made by the reference encoder (`flac` CLI) from PCM generated here, so
// tests know the exact samples independently of any Trax code. Cached on disk by parameters in
// <workspace>/.trax-fixtures/chunk-loader/ (re-runs are instant).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { requireTool } from '@trax/reference-tools';

export interface ReferenceFlacSpec {
  readonly seconds: number;
  readonly sampleRate: number;
  readonly channels: number;
  readonly bitDepth: 16 | 24;
  readonly seed: number;
}

const cacheDir = path.join(fileURLToPath(new URL('../../../../', import.meta.url)), '.trax-fixtures', 'chunk-loader');

/** True when the `flac` command is available; missing, the end-to-end tests skip with a note, or fail under CI. */
export function hasFlacCli(): boolean {
  return requireTool('flac');
}

/**
 * Planar integer PCM: a slow sine per channel plus seeded noise, at about −6 dBFS, so every
 * frame of the encoder's predictor/residual paths is exercised and no two chunks are alike.
 */
export function referencePcm(spec: ReferenceFlacSpec): Int32Array[] {
  const frames = Math.round(spec.seconds * spec.sampleRate);
  const full = 2 ** (spec.bitDepth - 1) - 1;
  let state = spec.seed >>> 0 || 1;
  const channels = Array.from({ length: spec.channels }, () => new Int32Array(frames));
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < spec.channels; c++) {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      const noise = ((state >>> 0) / 2 ** 32 - 0.5) * 0.1;
      const tone = 0.4 * Math.sin((2 * Math.PI * (110 * (c + 1)) * i) / spec.sampleRate);
      channels[c][i] = Math.round((tone + noise) * full);
    }
  }
  return channels;
}

/** The reference PCM of frames `[start, start + count)` as Trax floats (int / 2^(bitDepth-1), exact). */
export function referenceFloats(pcm: Int32Array[], bitDepth: number, start: number, count: number): Float32Array[] {
  const scale = 2 ** (bitDepth - 1);
  return pcm.map((channel) => Float32Array.from(channel.subarray(start, start + count), (s) => s / scale));
}

/** Path of the FLAC file for `spec`, encoded by `flac -5` on first use. */
export function referenceFlac(spec: ReferenceFlacSpec): string {
  const name = `ref-${spec.seconds}s-${spec.sampleRate}-${spec.channels}ch-${spec.bitDepth}b-${spec.seed}.flac`;
  const file = path.join(cacheDir, name);
  if (existsSync(file)) return file;
  mkdirSync(cacheDir, { recursive: true });
  const pcm = referencePcm(spec);
  const bytesPerSample = spec.bitDepth / 8;
  const raw = Buffer.alloc(pcm[0].length * spec.channels * bytesPerSample);
  let at = 0;
  for (let i = 0; i < pcm[0].length; i++) {
    for (const channel of pcm) {
      raw.writeIntLE(channel[i], at, bytesPerSample);
      at += bytesPerSample;
    }
  }
  const partial = `${file}.${process.pid}.tmp`;
  const result = spawnSync(
    'flac',
    ['--silent', '-5', '--force-raw-format', '--endian=little', '--sign=signed', `--channels=${spec.channels}`, `--bps=${spec.bitDepth}`, `--sample-rate=${spec.sampleRate}`, '-f', '-o', partial, '-'],
    { input: raw },
  );
  if (result.status !== 0) throw new Error(`flac failed (${result.status}): ${result.stderr.toString()}`);
  renameSync(partial, file); // atomic: parallel test files never see half a fixture
  return file;
}
