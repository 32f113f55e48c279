import { jestConfig } from '../../jest.preset.mjs';

export default jestConfig(import.meta.dirname, { displayName: 'cli', setupFiles: ['<rootDir>/src/e2e/dataDir.fixture.ts'] });
