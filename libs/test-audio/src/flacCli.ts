import { hasTool } from '@trax/reference-tools';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { FlacCliError } from './FlacCliError.js';
import { deinterleavePcm, interleavePcm } from './pcm.js';
import { readStreamInfo } from './readStreamInfo.js';

/**
 * Whether the reference `flac` command can be run here (checked once per process): for code with a
 * fallback, like the `auto` encoder. Tests that compare against flac use `requireTool('flac')`
 * from `@trax/reference-tools` instead, which fails a CI run where flac is missing.
 */
export function hasFlacCli(): boolean {
  return hasTool('flac');
}

/** Result of `flac -t`: `output` holds what flac printed on failure (empty when ok). */
export interface FlacTestResult {
  readonly ok: boolean;
  readonly output: string;
}

/**
 * `flac -t`: decodes the whole file, checking every frame's CRC and the STREAMINFO MD5.
 *
 * @example
 * expect(await flacTest(stem.path)).toEqual({ ok: true, output: '' });
 */
export async function flacTest(path: string): Promise<FlacTestResult> {
  const { code, stderr } = await run(path, ['-t', '--silent', path]);
  return { ok: code === 0, output: stderr.trim() };
}

/**
 * Decodes a FLAC file with the reference decoder (`flac -d` to raw signed little-endian) into
 * planar integers: the oracle other libraries' decoders are compared with.
 *
 * @example
 * const [left, right] = await referenceDecode(stem.path);
 */
export async function referenceDecode(path: string): Promise<Int32Array[]> {
  const info = await readStreamInfo(path);
  const { code, stdout, stderr } = await run(path, ['-d', '-c', '--silent', '--force-raw-format', '--endian=little', '--sign=signed', path], true);
  if (code !== 0) throw new FlacCliError(path, `flac -d failed (exit ${code})`, { exitCode: code, stderr });
  return deinterleavePcm(stdout, info.channels, info.bitsPerSample);
}

/** How `encodeWithFlacCli` calls the reference encoder. */
export interface FlacCliEncodeOptions {
  readonly path: string;
  readonly sampleRate: number;
  readonly bitDepth: number;
  readonly channels: number;
  /** Frames that `blocks` will yield in total: lets flac size a SEEKTABLE for piped input (--input-size). */
  readonly totalFrames: number;
  /** `-b`; flac's default (4096 at -5) when omitted. */
  readonly blockSize?: number;
  /** false = `--no-seektable`; true = flac's default (a point every 10 s). */
  readonly seekTable: boolean;
  /** Sees each raw block (interleaved little-endian) before it goes down the pipe, e.g. to hash it. */
  readonly onRawBlock?: (raw: Buffer) => void;
}

/**
 * Encodes PCM blocks with `flac -5` reading raw PCM from a pipe, one block in flight at a time
 * (the pipe's backpressure bounds memory).
 */
export async function encodeWithFlacCli(blocks: Iterable<Int32Array[]>, options: FlacCliEncodeOptions): Promise<void> {
  const { path, sampleRate, bitDepth, channels, totalFrames, blockSize, seekTable, onRawBlock } = options;
  if (!hasFlacCli()) throw new FlacCliError(path, 'the `flac` command is not installed (apt-get install flac); use encoder "internal" or "auto"');
  const args = [
    '-5', '-f', '--silent', '--force-raw-format', '--endian=little', '--sign=signed',
    `--channels=${channels}`, `--bps=${bitDepth}`, `--sample-rate=${sampleRate}`,
    `--input-size=${totalFrames * channels * Math.ceil(bitDepth / 8)}`,
    ...(blockSize ? [`--blocksize=${blockSize}`] : []),
    ...(seekTable ? [] : ['--no-seektable']),
    '-o', path, '-',
  ];
  const child = spawn('flac', args, { stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const exited = once(child, 'close') as Promise<[number | null]>;
  // A failed flac closes the pipe early: writes then fail with EPIPE. That error is not the
  // story — flac's exit code and message are, so it is only noted and the loop stops.
  let pipeBroken = false;
  child.stdin.on('error', () => (pipeBroken = true));
  try {
    for (const block of blocks) {
      const raw = interleavePcm(block, bitDepth);
      onRawBlock?.(raw);
      if (!child.stdin.write(raw)) await drained(child.stdin);
      if (pipeBroken || child.exitCode !== null) break;
    }
  } finally {
    child.stdin.end();
  }
  const [code] = await exited;
  if (code !== 0) throw new FlacCliError(path, `flac failed to encode (exit ${code})`, { exitCode: code ?? undefined, stderr });
}

/** Resolves when the pipe can take more, or has failed or closed (never rejects). */
function drained(stream: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done).off('error', done).off('close', done);
      resolve();
    };
    stream.on('drain', done).on('error', done).on('close', done);
  });
}

async function run(file: string, args: string[], captureStdout = false): Promise<{ code: number; stdout: Buffer; stderr: string }> {
  if (!hasFlacCli()) throw new FlacCliError(file, 'the `flac` command is not installed (apt-get install flac)');
  const child = spawn('flac', args, { stdio: ['ignore', captureStdout ? 'pipe' : 'ignore', 'pipe'] });
  const chunks: Buffer[] = [];
  child.stdout?.on('data', (chunk: Buffer) => chunks.push(chunk));
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const [code] = (await once(child, 'close')) as [number | null];
  return { code: code ?? -1, stdout: Buffer.concat(chunks), stderr };
}
