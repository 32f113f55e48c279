// Shared Jest setup: native ESM (ESM-only deps such as @wasm-audio-decoders/flac load as they do
// in production), TypeScript through ts-jest, sibling libs imported from source via the
// "@trax/source" export condition so tests never need a build first.
export function jestConfig(projectDir, overrides = {}) {
  return {
    rootDir: projectDir,
    testEnvironment: 'node',
    testEnvironmentOptions: { customExportConditions: ['@trax/source', 'node', 'node-addons'] },
    extensionsToTreatAsEsm: ['.ts', '.tsx'],
    moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
    transform: {
      '^.+\\.tsx?$': ['ts-jest', { useESM: true, tsconfig: `${projectDir}/tsconfig.spec.json` }],
    },
    testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/src/**/*.test.tsx', '<rootDir>/test/**/*.test.ts'],
    testPathIgnorePatterns: ['/node_modules/', '/dist/'],
    ...overrides,
  };
}
