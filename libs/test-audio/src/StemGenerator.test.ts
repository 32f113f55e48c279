import { describe, expect, it } from '@jest/globals';
import { generateStemPcm, StemGenerator, type StemSpec } from './StemGenerator.js';
import { STEM_KINDS, type StemKind } from './stemRenderers.js';

const spec = (kind: StemKind, overrides: Partial<StemSpec> = {}): StemSpec => ({
  kind,
  seed: 42,
  frames: 48000 * 2,
  sampleRate: 48000,
  bitDepth: 24,
  channels: 2,
  tempoBpm: 120,
  rootHz: 110,
  ...overrides,
});
const same = (a: Int32Array[], b: Int32Array[]) => a.length === b.length && a.every((c, i) => Buffer.from(c.buffer).equals(Buffer.from(b[i].buffer)));
function zeroFraction(x: Int32Array): number {
  let zeros = 0;
  for (const v of x) if (v === 0) zeros++;
  return zeros / x.length;
}
function peak(x: Int32Array): number {
  let max = 0;
  // No Math.abs here: global lookups are slow inside Jest's vm context.
  for (const v of x) if ((v < 0 ? -v : v) > max) max = v < 0 ? -v : v;
  return max;
}

describe('generateStemPcm', () => {
  it.each(STEM_KINDS)('%s: the same spec gives the same samples; another seed or kind gives others', (kind) => {
    const a = generateStemPcm(spec(kind));
    expect(same(a, generateStemPcm(spec(kind)))).toBe(true);
    const other = generateStemPcm(spec(kind === 'chords' ? 'bass' : 'chords'));
    expect(same(a, other)).toBe(false);
  });

  it.each(['noise', 'drums', 'sparse', 'chords'] as const)('%s: the seed changes the material', (kind) => {
    // Seeds 42 and 43 differ in parity (chord voicing) and modulo 8 (the sparse stem's playing bar).
    expect(same(generateStemPcm(spec(kind, { frames: 48000 * 16 })), generateStemPcm(spec(kind, { seed: 43, frames: 48000 * 16 })))).toBe(false);
  });

  it.each(STEM_KINDS)('%s: streaming in odd block sizes gives exactly the whole-stem samples', (kind) => {
    const whole = generateStemPcm(spec(kind));
    const generator = new StemGenerator(spec(kind));
    const pieces: Int32Array[][] = [];
    const sizes = [1, 999, 16384, 16385, 7];
    for (let i = 0, block; (block = generator.next(sizes[i % sizes.length])); i++) pieces.push(block);
    expect(generator.remaining).toBe(0);
    const joined = whole.map((_, c) => Int32Array.from(pieces.flatMap((p) => [...p[c]])));
    expect(same(joined, whole)).toBe(true);
  });

  it.each([16, 24] as const)('%i-bit: every sample fits the bit depth and the material is not trivially quiet', (bitDepth) => {
    const max = 2 ** (bitDepth - 1) - 1;
    for (const kind of STEM_KINDS) {
      const pcm = generateStemPcm(spec(kind, { bitDepth, frames: 48000 * 16 }));
      for (const channel of pcm) {
        expect(peak(channel)).toBeLessThanOrEqual(max);
        expect(peak(channel)).toBeGreaterThan(max / 20); // above -26 dBFS somewhere
      }
    }
  });

  it('gives each kind its character', () => {
    const frames = 48000 * 16; // 8 bars at 120 BPM
    const [sparseL] = generateStemPcm(spec('sparse', { frames }));
    expect(zeroFraction(sparseL)).toBeGreaterThan(0.7); // mostly digital silence
    const [clickL, clickR] = generateStemPcm(spec('click', { frames }));
    expect(zeroFraction(clickL)).toBeGreaterThan(0.5); // silence between clicks
    expect(same([clickL], [clickR])).toBe(true);
    const [bassL, bassR] = generateStemPcm(spec('bass', { frames }));
    expect(same([bassL], [bassR])).toBe(true); // centred: side channel all zero
    const [noiseL, noiseR] = generateStemPcm(spec('noise', { frames }));
    expect(same([noiseL], [noiseR])).toBe(false);
    expect(zeroFraction(noiseL)).toBeLessThan(0.01);
    const [chordsL] = generateStemPcm(spec('chords', { frames }));
    expect(zeroFraction(chordsL)).toBeLessThan(0.01);
  });

  it('click track: one blip per beat at the tempo', () => {
    // 120 BPM at 48 kHz: a beat every 24000 frames; the blip starts at the beat (phase 0 then rising).
    const [click] = generateStemPcm(spec('click', { channels: 1, frames: 48000 * 4 }));
    // An onset: a non-zero sample after more than 5000 zeros (the blips ring for ~3300 frames).
    const onsets: number[] = [];
    let lastSound = -Infinity;
    for (let i = 0; i < click.length; i++) {
      if (click[i] === 0) continue;
      if (i - lastSound > 5000) onsets.push(i);
      lastSound = i;
    }
    expect(onsets).toEqual([1, 24001, 48001, 72001, 96001, 120001, 144001, 168001]);
  });

  it('mono specs give one channel, lengths are exact', () => {
    const pcm = generateStemPcm(spec('drums', { channels: 1, frames: 12345, sampleRate: 44100 }));
    expect(pcm).toHaveLength(1);
    expect(pcm[0]).toHaveLength(12345);
  });
});
