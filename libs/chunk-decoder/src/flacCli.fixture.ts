// Test fixtures made with the reference `flac` CLI (not committed: generated and cached by their
// parameters under os.tmpdir(), so re-runs are fast). Kept here rather than using @trax/test-audio's
// songs because these tests need what those do not offer: pure sines at a set level, 8-bit audio,
// extra encoder flags, and damaged or patched copies of a file.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { requireTool } from '@trax/reference-tools';

export const FIXTURE_DIR = path.join(tmpdir(), 'trax-chunk-decoder-fixtures');

/** True when the `flac` CLI can be run; missing, tests that need it skip with a note (or fail under CI). */
export const hasFlacCli = requireTool('flac');

export interface FixtureParams {
  readonly sampleRate: number;
  readonly channels: number;
  readonly bitsPerSample: 16 | 24 | 8;
  /** Sample frames per channel. */
  readonly frames: number;
  readonly blockSize: number;
  /** false: `-S-`, no SEEKTABLE. true: flac's default (a point every 10 s). */
  readonly seekTable: boolean;
  /** 'music': sines + noise with a varying envelope (varied frame sizes); 'sine': one pure sine. */
  readonly signal?: 'music' | 'sine';
  readonly sineHz?: number;
  /** Peak level of the sine, 0–1 of full scale. */
  readonly sineLevel?: number;
  /** Extra `flac` encoder flags, e.g. ['-8']. */
  readonly flags?: readonly string[];
}

function keyOf(params: FixtureParams): string {
  const p = { signal: 'music', sineHz: 1000, sineLevel: 0.5, flags: [], ...params };
  return [p.signal, p.sampleRate, p.channels, p.bitsPerSample, p.frames, p.blockSize, p.seekTable ? 'st' : 'nost', p.sineHz, p.sineLevel, ...p.flags]
    .join('_')
    .replace(/[^\w.-]/g, '');
}

/** Deterministic interleaved integer PCM for the parameters. */
export function fixturePcm(params: FixtureParams): Int32Array {
  const { sampleRate, channels, bitsPerSample, frames } = params;
  const full = 2 ** (bitsPerSample - 1);
  const pcm = new Int32Array(frames * channels);
  let seed = 0x2545f491;
  const noise = () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed / 2 ** 32 - 0.5;
  };
  for (let i = 0; i < frames; i++) {
    const t = i / sampleRate;
    for (let c = 0; c < channels; c++) {
      let x: number;
      if (params.signal === 'sine') x = (params.sineLevel ?? 0.5) * Math.sin(2 * Math.PI * (params.sineHz ?? 1000) * t);
      else {
        const envelope = 0.5 + 0.45 * Math.sin(2 * Math.PI * 0.13 * t + c);
        x =
          envelope * (0.4 * Math.sin(2 * Math.PI * (220 + 30 * c) * t) + 0.2 * Math.sin(2 * Math.PI * 1375 * t + c) + 0.1 * Math.sin(2 * Math.PI * 5120 * t)) +
          0.05 * envelope * noise();
      }
      pcm[i * channels + c] = Math.max(-full, Math.min(full - 1, Math.round(x * full)));
    }
  }
  return pcm;
}

function writeAtomically(file: string, data: Uint8Array | string): void {
  const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(temporary, data);
  renameSync(temporary, file);
}

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr}`);
}

function rawBytes(pcm: Int32Array, bitsPerSample: number): Uint8Array {
  const width = bitsPerSample / 8;
  const bytes = Buffer.alloc(pcm.length * width);
  for (let i = 0; i < pcm.length; i++) bytes.writeIntLE(pcm[i], i * width, width);
  return bytes;
}

/** Path of a FLAC file encoded by the `flac` CLI from {@link fixturePcm} (cached). */
export function flacFixture(params: FixtureParams): string {
  mkdirSync(FIXTURE_DIR, { recursive: true });
  const file = path.join(FIXTURE_DIR, `${keyOf(params)}.flac`);
  if (existsSync(file)) return file;
  const raw = `${file}.${process.pid}.input.raw`;
  writeFileSync(raw, rawBytes(fixturePcm(params), params.bitsPerSample));
  const temporary = `${file}.${process.pid}.tmp.flac`;
  run('flac', [
    '-s', '-f', '--force-raw-format', '--endian=little', '--sign=signed',
    `--channels=${params.channels}`, `--bps=${params.bitsPerSample}`, `--sample-rate=${params.sampleRate}`,
    '--lax', `--blocksize=${params.blockSize}`, ...(params.seekTable ? [] : ['-S-']), ...(params.flags ?? []),
    '-o', temporary, raw,
  ]);
  renameSync(temporary, file);
  spawnSync('rm', ['-f', raw]);
  return file;
}

/** Interleaved integers of a full decode by the reference decoder (`flac -d`), cached. */
export function referenceDecode(flacPath: string, bitsPerSample: number): Int32Array {
  const raw = `${flacPath}.reference.raw`;
  if (!existsSync(raw)) {
    const temporary = `${raw}.${process.pid}.tmp`;
    run('flac', ['-s', '-f', '-d', '--force-raw-format', '--endian=little', '--sign=signed', '-o', temporary, flacPath]);
    renameSync(temporary, raw);
  }
  const bytes = readFileSync(raw);
  const width = bitsPerSample / 8;
  const out = new Int32Array(bytes.length / width);
  for (let i = 0; i < out.length; i++) out[i] = bytes.readIntLE(i * width, width);
  return out;
}

/** Frame byte offsets and block sizes as the reference decoder's analysis (`flac -a`) lists them. */
export function referenceFrames(flacPath: string): { offset: number; blockSize: number }[] {
  const analysis = `${flacPath}.ana`;
  if (!existsSync(analysis)) {
    const temporary = `${analysis}.${process.pid}.tmp`;
    run('flac', ['-s', '-f', '-a', '-o', temporary, flacPath]);
    renameSync(temporary, analysis);
  }
  const frames: { offset: number; blockSize: number }[] = [];
  for (const match of readFileSync(analysis, 'utf8').matchAll(/^frame=\d+\toffset=(\d+)\tbits=\d+\tblocksize=(\d+)/gm))
    frames.push({ offset: Number(match[1]), blockSize: Number(match[2]) });
  return frames;
}

/** A copy of a fixture with a change applied, cached under `label`. */
export function derivedFixture(source: string, label: string, change: (bytes: Uint8Array) => Uint8Array): string {
  const file = source.replace(/\.flac$/, `.${label}.flac`);
  if (!existsSync(file)) writeAtomically(file, change(new Uint8Array(readFileSync(source))));
  return file;
}

/** The Trax float of integer s at `bits`: s / 2^(bits−1). */
export function toFloat(sample: number, bits: number): number {
  return sample / 2 ** (bits - 1);
}
