import { beforeAll, describe, expect, it } from '@jest/globals';
import { ESLint } from 'eslint';
import path from 'node:path';
import { readProjectGraph, workspaceRoot } from './workspace.js';

// Lints a probe file placed (virtually) inside a project, with the workspace's real ESLint config,
// and returns the module-boundary messages. Proves that lint refuses forbidden imports.
let eslint: ESLint;
beforeAll(() => {
  readProjectGraph(); // the boundaries rule reads the cached project graph: make sure it is current
  eslint = new ESLint({ cwd: workspaceRoot });
});

async function boundaryErrors(project: string, code: string): Promise<string[]> {
  const filePath = path.join(workspaceRoot, project, 'src', 'boundary-probe.ts');
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.filter((m) => m.ruleId === '@nx/enforce-module-boundaries').map((m) => m.message);
}

describe('module boundaries (lint)', () => {
  it.each([
    ['libs/chunk-decoder', '@trax/streaming-cache', 'a lower layer importing a higher one'],
    ['libs/streaming-cache', '@trax/chunk-loader', 'the cache importing the loader'],
    ['libs/chunk-loader', '@trax/engine-machines', 'the loader importing the engine'],
    ['libs/streaming-buffer', '@trax/chunk-decoder', 'streaming-buffer importing any lib'],
    ['libs/flac-encoder', '@trax/test-audio', 'the encoder importing test helpers'],
    ['libs/browser-testing', '@trax/chunk-decoder', 'the browser test harness importing a layer'],
  ])('%s may not import %s (%s)', async (project, target) => {
    const errors = await boundaryErrors(project, `import * as x from '${target}';\nexport { x };\n`);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.join('\n')).toMatch(/cannot depend on (any )?libs with tags|can only depend on libs tagged with|Circular dependency/);
  });

  it('refuses a relative import into another project', async () => {
    const errors = await boundaryErrors('libs/streaming-cache', `import * as x from '../../chunk-decoder/src/index.js';\nexport { x };\n`);
    expect(errors.join('\n')).toMatch(/cannot be imported by a relative or absolute path/);
  });

  it.each([
    ['libs/streaming-cache', '@trax/chunk-decoder'],
    ['libs/chunk-loader', '@trax/streaming-cache'],
    ['libs/engine-machines', '@trax/chunk-loader'],
    ['libs/engine-machines', '@trax/streaming-buffer'],
  ])('%s may import %s', async (project, target) => {
    expect(await boundaryErrors(project, `import * as x from '${target}';\nexport { x };\n`)).toEqual([]);
  });
});
