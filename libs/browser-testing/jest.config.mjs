import { jestConfig } from '../../jest.preset.mjs';

export default jestConfig(import.meta.dirname, { displayName: 'browser-testing', testTimeout: 60_000 });
