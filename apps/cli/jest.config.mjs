import { jestConfig } from '../../jest.preset.mjs';

// The e2e tests start `trax` processes (tsx from source): a few seconds each on a loaded 2-core machine.
// They never write into the user's data folder (see dataDir.fixture.ts).
export default jestConfig(import.meta.dirname, { displayName: 'cli', testTimeout: 60_000, setupFiles: ['<rootDir>/src/e2e/dataDir.fixture.ts'] });
