import { jestConfig } from '../../jest.preset.mjs';

export default jestConfig(import.meta.dirname, {
  displayName: 'devtools',
  testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/e2e/**/*.test.ts'],
});
