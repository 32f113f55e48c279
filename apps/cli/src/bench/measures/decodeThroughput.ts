import { openFileDecoder } from '@trax/chunk-decoder/node';
import { hasFlacCli } from '@trax/test-audio';
import { runCommand } from '../childRunner.js';

export interface ThroughputRun {
  /** Seconds of audio decoded per second of wall time. */
  readonly realtimeFactor: number;
  readonly audioSeconds: number;
  readonly wallMs: number;
}

/**
 * Trax's decode throughput: every 5 s chunk of each file, in order, by `ChunkDecoder` on this
 * thread (one core, as the native decoder uses).
 */
export async function chunkedDecodeRun(files: readonly string[]): Promise<ThroughputRun> {
  let audioSeconds = 0;
  const started = performance.now();
  for (const file of files) {
    const decoder = await openFileDecoder(file, { chunkSeconds: 5 });
    try {
      for (let chunk = 0; chunk < decoder.totalChunks(); chunk++) audioSeconds += (await decoder.decodeChunk(chunk)).frameCount / decoder.outputSampleRate;
    } finally {
      await decoder.close();
    }
  }
  const wallMs = performance.now() - started;
  return { realtimeFactor: audioSeconds / (wallMs / 1000), audioSeconds, wallMs };
}

/** The native reference decoder on the same files (`flac -d` to /dev/null, process start included, ~5 ms a file). */
export async function nativeDecodeRun(files: readonly string[], audioSeconds: number): Promise<ThroughputRun> {
  if (!hasFlacCli()) throw new Error('the native decoder `flac` is not installed (Debian package flac)');
  const started = performance.now();
  for (const file of files) {
    const run = await runCommand('flac', ['-d', '-s', '-f', '-o', '/dev/null', '--force-raw-format', '--endian=little', '--sign=signed', file], { timeoutMs: 120_000 });
    if (run.code !== 0) throw new Error(`flac -d ${file} exited with ${run.code}: ${run.stderr.trim().split('\n')[0]}`);
  }
  const wallMs = performance.now() - started;
  return { realtimeFactor: audioSeconds / (wallMs / 1000), audioSeconds, wallMs };
}
