import { createRenderer, type Groove, type StemKind, type StemRenderer } from './stemRenderers.js';

export type Frames = number;

/** Everything that determines a stem's samples. Same spec, same samples, on every run. */
export interface StemSpec {
  readonly kind: StemKind;
  /** Varies the material within its kind (voicing, noise, which bars play). */
  readonly seed: number;
  /** Length in frames (samples per channel). */
  readonly frames: Frames;
  readonly sampleRate: number;
  readonly bitDepth: 16 | 24;
  readonly channels: 1 | 2;
  /** Shared by the stems of a song; defaults 120 BPM and A2 (110 Hz). */
  readonly tempoBpm?: number;
  readonly rootHz?: number;
}

/** Frames rendered per internal step: 16384 frames x 2 channels of float64 = 256 KB of scratch. */
const RENDER_BLOCK = 16384;

/**
 * Streams a stem's integer PCM block by block in bounded memory. Values are
 * round(x · (2^(bitDepth-1) − 1)) of the renderer's floats clamped to [-1, 1], so full scale is
 * reachable in both directions but never exceeded.
 *
 * @example
 * const generator = new StemGenerator({ kind: 'drums', seed: 1, frames: 48000 * 360, sampleRate: 48000, bitDepth: 24, channels: 2 });
 * for (let block = generator.next(65536); block; block = generator.next(65536)) encoder.push(block);
 */
export class StemGenerator {
  private readonly renderer: StemRenderer;
  private readonly scratch: Float64Array[];
  private readonly scale: number;
  private position = 0;

  constructor(readonly spec: StemSpec) {
    const groove: Groove = {
      sampleRate: spec.sampleRate,
      channels: spec.channels,
      tempoBpm: spec.tempoBpm ?? 120,
      rootHz: spec.rootHz ?? 110,
    };
    this.renderer = createRenderer(spec.kind, groove, spec.seed);
    this.scratch = Array.from({ length: spec.channels }, () => new Float64Array(RENDER_BLOCK));
    this.scale = 2 ** (spec.bitDepth - 1) - 1;
  }

  /** Frames not generated yet. */
  get remaining(): Frames {
    return this.spec.frames - this.position;
  }

  /** The next up to `maxFrames` frames as fresh planar Int32Arrays, or undefined at the end. */
  next(maxFrames: Frames): Int32Array[] | undefined {
    const count = Math.min(maxFrames, this.remaining);
    if (count <= 0) return undefined;
    const out = Array.from({ length: this.spec.channels }, () => new Int32Array(count));
    for (let done = 0; done < count; ) {
      const step = Math.min(RENDER_BLOCK, count - done);
      this.renderer.render(this.scratch, step);
      for (let c = 0; c < out.length; c++) quantize(this.scratch[c], out[c], done, step, this.scale);
      done += step;
    }
    this.position += count;
    return out;
  }
}

// A module binding, not `Math.round` in the loop: under Jest's vm contexts every global lookup
// goes through an interceptor, which made this loop ~20x slower there.
const round = Math.round;

function quantize(source: Float64Array, target: Int32Array, offset: number, count: number, scale: number): void {
  for (let i = 0; i < count; i++) {
    const v = source[i];
    target[offset + i] = round((v > 1 ? 1 : v < -1 ? -1 : v) * scale);
  }
}

/**
 * A whole stem at once (planar, one Int32Array per channel). Pure and deterministic: the same
 * spec always gives the same samples. For long stems prefer `StemGenerator` (bounded memory).
 *
 * @example
 * const [left, right] = generateStemPcm({ kind: 'chords', seed: 7, frames: 44100, sampleRate: 44100, bitDepth: 16, channels: 2 });
 */
export function generateStemPcm(spec: StemSpec): Int32Array[] {
  return new StemGenerator(spec).next(spec.frames) ?? Array.from({ length: spec.channels }, () => new Int32Array(0));
}
