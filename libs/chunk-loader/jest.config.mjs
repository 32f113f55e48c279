import { jestConfig } from '../../jest.preset.mjs';

// Worker threads, FLAC tools and Chromium: seconds each on a loaded 2-core machine.
export default jestConfig(import.meta.dirname, { displayName: 'chunk-loader', testTimeout: 60_000 });
