import { FLACDecoder } from '@wasm-audio-decoders/flac';
import { crc16, crc8 } from './crc.js';

/** Output of one batch of frames through the WebAssembly decoder. */
export interface WasmDecodeResult {
  /** Planar, the batch's frames one after another; values are s / (2^(b−1) − 1) (see {@link exactFloat}). */
  readonly channelData: Float32Array[];
  readonly samplesDecoded: number;
  /** The decoder reported an error or threw: the output is not to be trusted. */
  readonly failed: boolean;
  readonly message: string | undefined;
}

/**
 * The `@wasm-audio-decoders/flac` decoder behind a small port, one instance per thread, shared by
 * every ChunkDecoder: creating an instance costs ~11 ms (WebAssembly instantiation, measured), so
 * 30 stems opening their own would spend a third of a second before decoding anything.
 *
 * Frames go in whole, one per entry (we split them ourselves, so the package's own splitter —
 * which loses the last frame, NOTES.md — is never used). A decode call runs synchronously inside
 * the package, so calls from different streams cannot interleave. After any error the instance is
 * replaced: measured, a partial frame leaves it stuck returning 0 samples for the frames after.
 *
 * libFLAC (1.4) checks sample numbers across frames (stream_decoder.c, read_frame_): when a
 * frame starts after the end of the previous one it reports MISSING_FRAME and, if the previous
 * frame had ≥ 16 samples and the same rate, channels and depth, inserts up to 5 s of silence —
 * measured: chunk 6 decoded after chunk 0 came back with extra samples. Fixed-block-size frames
 * carry frame numbers, which it turns into samples with a block size latched from the first frame
 * numbered 0 it sees, from whichever stream that was. So:
 * - each new instance first decodes a one-sample frame numbered 0, latching block size 1
 *   (sample = frame number, so consecutive frames of any stream never look like a gap);
 * - before frames that do not start at 0, a separate call decodes a one-sample
 *   {@link separatorFrame} numbered just before them. Its rate (1 Hz) matches no real stream, so
 *   no silence is inserted before it; the MISSING_FRAME it may report is ignored; and the real
 *   frames then follow it without a gap.
 */
export class WasmFrameDecoder {
  private static sharedInstance: WasmFrameDecoder | undefined;
  private static sharedUsers = 0;
  private current: FLACDecoder | undefined;
  private ready: Promise<FLACDecoder> | undefined;
  /** Instances created so far (1 unless errors forced replacements). */
  instancesCreated = 0;

  /**
   * The decoder shared by this thread, counted: each `acquireShared()` needs one
   * {@link releaseShared}; the instance is freed when the last user releases it.
   */
  static acquireShared(): WasmFrameDecoder {
    WasmFrameDecoder.sharedUsers++;
    return (WasmFrameDecoder.sharedInstance ??= new WasmFrameDecoder());
  }

  static releaseShared(): void {
    if (WasmFrameDecoder.sharedUsers === 0) return;
    if (--WasmFrameDecoder.sharedUsers === 0) WasmFrameDecoder.sharedInstance?.free();
  }

  /** Creates the WebAssembly instance now instead of on the first decode. */
  async warmUp(): Promise<void> {
    await this.instance();
  }

  /**
   * Decodes whole, consecutive frames of one stream with `channels` channels of `bitsPerSample`
   * (8/16/24); `firstNumber` is the first frame's coded number. The output holds exactly the
   * frames' samples, in order.
   */
  async decode(frames: Uint8Array[], channels: number, bitsPerSample: number, firstNumber: number): Promise<WasmDecodeResult> {
    const separator = firstNumber > 0 ? separatorFrame(channels, bitsPerSample, firstNumber - 1) : undefined;
    for (;;) {
      const decoder = await this.instance();
      if (decoder !== this.current) continue; // replaced while we waited: take the new one
      // The package reports errors with console.error besides returning them; we turn them into
      // DecodeIssues, so mute that side effect for the (synchronous) duration of the calls.
      const consoleError = console.error;
      console.error = () => undefined;
      let pending: ReturnType<FLACDecoder['decodeFrames']>;
      try {
        // Both calls run synchronously, back to back on this instance; the separator's own
        // result (and its possible MISSING_FRAME) is of no interest.
        if (separator) decoder.decodeFrames([separator]).catch(() => undefined);
        pending = decoder.decodeFrames(frames);
      } catch (error) {
        this.replace();
        return failure(error);
      } finally {
        console.error = consoleError;
      }
      try {
        const result = await pending;
        const failed = result.errors.length > 0;
        if (failed) this.replace();
        return {
          channelData: result.channelData,
          samplesDecoded: result.samplesDecoded,
          failed,
          message: failed ? result.errors.map((e) => e.message).join('; ') : undefined,
        };
      } catch (error) {
        // e.g. "RuntimeError: memory access out of bounds" on old Flake frames (subset/27).
        this.replace();
        return failure(error);
      }
    }
  }

  /** Frees the WebAssembly instance; the next decode creates a new one. */
  free(): void {
    const decoder = this.current;
    this.current = undefined;
    this.ready = undefined;
    if (decoder) freeQuietly(decoder);
  }

  private instance(): Promise<FLACDecoder> {
    if (!this.ready) {
      const decoder = new FLACDecoder();
      this.instancesCreated++;
      this.current = decoder;
      this.ready = decoder.ready.then(async () => {
        // Latch libFLAC's fixed block size to 1 (see the class comment).
        await decoder.decodeFrames([separatorFrame(1, 16, 0, false)]);
        return decoder;
      });
    }
    return this.ready;
  }

  private replace(): void {
    this.free();
  }
}

/**
 * A valid one-sample FLAC frame — block size 1, 1 Hz, `channels` independent constant
 * subframes of value 0 — numbered `number`: a sample number (variable-block-size bit set, the
 * default) or a frame number. See {@link WasmFrameDecoder} for its use.
 */
export function separatorFrame(channels: number, bitsPerSample: number, number: number, variable = true): Uint8Array {
  const depthCode = { 8: 1, 16: 4, 24: 6 }[bitsPerSample];
  if (depthCode === undefined) throw new RangeError(`no separator frame for ${bitsPerSample}-bit samples`);
  // Sync + blocking bit, block size code 6 (8-bit size − 1 follows) with rate code 13 (16-bit Hz
  // follows), channel assignment + depth code, the coded number, block size − 1 = 0, rate 1 Hz,
  // then the CRC-8.
  const header = [0xff, variable ? 0xf9 : 0xf8, 0x6d, ((channels - 1) << 4) | (depthCode << 1), ...codedNumber(number), 0x00, 0x00, 0x01];
  header.push(crc8(Uint8Array.from(header), 0, header.length));
  // Each subframe is 8 header bits (constant, no wasted bits) and one zero value: all zero bits,
  // padded to a byte boundary; then the CRC-16.
  const subframeBytes = Math.ceil((channels * (8 + bitsPerSample)) / 8);
  const frame = new Uint8Array(header.length + subframeBytes + 2);
  frame.set(header);
  const crc = crc16(frame, 0, frame.length - 2);
  frame[frame.length - 2] = crc >> 8;
  frame[frame.length - 1] = crc & 0xff;
  return frame;
}

/** FLAC's UTF-8-style coding of a frame or sample number (1–7 bytes, up to 36 bits). */
export function codedNumber(value: number): number[] {
  if (value < 0x80) return [value];
  const bytes: number[] = [];
  let rest = value;
  for (let extra = 1; extra <= 6; extra++) {
    // `extra` continuation bytes carry 6 bits each; the lead byte 110xxxxx, 1110xxxx... 5 to 0.
    if (rest < 2 ** (6 - extra + 6 * extra)) {
      for (let i = 0; i < extra; i++) {
        bytes.unshift(0x80 | (rest % 64));
        rest = Math.floor(rest / 64);
      }
      const lead = (0xff << (7 - extra)) & 0xff;
      bytes.unshift(lead | rest);
      return bytes;
    }
  }
  throw new RangeError(`${value} does not fit a FLAC coded number`);
}

function failure(error: unknown): WasmDecodeResult {
  return { channelData: [], samplesDecoded: 0, failed: true, message: error instanceof Error ? error.message : String(error) };
}

function freeQuietly(decoder: FLACDecoder): void {
  decoder.ready.then(
    () => {
      try {
        decoder.free();
      } catch {
        // An instance that crashed may not free cleanly; it is garbage either way.
      }
    },
    () => undefined,
  );
}

/** 1.5 · 2^52: adding it to a double of magnitude < 2^51 rounds it to an integer (ties to even). */
const ROUNDING_MAGIC = 6755399441055744;

/**
 * Copies `count` samples from the WebAssembly decoder's output into `to`, converting its
 * s / (2^(b−1) − 1) floats back to the exact Trax convention s / 2^(b−1).
 *
 * Measured (exhaustively, every integer of 8/12/16/20/24 bits): round(float32(s / (2^(b−1) − 1)) ×
 * (2^(b−1) − 1)) recovers s, so the round trip is exact. Returns false — and the caller falls
 * back to the TypeScript decoder — if any value is not a finite in-range integer after scaling,
 * which is the cheap guard against the NaN/Infinity the package emits for 12/20-bit audio.
 */
export function exactFloat(
  from: Float32Array,
  fromStart: number,
  to: Float32Array,
  toStart: number,
  count: number,
  bitsPerSample: number,
): boolean {
  const full = 2 ** (bitsPerSample - 1);
  const packageScale = full - 1;
  const traxScale = 1 / full;
  for (let i = 0; i < count; i++) {
    // Round to the nearest integer by adding and subtracting 1.5·2^52 (doubles then have no
    // fraction bits left): measured 4 ns per sample against 18 ns for Math.round, and exact here
    // because the scaled value is within 0.5 of an integer (see above).
    const s = from[fromStart + i] * packageScale + ROUNDING_MAGIC - ROUNDING_MAGIC;
    if (!(s >= -full && s < full)) return false; // also false for NaN
    to[toStart + i] = s * traxScale;
  }
  return true;
}
