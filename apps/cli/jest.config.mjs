import { jestConfig } from '../../jest.preset.mjs';

// The e2e tests start `trax` processes (tsx from source): a few seconds each on a loaded 2-core machine.
export default jestConfig(import.meta.dirname, { displayName: 'cli', testTimeout: 60_000 });
