// Benchmark: `nx run chunk-decoder:bench` (or `tsx libs/chunk-decoder/bench/decode.bench.ts
// --stems 30 --seconds 360`). Prints figures; it is not a timed test. Everything runs in one
// process on one thread, side by side in the same run, so the numbers compare.
import { FLACDecoder } from '@wasm-audio-decoders/flac';
import { spawnSync } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { type ChunkDecoder, WasmFrameDecoder } from '../src/index.js';
import { openFileDecoder } from '../src/node.js';
import { STEM_RATE, benchStems } from './benchStems.js';

function flag(name: string, fallback: number): number {
  const args = process.argv.slice(2);
  for (let i = 0; i < args.length; i++) {
    if (args[i] === `--${name}`) return Number(args[i + 1]);
    if (args[i].startsWith(`--${name}=`)) return Number(args[i].slice(name.length + 3));
  }
  return fallback;
}

const STEMS = flag('stems', 30);
const SECONDS = flag('seconds', 360);
const REPEATS = flag('repeats', 5);
const THROUGHPUT_STEMS = Math.min(STEMS, flag('throughput-stems', 3));

const now = () => performance.now();
/** This process's CPU time in ms: unlike wall time, barely affected by other processes on the machine. */
const cpuNow = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ms = (value: number) => `${value.toFixed(1)} ms`;
const load = () => `load average ${loadavg()[0].toFixed(2)} on ${cpus().length} cores`;
const verdict = (ok: boolean) => (ok ? 'ok' : 'MISSED');

async function openAll(files: string[]): Promise<ChunkDecoder[]> {
  const decoders: ChunkDecoder[] = [];
  for (const file of files) decoders.push(await openFileDecoder(file));
  return decoders;
}

async function closeAll(decoders: ChunkDecoder[]): Promise<void> {
  for (const decoder of decoders) await decoder.close();
}

async function main(): Promise<void> {
  console.log(`chunk-decoder benchmark: ${STEMS} stems × ${SECONDS} s, 48 kHz/24-bit stereo, flac -5; median of ${REPEATS} runs`);
  console.log(`(${load()} at start: wall times suffer when other processes compete; CPU times, shown too, much less)`);
  const files = await benchStems(STEMS, SECONDS, console.log);
  const bytes = (await Promise.all(files.map((f) => stat(f)))).reduce((sum, s) => sum + s.size, 0);
  console.log(`stems ready: ${(bytes / 2 ** 20).toFixed(0)} MiB in all`);
  // Keep one user of the shared WebAssembly decoder for the whole run, as an app would, and
  // create its instance up front (~11 ms) so the figures below measure decoding.
  const keeper = WasmFrameDecoder.acquireShared();
  await keeper.warmUp();

  // 1. open() of all stems: metadata, first frame header, a bounded tail. No audio decoded.
  const openTimes: number[] = [];
  const openCpu: number[] = [];
  let openBytes = 0;
  for (let r = 0; r < REPEATS; r++) {
    const [t, c] = [now(), cpuNow()];
    const decoders = await openAll(files);
    openTimes.push(now() - t);
    openCpu.push(cpuNow() - c);
    openBytes = decoders.reduce((sum, d) => sum + d.bytesRead, 0);
    await closeAll(decoders);
  }
  const openMs = median(openTimes);
  console.log(`\nopen() of all ${STEMS} stems: ${ms(openMs)} total (CPU ${ms(median(openCpu))}), ${(openBytes / STEMS / 1024).toFixed(1)} KiB read per stem   [target ≤ 30 ms: ${verdict(openMs <= 30)}]`);

  // 2. Cold cost of chunk k (fresh decoder: no frame index yet) for k = first, middle, last.
  const probe = await openFileDecoder(files[0]);
  const chunks = probe.totalChunks();
  await probe.close();
  const positions = { first: 0, middle: Math.floor(chunks / 2), last: chunks - 1 };
  // Interleaved (first, middle, last for each stem in turn) so that load from other processes
  // falls on all three alike.
  const wall: Record<string, number[]> = { first: [], middle: [], last: [] };
  const cpu: Record<string, number[]> = { first: [], middle: [], last: [] };
  for (let r = 0; r < REPEATS; r++)
    for (const file of files.slice(0, Math.min(STEMS, 10)))
      for (const [label, k] of Object.entries(positions)) {
        const decoder = await openFileDecoder(file);
        const [t, c] = [now(), cpuNow()];
        await decoder.decodeChunk(k);
        wall[label].push(now() - t);
        cpu[label].push(cpuNow() - c);
        await decoder.close();
      }
  const costs = Object.fromEntries(Object.entries(wall).map(([label, values]) => [label, median(values)]));
  const cpuCosts = Object.fromEntries(Object.entries(cpu).map(([label, values]) => [label, median(values)]));
  const spread = Math.max(...Object.values(costs)) / Math.min(...Object.values(costs)) - 1;
  console.log(
    `chunk cost, cold (5 s chunk, median over stems): first ${ms(costs.first)}, middle (#${positions.middle}) ${ms(costs.middle)}, last (#${positions.last}) ${ms(costs.last)}; spread ${(spread * 100).toFixed(0)} %   [target ≤ 25 %: ${verdict(spread <= 0.25)}]` +
      ` (CPU: ${ms(cpuCosts.first)}, ${ms(cpuCosts.middle)}, ${ms(cpuCosts.last)})`,
  );

  // 3. First 0.5 s of every stem, one thread, decoder instance reused (the app's first audio).
  const firstTimes: number[] = [];
  const firstCpu: number[] = [];
  for (let r = 0; r < REPEATS; r++) {
    const decoders = await openAll(files);
    const [t, c] = [now(), cpuNow()];
    for (const decoder of decoders) await decoder.decodeRange(0, STEM_RATE / 2);
    firstTimes.push(now() - t);
    firstCpu.push(cpuNow() - c);
    await closeAll(decoders);
  }
  const firstMs = median(firstTimes);
  console.log(`first 0.5 s of all ${STEMS} stems (opened beforehand), one thread: ${ms(firstMs)} (CPU ${ms(median(firstCpu))})   [target ≤ 50 ms: ${verdict(firstMs <= 50)}]`);
  const coldFirst: number[] = [];
  for (let r = 0; r < REPEATS; r++) {
    const t = now();
    const decoders = await openAll(files);
    for (const decoder of decoders) await decoder.decodeRange(0, STEM_RATE / 2);
    coldFirst.push(now() - t);
    await closeAll(decoders);
  }
  console.log(`open + first 0.5 s of all ${STEMS} stems: ${ms(median(coldFirst))}`);

  // 4. Throughput, x realtime: 5 s chunks vs whole-file decodeFile vs the native decoder.
  const sample = files.slice(0, THROUGHPUT_STEMS);
  const audioSeconds = THROUGHPUT_STEMS * SECONDS;
  const chunked: number[] = [];
  const chunkedCpu: number[] = [];
  const whole: number[] = [];
  const wholeCpu: number[] = [];
  const native: number[] = [];
  const hasFlac = spawnSync('flac', ['--version']).status === 0;
  for (let r = 0; r < Math.min(REPEATS, 3); r++) {
    let [t, c] = [now(), cpuNow()];
    for (const file of sample) {
      const decoder = await openFileDecoder(file);
      for (let k = 0; k < decoder.totalChunks(); k++) await decoder.decodeChunk(k);
      await decoder.close();
    }
    chunked.push(audioSeconds / ((now() - t) / 1000));
    chunkedCpu.push(audioSeconds / ((cpuNow() - c) / 1000));
    [t, c] = [now(), cpuNow()];
    for (const file of sample) {
      const wasm = new FLACDecoder();
      await wasm.ready;
      await wasm.decodeFile(new Uint8Array(await readFile(file)));
      wasm.free();
    }
    whole.push(audioSeconds / ((now() - t) / 1000));
    wholeCpu.push(audioSeconds / ((cpuNow() - c) / 1000));
    if (hasFlac) {
      t = now();
      for (const file of sample) spawnSync('flac', ['-d', '-s', '-c', '--force-raw-format', '--endian=little', '--sign=signed', file], { stdio: ['ignore', 'ignore', 'inherit'], maxBuffer: 2 ** 31 });
      native.push(audioSeconds / ((now() - t) / 1000));
    }
  }
  const x = (value: number) => `${value.toFixed(0)}x realtime`;
  console.log(`\nthroughput over ${THROUGHPUT_STEMS} stem(s) (${audioSeconds} s of audio), best of ${chunked.length}:`);
  console.log(`  5 s chunks (ChunkDecoder):        ${x(Math.max(...chunked))} (per CPU second: ${x(Math.max(...chunkedCpu))})`);
  console.log(`  whole file (wasm decodeFile):     ${x(Math.max(...whole))} (per CPU second: ${x(Math.max(...wholeCpu))})`);
  if (hasFlac) {
    const ratio = Math.max(...chunked) / Math.max(...native);
    console.log(`  native flac -d (incl. start-up):  ${x(Math.max(...native))}`);
    console.log(`  chunks / native: ${ratio.toFixed(2)}   [target ≥ 0.35: ${verdict(ratio >= 0.35)}]`);
  } else console.log('  native flac -d: flac CLI not installed, skipped');
  console.log(`(${load()} at the end)`);
  WasmFrameDecoder.releaseShared();
}

await main();
