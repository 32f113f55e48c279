import { jestConfig } from '../../jest.preset.mjs';

export default jestConfig(import.meta.dirname, { displayName: 'workspace-checks', testTimeout: 120_000 });
