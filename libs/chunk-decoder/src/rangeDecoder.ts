import type { DecodeIssue, DecodeIssueKind } from './decodedPcm.js';
import { decodeFlacFrame } from './flacFrameDecoder.js';
import { needsStreamInfo } from './frameHeader.js';
import type { IndexedFrame } from './frameIndex.js';
import type { FrameStep } from './frameLocator.js';
import type { FlacStream } from './flacStream.js';
import type { Frames } from './units.js';
import { exactFloat, type WasmFrameDecoder } from './wasmFrameDecoder.js';

/** PCM of `[start, start + count)` at the file's own sample rate. */
export interface SourcePcm {
  readonly channelData: Float32Array[];
  readonly start: Frames;
  /** Less than requested only when the file ends early (truncated). */
  readonly count: Frames;
  /** `sampleOffset` at the file's rate. */
  readonly issues: DecodeIssue[];
}

/** At most this many frames go to the WebAssembly decoder in one call (bounds its output copy). */
const MAX_BATCH_FRAMES = 256;

/**
 * Decodes samples `[start, end)` of the stream: locates the frame containing `start`, walks the
 * frames up to `end` (reading just their bytes), decodes only those, and trims to the exact
 * samples. Frames with a bad CRC or that fail to decode become silence plus an issue.
 */
export async function decodeSourceRange(
  stream: FlacStream,
  wasm: WasmFrameDecoder,
  start: Frames,
  end: Frames,
): Promise<SourcePcm> {
  const { locator } = stream;
  const info = stream.metadata.streamInfo;
  const channels = info.channels;
  const issues: DecodeIssue[] = [];
  const output = Array.from({ length: channels }, () => new Float32Array(end - start));

  const first = await locator.locate(start);
  const window = locator.window(2 * locator.rules.maxFrameBytes());
  await window.ensure(first.offset, estimateBytes(stream, first, end));
  const steps: FrameStep[] = [];
  let available = end; // samples present in the file before `end`
  for (let frame: IndexedFrame | undefined = first; frame; ) {
    const step = await locator.step(frame, window);
    steps.push(step);
    const frameEnd = frame.sample + frame.header.blockSize;
    const next = step.next;
    if (next) {
      locator.index.add(next);
      if (next.sample > frameEnd && next.sample > start && frameEnd < end)
        issues.push(issue(stream, 'lost-sync', frameEnd, Math.max(frameEnd, start), `samples ${frameEnd}–${next.sample - 1} are missing (no valid frame found there); silence instead`));
    } else if (step.truncated) {
      available = Math.max(start, Math.min(end, frame.sample));
      if (frame.sample < end)
        issues.push(issue(stream, 'truncated', frame.sample, available, `the file ends inside the frame at sample ${frame.sample} (byte ${frame.offset}); ${stream.totalSamples - frame.sample} samples are missing`));
    } else if (frameEnd < end) {
      if (step.end >= locator.audioEnd) {
        available = Math.max(start, frameEnd);
        if (frameEnd < stream.totalSamples)
          issues.push(issue(stream, 'truncated', frameEnd, available, `the audio ends at sample ${frameEnd}, before the ${stream.totalSamples} samples STREAMINFO announces`));
      } else
        issues.push(issue(stream, 'lost-sync', frameEnd, Math.max(frameEnd, start), `no valid frame found after byte ${step.end}; samples from ${frameEnd} are silence`));
    }
    frame = next && next.sample < end ? next : undefined;
  }

  const decodable: FrameStep[] = [];
  for (const step of steps) {
    const { frame } = step;
    if (frame.sample + frame.header.blockSize <= start || frame.sample >= available || step.truncated) continue;
    if (step.crcOk) decodable.push(step);
    else
      issues.push(issue(stream, 'crc', frame.sample, Math.max(frame.sample, start), `frame at byte ${frame.offset} fails its CRC-16 check; ${frame.header.blockSize} samples of silence instead`));
  }
  await decodeInto(stream, wasm, decodable, output, start, issues);
  const count = available - start;
  const channelData = count === end - start ? output : output.map((channel) => channel.slice(0, count));
  issues.sort((a, b) => a.sampleOffset - b.sampleOffset);
  return { channelData, start, count, issues };
}

/**
 * Bytes the walk from `first` to `end` will likely need: the bitrate between `first` and the
 * next known frame after `end` (or over the whole file) times the samples wanted, plus 10 % and
 * one worst-case frame. The window extends itself if that was short.
 */
function estimateBytes(stream: FlacStream, first: IndexedFrame, end: Frames): number {
  const { locator } = stream;
  const frameBytes = locator.rules.maxFrameBytes();
  const after = locator.index.after(end);
  const [bytes, samples] = after
    ? [after.offset - first.offset, after.sample - first.sample]
    : [locator.audioEnd - first.offset, Math.max(1, stream.totalSamples - first.sample)];
  const estimate = Math.ceil((bytes * (end - first.sample) * 1.1) / samples) + frameBytes;
  return after ? Math.min(estimate, bytes + frameBytes) : estimate;
}

function issue(stream: FlacStream, kind: DecodeIssueKind, frameSample: Frames, sampleOffset: Frames, message: string): DecodeIssue {
  const rules = stream.locator.rules;
  const frame = rules.numbering === 'frame' ? Math.floor(frameSample / rules.nominalBlockSize) : -1;
  return { kind, frame, sampleOffset, message };
}

/** Decodes each frame into `output` (which starts at sample `start`), WebAssembly first. */
async function decodeInto(
  stream: FlacStream,
  wasm: WasmFrameDecoder,
  steps: FrameStep[],
  output: Float32Array[],
  start: Frames,
  issues: DecodeIssue[],
): Promise<void> {
  const rules = stream.locator.rules;
  const bits = rules.streamInfo.bitsPerSample;
  const wasmBits = bits === 8 || bits === 16 || bits === 24;
  const wasmCan = (step: FrameStep) =>
    wasmBits &&
    !needsStreamInfo(step.frame.header) &&
    // Old Flake streams number by sample without the variable-block-size bit: the WebAssembly
    // decoder crashes on them (memory access out of bounds, measured on subset/27).
    step.frame.header.variableBlockSize === (rules.numbering === 'sample') &&
    step.frame.header.blockSize <= 65535; // it loses sync on 65536 (faulty/08, measured)

  const viaTypeScript = (step: FrameStep, why: string | undefined) => {
    const { frame } = step;
    try {
      const samples = decodeFlacFrame(step.bytes, frame.header, { bitsPerSample: bits });
      if (!scatterIntegers(samples, frame.sample, output, start, bits)) throw new Error('samples out of range for the bit depth');
    } catch (error) {
      for (const channel of output) fillRange(channel, frame.sample, frame.header.blockSize, start, 0);
      const reason = [why, error instanceof Error ? error.message : String(error)].filter(Boolean).join('; ');
      issues.push(issue(stream, 'decode', frame.sample, Math.max(frame.sample, start), `frame at byte ${frame.offset} does not decode (${reason}); silence instead`));
    }
  };

  const viaWasm = async (batch: FrameStep[]): Promise<void> => {
    const result = await wasm.decode(batch.map((step) => step.bytes));
    const expected = batch.reduce((sum, step) => sum + step.frame.header.blockSize, 0);
    if (!result.failed && result.samplesDecoded === expected && result.channelData.length === output.length) {
      let position = 0;
      for (const step of batch) {
        if (!scatterWasm(result.channelData, position, step.frame, output, start, bits)) viaTypeScript(step, 'WebAssembly output out of range');
        position += step.frame.header.blockSize;
      }
    } else if (batch.length > 1) {
      for (const step of batch) await viaWasm([step]); // isolate the frame(s) at fault
    } else viaTypeScript(batch[0], result.message);
  };

  // Batches hold consecutive frames only (libFLAC reports a gap between frames as an error).
  let batch: FrameStep[] = [];
  const follows = (step: FrameStep) => {
    const last = batch[batch.length - 1].frame;
    return step.frame.sample === last.sample + last.header.blockSize;
  };
  for (const step of steps) {
    if (!wasmCan(step)) {
      if (batch.length) await viaWasm(batch);
      batch = [];
      viaTypeScript(step, undefined);
      continue;
    }
    if (batch.length && (!follows(step) || batch.length >= MAX_BATCH_FRAMES)) {
      await viaWasm(batch);
      batch = [];
    }
    batch.push(step);
  }
  if (batch.length) await viaWasm(batch);
}

/** The part of `[frameStart, frameStart + length)` inside the output: [from, to) in frame coordinates. */
function overlap(frameStart: Frames, length: number, start: Frames, outputLength: number): [number, number] {
  const from = Math.max(0, start - frameStart);
  const to = Math.min(length, start + outputLength - frameStart);
  return [from, Math.max(from, to)];
}

function scatterWasm(decoded: Float32Array[], position: number, frame: IndexedFrame, output: Float32Array[], start: Frames, bits: number): boolean {
  const [from, to] = overlap(frame.sample, frame.header.blockSize, start, output[0].length);
  for (let c = 0; c < output.length; c++)
    if (!exactFloat(decoded[c], position + from, output[c], frame.sample + from - start, to - from, bits)) return false;
  return true;
}

function scatterIntegers(samples: Int32Array[], frameStart: Frames, output: Float32Array[], start: Frames, bits: number): boolean {
  const full = 2 ** (bits - 1);
  const scale = 1 / full;
  const [from, to] = overlap(frameStart, samples[0].length, start, output[0].length);
  for (let c = 0; c < output.length; c++) {
    const source = samples[c];
    const target = output[c];
    for (let i = from; i < to; i++) {
      const s = source[i];
      if (s < -full || s >= full) return false;
      target[frameStart + i - start] = s * scale;
    }
  }
  return true;
}

function fillRange(channel: Float32Array, frameStart: Frames, length: number, start: Frames, value: number): void {
  const [from, to] = overlap(frameStart, length, start, channel.length);
  channel.fill(value, frameStart + from - start, frameStart + to - start);
}
