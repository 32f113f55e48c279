// Seeded randomness only (never Math.random): the same seed must give the same files on every run.

// Module bindings instead of `Math.imul` in the generator: global lookups are slow inside Jest's vm contexts.
const imul = Math.imul;

/** mulberry32: a tiny 32-bit PRNG, good enough for test noise; returns floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = imul(t ^ (t >>> 15), t | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Derives an independent seed from a seed and a label (FNV-1a over both), e.g. one per stem. */
export function deriveSeed(seed: number, label: string | number): number {
  let hash = 0x811c9dc5 ^ (seed >>> 0);
  const text = String(label);
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  return (hash ^ (hash >>> 13)) >>> 0;
}
