import nx from '@nx/eslint-plugin';

// Module boundaries (issue #2): apps depend on libs, never the reverse; libs only in the direction
// chunk-decoder → streaming-cache → chunk-loader → engine-machines; streaming-buffer stands alone;
// flac-encoder (a codec) is a leaf any layer may use; test-audio is for tests, demos and benches only;
// reference-tools (the reference CLI tools tests compare against) depends on nothing, so even the
// codec's tests may use it.
export const depConstraints = [
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib', 'type:test-util'] },
  { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:lib', 'type:test-util'] },
  { sourceTag: 'type:test-util', onlyDependOnLibsWithTags: ['layer:codec', 'layer:test-base'] },
  { sourceTag: 'layer:test-base', onlyDependOnLibsWithTags: [] },
  { sourceTag: 'layer:codec', onlyDependOnLibsWithTags: ['layer:test-base'] },
  { sourceTag: 'layer:buffer', onlyDependOnLibsWithTags: [] },
  { sourceTag: 'layer:decoder', onlyDependOnLibsWithTags: ['type:test-util'] },
  { sourceTag: 'layer:cache', onlyDependOnLibsWithTags: ['layer:decoder', 'layer:codec', 'type:test-util'] },
  {
    sourceTag: 'layer:loader',
    onlyDependOnLibsWithTags: ['layer:cache', 'layer:decoder', 'layer:codec', 'type:test-util'],
  },
  {
    sourceTag: 'layer:engine',
    onlyDependOnLibsWithTags: ['layer:loader', 'layer:cache', 'layer:decoder', 'layer:buffer', 'layer:codec', 'type:test-util'],
  },
];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    ignores: ['**/dist', '**/node_modules', '**/.nx', '**/coverage', 'reports', '**/*.fixture-lint.ts'],
  },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.js', '**/*.mjs'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          banTransitiveDependencies: true,
          depConstraints,
        },
      ],
    },
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Tests may assert presence with `!` after checking it with expect().
    files: ['**/*.test.ts', '**/*.test.tsx'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
];
