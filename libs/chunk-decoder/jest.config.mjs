import { jestConfig } from '../../jest.preset.mjs';

// Tests generate their FLAC fixtures with the flac CLI on first run (cached afterwards): allow it.
export default jestConfig(import.meta.dirname, { displayName: 'chunk-decoder', testTimeout: 120_000 });
