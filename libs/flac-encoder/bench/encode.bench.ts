// Encoding speed, side by side in one run: this encoder, the reference `flac -5` (a separate
// process, when installed) and libflacjs 5.6 asm.js (libFLAC 1.3.4 compiled by emscripten, level 5).
// Material: 60 s of 48 kHz 24-bit stereo, chords plus low-level noise (tonal material with a
// realistic noise floor, so neither constant subframes nor pure noise dominate).
// Run: npx tsx libs/flac-encoder/bench/encode.bench.ts   (or: npx nx run flac-encoder:bench)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { encodeFlac, FlacStreamEncoder } from '../src/index.js';
import { nodeMd5 } from '../src/node.js';

const SECONDS = 60;
const RATE = 48000;
const BITS = 24;
const RUNS = 3;

function material(): Int32Array[] {
  const n = SECONDS * RATE;
  const max = 2 ** (BITS - 1) - 1;
  let seed = 12345;
  const random = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32) - 0.5;
  const chord = [220, 277.18, 329.63, 440];
  return [0, 1].map((c) => {
    const x = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const t = i / RATE;
      let v = 0;
      for (const f of chord) v += Math.sin(2 * Math.PI * f * (1 + 0.001 * c) * t);
      const envelope = 0.5 + 0.5 * Math.sin(2 * Math.PI * 0.25 * t);
      x[i] = Math.round(max * (0.15 * envelope * v + 0.002 * random()));
    }
    return x;
  });
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}

function time(run: () => void): number {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  return median(times);
}

const flacInstalled = spawnSync('flac', ['--version']).status === 0;
const dir = mkdtempSync(path.join(tmpdir(), 'trax-encode-bench-'));
const rawBytes = SECONDS * RATE * 2 * 3;

function report(label: string, ms: number, bytes: number, verified: string): void {
  const x = (SECONDS * 1000) / ms;
  console.log(`${label.padEnd(34)} ${ms.toFixed(0).padStart(6)} ms  ${x.toFixed(0).padStart(5)}x realtime  ${((100 * bytes) / rawBytes).toFixed(1).padStart(5)} % of raw  ${verified}`);
}

function flacTest(bytes: Uint8Array, name: string): string {
  if (!flacInstalled) return '(flac -t skipped: flac not installed)';
  const file = path.join(dir, name);
  writeFileSync(file, bytes);
  return spawnSync('flac', ['-t', '--silent', file]).status === 0 ? 'flac -t ok' : 'flac -t FAILED';
}

const channels = material();
console.log(`${SECONDS} s, ${RATE} Hz, ${BITS}-bit stereo tonal+noise; median of ${RUNS} runs (after a warm-up)\n`);

// This encoder, whole buffer at once.
encodeFlac(channels.map((c) => c.subarray(0, RATE * 5)), { sampleRate: RATE, bitsPerSample: BITS, md5: nodeMd5 }); // warm-up (JIT)
let ours = new Uint8Array(0);
const oursMs = time(() => (ours = encodeFlac(channels, { sampleRate: RATE, bitsPerSample: BITS, md5: nodeMd5 })));
report('@trax/flac-encoder encodeFlac', oursMs, ours.length, flacTest(ours, 'ours.flac'));

// This encoder, streamed in 5 s chunks (how the cache encodes).
const chunk = 5 * RATE;
let streamedBytes = 0;
const streamMs = time(() => {
  const encoder = new FlacStreamEncoder({ channels: 2, sampleRate: RATE, bitsPerSample: BITS, md5: nodeMd5 });
  streamedBytes = encoder.initialHeader.length;
  for (let at = 0; at < channels[0].length; at += chunk) streamedBytes += encoder.push(channels.map((c) => c.subarray(at, at + chunk))).length;
  streamedBytes += encoder.finish().frames.length;
});
report('@trax/flac-encoder stream (5 s)', streamMs, streamedBytes, '');

// Reference encoder, as a process reading raw PCM from a file.
let flacMs: number | undefined;
if (flacInstalled) {
  const raw = Buffer.alloc(rawBytes);
  for (let i = 0, p = 0; i < channels[0].length; i++) for (const c of channels) p = raw.writeIntLE(c[i], p, 3);
  const rawFile = path.join(dir, 'in.raw');
  writeFileSync(rawFile, raw);
  for (const level of ['-5', '-0']) {
    const out = path.join(dir, `ref${level}.flac`);
    const args = [level, '-f', '--silent', '--force-raw-format', '--endian=little', '--sign=signed', '--channels=2', `--bps=${BITS}`, `--sample-rate=${RATE}`, '-o', out, rawFile];
    const ms = time(() => {
      if (spawnSync('flac', args).status !== 0) throw new Error('flac failed');
    });
    if (level === '-5') flacMs = ms;
    report(`flac ${level} (native process)`, ms, statSync(out).size, '');
  }
} else {
  console.log('flac (native process)              skipped: flac not installed');
}

// libflacjs asm.js, fed 5 s interleaved chunks (the wasm variants do not load in Node 20, see NOTES).
let libflacMs: number | undefined;
try {
  const Flac = createRequire(import.meta.url)('libflacjs')('min');
  // The 'min' build loads its memory image asynchronously.
  if (!Flac.isReady()) await new Promise((resolve) => Flac.on('ready', resolve));
  const interleaved = new Int32Array(channels[0].length * 2);
  for (let i = 0; i < channels[0].length; i++) {
    interleaved[2 * i] = channels[0][i];
    interleaved[2 * i + 1] = channels[1][i];
  }
  const encodeWithLibflac = (): Uint8Array => {
    const encoder = Flac.create_libflac_encoder(RATE, 2, BITS, 5, channels[0].length, false, 4096);
    const parts: Uint8Array[] = [];
    Flac.init_encoder_stream(encoder, (data: Uint8Array) => parts.push(data.slice()));
    for (let at = 0; at < channels[0].length; at += chunk) {
      const piece = interleaved.subarray(2 * at, 2 * Math.min(at + chunk, channels[0].length));
      if (!Flac.FLAC__stream_encoder_process_interleaved(encoder, piece, piece.length / 2)) throw new Error('libflacjs process failed');
    }
    Flac.FLAC__stream_encoder_finish(encoder);
    Flac.FLAC__stream_encoder_delete(encoder);
    return Buffer.concat(parts);
  };
  encodeWithLibflac(); // warm-up
  let libflacOut = new Uint8Array(0);
  libflacMs = time(() => (libflacOut = encodeWithLibflac()));
  report(`libflacjs ${Flac.variant} level 5`, libflacMs, libflacOut.length, flacTest(libflacOut, 'libflacjs.flac'));
} catch (error) {
  console.log(`libflacjs                          skipped: ${(error as Error).message}`);
}

console.log('');
if (libflacMs !== undefined) console.log(`@trax/flac-encoder is ${(libflacMs / oursMs).toFixed(1)}x the speed of libflacjs asm.js`);
if (flacMs !== undefined) console.log(`@trax/flac-encoder takes ${(oursMs / flacMs).toFixed(2)}x the time of native flac -5 (process start and file I/O included)`);
rmSync(dir, { recursive: true, force: true });
