import type { Frames } from '../units.js';

// Module-level copies: inside a vm context (Jest's test environment) every global lookup in a hot
// loop goes through the context's interceptors and costs ~20x more.
const { sin, fround, PI } = Math;
const TWO_PI = 2 * PI;

/** FNV-1a of a string: a stable seed per song/stem/channel. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

interface Voice {
  readonly frequency: number;
  readonly phase: number;
  readonly sawOffset: number;
}

const voices = new Map<string, Voice>();

function voiceOf(song: string, stem: string, channel: number): Voice {
  const key = `${song}/${stem}/${channel}`;
  let voice = voices.get(key);
  if (!voice) {
    const seed = hash(key);
    voice = { frequency: 80 + (seed % 1021), phase: ((seed >>> 10) % 628) / 100, sawOffset: seed % 997 };
    if (voices.size > 10_000) voices.clear();
    voices.set(key, voice);
  }
  return voice;
}

function sampleOf(voice: Voice, frame: Frames, sampleRate: number): number {
  const saw = ((frame + voice.sawOffset) % 997) / 997 - 0.5;
  return fround(0.2 * sin((TWO_PI * voice.frequency * frame) / sampleRate + voice.phase) + 0.1 * saw);
}

/**
 * The sample of a synthetic stem at `frame`: a sine (80–1,100 Hz, chosen by a hash of the names)
 * plus a sawtooth of period 997 frames (prime, so no two frames within ~20 ms share a value and any
 * off-by-one shift shows), peak ≤ 0.3 so that a few stems sum without clipping. Rounded to float32,
 * exactly what the fake loader delivers: a pure function of its arguments, the test oracle.
 */
export function syntheticSample(song: string, stem: string, channel: number, frame: Frames, sampleRate = 48_000): number {
  return sampleOf(voiceOf(song, stem, channel), frame, sampleRate);
}

/** Planar PCM of a synthetic stem, frames [start, start + count). */
export function syntheticPcm(song: string, stem: string, channels: number, start: Frames, count: Frames, sampleRate = 48_000): Float32Array[] {
  const out: Float32Array[] = [];
  for (let c = 0; c < channels; c++) {
    const voice = voiceOf(song, stem, c);
    const data = new Float32Array(count);
    for (let i = 0; i < count; i++) data[i] = sampleOf(voice, start + i, sampleRate);
    out.push(data);
  }
  return out;
}
