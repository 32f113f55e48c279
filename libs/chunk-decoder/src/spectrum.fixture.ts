// Spectrum analysis for resampler tests: an in-place radix-2 FFT and a coherent-sampling helper.

/** In-place iterative radix-2 FFT of (re, im); length must be a power of two. */
export function fft(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j], re[i]];
      [im[i], im[j]] = [im[j], im[i]];
    }
  }
  for (let size = 2; size <= n; size <<= 1) {
    const angle = (-2 * Math.PI) / size;
    for (let start = 0; start < n; start += size)
      for (let k = 0; k < size / 2; k++) {
        const wr = Math.cos(angle * k);
        const wi = Math.sin(angle * k);
        const a = start + k;
        const b = a + size / 2;
        const tr = re[b] * wr - im[b] * wi;
        const ti = re[b] * wi + im[b] * wr;
        re[b] = re[a] - tr;
        im[b] = im[a] - ti;
        re[a] += tr;
        im[a] += ti;
      }
  }
}

/**
 * Level in dBFS of every bin of `samples` (length a power of two, rectangular window). With
 * coherent sampling — a whole number of periods in the window — a pure sine falls in one bin and
 * nothing leaks, so any other bin above the noise floor is an artefact. A full-scale sine
 * (amplitude 1) reads 0 dBFS: |X| = N/2.
 */
export function binLevels(samples: Float32Array): Float64Array {
  const n = samples.length;
  const re = Float64Array.from(samples);
  const im = new Float64Array(n);
  fft(re, im);
  const levels = new Float64Array(n / 2);
  for (let k = 0; k < n / 2; k++) levels[k] = 20 * Math.log10(Math.hypot(re[k], im[k]) / (n / 2) + 1e-300);
  return levels;
}

/** The loudest bin outside `[bin − guard, bin + guard]`: [bin, dBFS]. */
export function worstSpur(levels: Float64Array, bin: number, guard: number): [number, number] {
  let worst: [number, number] = [-1, -Infinity];
  for (let k = 0; k < levels.length; k++) if (Math.abs(k - bin) > guard && levels[k] > worst[1]) worst = [k, levels[k]];
  return worst;
}
