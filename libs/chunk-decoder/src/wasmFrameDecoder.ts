import { FLACDecoder } from '@wasm-audio-decoders/flac';
import { freshLibflacState } from './libflacState.js';

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
 * which loses the last frame, NOTES.md — is never used). Each call starts from a fresh libFLAC
 * state ({@link freshLibflacState}: the frames of one call are consecutive frames of one stream,
 * nothing is carried over from the previous call). A call runs synchronously inside the package,
 * so calls from different streams cannot interleave. If the package throws (old Flake frames:
 * "memory access out of bounds", measured), the whole instance is replaced.
 *
 * Thread: all methods are for the thread that created it (a worker makes its own).
 *
 * @example
 * ```ts
 * // At start-up, so the first chunk does not pay for compiling and instantiating the module:
 * const keepAlive = WasmFrameDecoder.acquireShared();
 * await keepAlive.warmUp();
 * // ...ChunkDecoder.open() then uses this instance; on shutdown:
 * WasmFrameDecoder.releaseShared();
 * ```
 */
export class WasmFrameDecoder {
  private static sharedInstance: WasmFrameDecoder | undefined;
  private static sharedUsers = 0;
  private current: FLACDecoder | undefined;
  private ready: Promise<FLACDecoder> | undefined;
  /** Instances created so far (1 unless a crash forced a replacement). */
  instancesCreated = 0;
  /** Calls whose frames did not all decode (the caller then retries them one by one). */
  failedCalls = 0;
  /** Whether calls get a fresh libFLAC state cheaply (false: through the slow public reset()). */
  freshStateSupported = true;

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

  /** Decodes whole, consecutive frames of one stream; the output holds exactly their samples, in order. */
  async decode(frames: Uint8Array[]): Promise<WasmDecodeResult> {
    for (;;) {
      const decoder = await this.instance();
      if (decoder !== this.current) continue; // replaced while we waited: take the new one
      if (!freshLibflacState(decoder)) {
        this.freshStateSupported = false;
        await decoder.reset();
        if (decoder !== this.current) continue;
      }
      // The package reports errors with console.error besides returning them; we turn them into
      // DecodeIssues, so mute that side effect for the (synchronous) duration of the call.
      const consoleError = console.error;
      console.error = () => undefined;
      let pending: ReturnType<FLACDecoder['decodeFrames']>;
      try {
        pending = decoder.decodeFrames(frames);
      } catch (error) {
        this.failedCalls++;
        this.replace();
        return failure(error);
      } finally {
        console.error = consoleError;
      }
      try {
        const result = await pending;
        const failed = result.errors.length > 0;
        if (failed) this.failedCalls++;
        return {
          channelData: result.channelData,
          samplesDecoded: result.samplesDecoded,
          failed,
          message: failed ? result.errors.map((e) => e.message).join('; ') : undefined,
        };
      } catch (error) {
        // A crash inside the WebAssembly code may leave its memory inconsistent: start over.
        this.failedCalls++;
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
      this.ready = decoder.ready.then(() => decoder);
    }
    return this.ready;
  }

  private replace(): void {
    this.free();
  }
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

/**
 * Copies `count` samples from the WebAssembly decoder's output into `to`, converting its
 * s / (2^(b−1) − 1) floats to the exact Trax convention s / 2^(b−1) with one multiplication by
 * (2^(b−1) − 1) / 2^(b−1): checked exhaustively for every integer s of 8, 16 and 24 bits, the
 * float32 result equals s / 2^(b−1) exactly (`float32(float32(s/m) · m/2^(b−1))`, m = 2^(b−1) − 1).
 * About 1 ns per sample, a third of the rounding alternative.
 *
 * Returns false — the caller then decodes the frame with the TypeScript decoder — if any value
 * falls outside [−1, 1] (a little slack for the scaling): the cheap guard against the NaN or
 * Infinity the package emits for bit depths it does not handle (12/20-bit, NOTES.md).
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
  const scale = (full - 1) / full;
  for (let i = 0; i < count; i++) {
    const x = from[fromStart + i] * scale;
    if (!(x >= -1.0001 && x <= 1.0001)) return false; // also false for NaN
    to[toStart + i] = x;
  }
  return true;
}
