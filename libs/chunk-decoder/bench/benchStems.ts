// The benchmark's reference song: N stems of 48 kHz / 24-bit stereo, encoded once by the
// reference encoder (`flac -5`) and cached under os.tmpdir() by their parameters.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const BENCH_DIR = path.join(tmpdir(), 'trax-chunk-decoder-bench');
export const STEM_RATE = 48000;
export const STEM_BITS = 24;
export const STEM_CHANNELS = 2;

/**
 * Interleaved 24-bit PCM of one stem, generated block by block: two detuned oscillators per
 * channel (rotation recurrences, cheap), a slow envelope, a little noise, and — on every third
 * stem — silent stretches (20 s of every 50 s), as real stems have.
 */
function* stemPcm(stem: number, seconds: number): Generator<Buffer> {
  const frames = seconds * STEM_RATE;
  const block = 48000;
  const full = 2 ** (STEM_BITS - 1);
  const oscillators = [0, 1].map((c) => {
    const f1 = 55 * 2 ** ((stem * 5 + c) / 12);
    const f2 = f1 * 3.01;
    return [f1, f2].map((f) => ({ cos: Math.cos((2 * Math.PI * f) / STEM_RATE), sin: Math.sin((2 * Math.PI * f) / STEM_RATE), x: 1, y: 0 }));
  });
  let seed = (stem + 1) * 0x9e3779b1;
  for (let start = 0; start < frames; start += block) {
    const n = Math.min(block, frames - start);
    const out = Buffer.alloc(n * STEM_CHANNELS * 3);
    const second = start / STEM_RATE;
    const silent = stem % 3 === 2 && second % 50 >= 30;
    const envelope = 0.3 + 0.25 * Math.sin(second * 0.7 + stem);
    let at = 0;
    for (let i = 0; i < n; i++)
      for (let c = 0; c < STEM_CHANNELS; c++) {
        let value = 0;
        for (const o of oscillators[c]) {
          const x = o.x * o.cos - o.y * o.sin;
          o.y = o.x * o.sin + o.y * o.cos;
          o.x = x;
          value += o.y;
        }
        seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
        const sample = silent ? 0 : Math.round((envelope * value * 0.5 + (seed / 2 ** 32 - 0.5) * 0.002) * full);
        out.writeIntLE(Math.max(-full, Math.min(full - 1, sample)), at, 3);
        at += 3;
      }
    yield out;
  }
}

/** Encodes one stem with `flac -5`, streaming the PCM through stdin. */
function encodeStem(stem: number, seconds: number, file: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const temporary = `${file}.${process.pid}.tmp`;
    const encoder = spawn('flac', [
      '-5', '-s', '-f', '--force-raw-format', '--endian=little', '--sign=signed',
      `--channels=${STEM_CHANNELS}`, `--bps=${STEM_BITS}`, `--sample-rate=${STEM_RATE}`, '-o', temporary, '-',
    ], { stdio: ['pipe', 'ignore', 'inherit'] });
    encoder.on('error', reject);
    encoder.on('close', (code) => {
      if (code !== 0) return reject(new Error(`flac exited with ${code} for stem ${stem}`));
      renameSync(temporary, file);
      resolve();
    });
    const blocks = stemPcm(stem, seconds);
    const pump = () => {
      for (let next = blocks.next(); !next.done; next = blocks.next()) if (!encoder.stdin.write(next.value)) return void encoder.stdin.once('drain', pump);
      encoder.stdin.end();
    };
    pump();
  });
}

/** Paths of `count` stems of `seconds` each, encoding the missing ones (two at a time: 2 cores). */
export async function benchStems(count: number, seconds: number, log: (line: string) => void): Promise<string[]> {
  mkdirSync(BENCH_DIR, { recursive: true });
  const files = Array.from({ length: count }, (_, stem) => path.join(BENCH_DIR, `stem${String(stem).padStart(2, '0')}-${seconds}s-48k24-flac5.flac`));
  const missing = files.map((file, stem) => ({ file, stem })).filter(({ file }) => !existsSync(file));
  if (missing.length) log(`encoding ${missing.length} stem(s) of ${seconds} s with flac -5 into ${BENCH_DIR} (once)...`);
  const queue = [...missing];
  const worker = async () => {
    for (let job = queue.shift(); job; job = queue.shift()) await encodeStem(job.stem, seconds, job.file);
  };
  await Promise.all([worker(), worker()]);
  return files;
}
