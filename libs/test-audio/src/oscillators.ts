// Cheap deterministic oscillators: generating 30 stems x 6 minutes (about a billion samples) with
// Math.sin per sample would take minutes, a table lookup takes a few nanoseconds.

const TABLE_SIZE = 4096;
// One extra entry so linear interpolation at the last index needs no wrap test.
const SINE = Float64Array.from({ length: TABLE_SIZE + 1 }, (_, i) => Math.sin((2 * Math.PI * i) / TABLE_SIZE));

/** sin(2π · phase) for phase in [0, 1), by linear interpolation in a 4096-entry table (error < 3e-7). */
export function sine(phase: number): number {
  const position = phase * TABLE_SIZE;
  const index = position | 0;
  const a = SINE[index];
  return a + (position - index) * (SINE[index + 1] - a);
}

/** Frequency of a note `semitones` above `baseHz` in equal temperament. */
export function noteHz(baseHz: number, semitones: number): number {
  return baseHz * 2 ** (semitones / 12);
}

/** Per-sample multiplier that makes an envelope fall to 1/e after `seconds`. */
export function decayFactor(seconds: number, sampleRate: number): number {
  return Math.exp(-1 / (seconds * sampleRate));
}
