// The real-time scenario of the loader benchmark: N stems "play" from the start, each with the
// plan's 4-chunk rolling buffer; the play position advances with the wall clock (× speed). The
// engine is modelled as the plan's Flow 1: the first 0.5 s of every stem and then chunk 0 at
// urgent priority, chunks 1-3 at normal; while playing chunk N, chunks N..N+3 are wanted (normal),
// requested chunk by chunk across stems (all stems' chunk N before any stem's N+1). Meanwhile every
// decoded chunk of the cached range is written to the chunk store at idle priority.
// Measured: how far ahead every buffer stays.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { ChunkLoader, LoadedChunk, StemInfo } from '../src/index.js';

export interface PlaybackResult {
  /** Request → every stem has its first slice (first audio). */
  readonly firstAudioMs: number;
  /** First audio → every stem ≥ 2 chunks ahead. */
  readonly fillMs: number;
  /** The least any stem was ahead of the play position after the fill, in chunks. */
  readonly minChunksAhead: number;
  /** Times a stem's play position reached a gap, between first audio and the fill (the start-up race). */
  readonly underrunsBeforeFill: number;
  /** The same after every buffer had first been 2 chunks ahead (the steady state the target is about). */
  readonly underrunsAfterFill: number;
  readonly loads: number;
  /** Chunks written to the store during the playback. */
  readonly cacheWrites: number;
  /** Time per cache write (encode + durable write, on the loader's thread), median and max. */
  readonly cacheWriteMedianMs: number;
  readonly cacheWriteMaxMs: number;
  /** Event-loop delay of the loader's thread during playback (ms). */
  readonly loopDelayP99Ms: number;
  readonly loopDelayMaxMs: number;
  /** CPU time of the process (all threads) per wall second, in cores. */
  readonly cpuCores: number;
}

interface StemState {
  readonly info: StemInfo;
  /** Loaded spans by start frame → end frame (whole chunks and the first slice). */
  readonly spans: Map<number, number>;
  readonly requested: Set<number>;
  underrun: boolean;
}

const BUFFER_CHUNKS = 4;
const TICK_MS = 5;

export async function simulatePlayback(loader: ChunkLoader, stems: readonly StemInfo[], playSeconds: number, speed: number): Promise<PlaybackResult> {
  const states: StemState[] = stems.map((info) => ({ info, spans: new Map(), requested: new Set(), underrun: false }));
  const keep = (state: StemState, chunk: LoadedChunk) => state.spans.set(chunk.startFrame, chunk.startFrame + chunk.frameCount);
  const writesBefore = loader.counters().writeBacks;
  const writeMs: number[] = [];
  const subscription = loader.metrics$.subscribe((event) => {
    if (event.type === 'cache.written') writeMs.push(event.writeMs);
  });
  let loads = 0;
  const ignoreCancel = (): undefined => undefined;
  const want = (state: StemState, index: number, position: number, priority: 'urgent' | 'normal' = 'normal') => {
    if (index >= state.info.totalChunks || state.requested.has(index)) return;
    state.requested.add(index);
    loader.request(state.info, index, priority).then((chunk) => {
      loads += 1;
      // A chunk that arrives after the play position left it is dropped, as the buffer would.
      if (chunk.startFrame + chunk.frameCount > position) keep(state, chunk);
    }, ignoreCancel);
  };

  const requestedAt = performance.now();
  const firsts = states.map((state) => loader.request(state.info, { startFrame: 0, frameCount: Math.round(state.info.outputSampleRate / 2) }, 'urgent').then((chunk) => keep(state, chunk)));
  for (const state of states) want(state, 0, 0, 'urgent');
  for (let i = 1; i < BUFFER_CHUNKS; i++) for (const state of states) want(state, i, 0);
  await Promise.all(firsts);
  const startedAt = performance.now();
  const cpuBefore = process.cpuUsage();
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();

  let filledAt: number | undefined;
  let minAhead = Infinity;
  let underrunsBeforeFill = 0;
  let underrunsAfterFill = 0;
  const rate = stems[0].outputSampleRate;
  await new Promise<void>((done) => {
    const timer = setInterval(() => {
      const now = performance.now();
      const position = Math.floor((((now - startedAt) / 1000) * speed) * rate);
      const current = Math.floor(position / states[0].info.chunkFrames);
      for (let i = current; i < current + BUFFER_CHUNKS; i++) for (const state of states) want(state, i, position);
      let leastAhead = Infinity;
      for (const state of states) {
        for (const [start, end] of state.spans) if (end <= position) state.spans.delete(start);
        const ahead = (contiguousEnd(state.spans, position) - position) / state.info.chunkFrames;
        if (ahead <= 0 && !state.underrun) {
          if (filledAt === undefined) underrunsBeforeFill += 1;
          else underrunsAfterFill += 1;
        }
        state.underrun = ahead <= 0;
        leastAhead = Math.min(leastAhead, ahead);
      }
      if (filledAt === undefined && leastAhead >= 2) filledAt = now;
      if (filledAt !== undefined) minAhead = Math.min(minAhead, leastAhead);
      if (position >= playSeconds * rate) {
        clearInterval(timer);
        done();
      }
    }, TICK_MS);
  });
  loop.disable();
  subscription.unsubscribe();
  writeMs.sort((a, b) => a - b);
  const cpu = process.cpuUsage(cpuBefore);
  const wallMs = performance.now() - startedAt;
  return {
    firstAudioMs: startedAt - requestedAt,
    fillMs: (filledAt ?? Infinity) - startedAt,
    minChunksAhead: minAhead,
    underrunsBeforeFill,
    underrunsAfterFill,
    loads,
    cacheWrites: loader.counters().writeBacks - writesBefore,
    cacheWriteMedianMs: writeMs[writeMs.length >> 1] ?? 0,
    cacheWriteMaxMs: writeMs.at(-1) ?? 0,
    loopDelayP99Ms: loop.percentile(99) / 1e6,
    loopDelayMaxMs: loop.max / 1e6,
    cpuCores: (cpu.user + cpu.system) / 1000 / wallMs,
  };
}

/** End of the audio available without a gap from `position` on. */
function contiguousEnd(spans: ReadonlyMap<number, number>, position: number): number {
  let end = position;
  for (let grew = true; grew; ) {
    grew = false;
    for (const [start, stop] of spans) {
      if (start <= end && stop > end) {
        end = stop;
        grew = true;
      }
    }
  }
  return end;
}
