import type { CacheCoverage, CoverageQuery, StemCoverage, StemFacts, StemProbe, StemProber, ThroughputMeter, ThroughputSample } from '../check/checkPorts.js';

/** Facts of a healthy stem: 48 kHz stereo 24-bit, 60 s, 100 KB/s, unless overridden. */
export function fakeStemFacts(overrides: Partial<Omit<StemFacts, 'ok'>> = {}): StemFacts {
  const sampleRate = overrides.sampleRate ?? 48_000;
  const frames = overrides.frames ?? 60 * sampleRate;
  return {
    ok: true,
    sampleRate,
    channels: 2,
    bitDepth: 24,
    frames,
    bytes: Math.round((frames / sampleRate) * 100_000),
    md5: '0'.repeat(32),
    presentFrames: overrides.presentFrames ?? frames,
    corruptFrames: [],
    ...overrides,
  };
}

/**
 * A prober answering from a table by location; a location not in it is a missing file. Records
 * the locations probed, and how many probes were in flight at most (each takes `delayMs`).
 */
export function fakeStemProber(table: Readonly<Record<string, StemProbe>>, delayMs = 0): StemProber & { readonly probed: string[]; readonly maxInFlight: number } {
  const probed: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  return {
    probed,
    get maxInFlight() {
      return maxInFlight;
    },
    async probe(location) {
      probed.push(location);
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      inFlight--;
      return table[location] ?? { ok: false, kind: 'missing-file', message: `${location} does not exist` };
    },
  };
}

/** Cache coverage from a table by `song/stem` (chunks cached from the start); the rest has none. */
export function fakeCacheCoverage(cachedChunks: Readonly<Record<string, number>>, cacheChunks = 12): CacheCoverage & { readonly queries: CoverageQuery[] } {
  const queries: CoverageQuery[] = [];
  return {
    queries,
    coverage(query): Promise<StemCoverage> {
      queries.push(query);
      const chunks = cachedChunks[`${query.song}/${query.stem}`] ?? 0;
      return Promise.resolve({
        cachedFrames: Math.min(chunks * query.chunkFrames, query.outputFrames),
        cacheableFrames: Math.min(cacheChunks * query.chunkFrames, query.outputFrames),
      });
    },
  };
}

/** A disk that always reads `sample`; records the files it was given. */
export function fakeThroughputMeter(sample: ThroughputSample): ThroughputMeter & { readonly files: string[] } {
  const files: string[] = [];
  return {
    files,
    measure(given) {
      files.push(...given);
      return Promise.resolve(sample);
    },
  };
}
