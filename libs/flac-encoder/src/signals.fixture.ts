// Small inline test signals (the flac-encoder tests cannot use @trax/test-audio: it depends on this lib).
import { seededRandom } from './referenceFlac.fixture.js';

export type Signal = 'silence' | 'sine' | 'noise' | 'full-scale-noise' | 'extremes' | 'tonal+noise' | 'wasted-bits';

/** One channel of `n` samples at `bitsPerSample`; `channel` varies phase and seed so channels differ. */
export function makeSignal(kind: Signal, n: number, bitsPerSample: number, channel = 0, sampleRate = 48000): Int32Array {
  const max = 2 ** (bitsPerSample - 1) - 1;
  const min = -(2 ** (bitsPerSample - 1));
  const random = seededRandom(1000 * channel + bitsPerSample + n);
  const x = new Int32Array(n);
  const clamp = (v: number) => Math.max(min, Math.min(max, Math.round(v)));
  for (let i = 0; i < n; i++) {
    const t = i / sampleRate;
    switch (kind) {
      case 'silence':
        x[i] = 0;
        break;
      case 'sine':
        x[i] = clamp(0.7 * max * Math.sin(2 * Math.PI * (440 + 110 * channel) * t));
        break;
      case 'noise':
        x[i] = clamp((random() - 0.5) * 0.2 * max);
        break;
      case 'full-scale-noise':
        x[i] = min + Math.floor(random() * (max - min + 1));
        break;
      case 'extremes':
        // Left and right at opposite rails: side = max - min needs bitsPerSample + 1 bits.
        x[i] = (i + channel) % 2 === 0 ? max : min;
        break;
      case 'tonal+noise':
        x[i] = clamp(0.4 * max * Math.sin(2 * Math.PI * 220 * t + channel) + 0.2 * max * Math.sin(2 * Math.PI * 331 * t) + 0.01 * max * (random() - 0.5));
        break;
      case 'wasted-bits':
        // Only the top 8 bits used: every sample a multiple of 2^(bps-8).
        x[i] = clamp(0.5 * max * Math.sin(2 * Math.PI * 300 * t)) & ~(2 ** (bitsPerSample - 8) - 1);
        break;
    }
  }
  return x;
}

export function makeChannels(kind: Signal, channels: number, n: number, bitsPerSample: number, sampleRate = 48000): Int32Array[] {
  return Array.from({ length: channels }, (_, c) => makeSignal(kind, n, bitsPerSample, c, sampleRate));
}
