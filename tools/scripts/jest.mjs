#!/usr/bin/env node
// Runs one project's Jest suite the way every project needs it: native ESM
// (--experimental-vm-modules), JSON results in reports/jest/<project>.json for the
// workspace summary line, and extra CLI arguments passed through (e.g. -t "pattern").
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const [projectRoot, projectName, ...rest] = process.argv.slice(2);
if (!projectRoot || !projectName) {
  console.error('usage: jest.mjs <projectRoot> <projectName> [jest args...]');
  process.exit(2);
}
const workspaceRoot = path.resolve(import.meta.dirname, '../..');
const reports = path.join(workspaceRoot, 'reports/jest');
mkdirSync(reports, { recursive: true });
const jestPackage = createRequire(import.meta.url).resolve('jest/package.json');
const jestBin = path.join(path.dirname(jestPackage), 'bin/jest.js');
const result = spawnSync(
  process.execPath,
  [
    '--experimental-vm-modules',
    '--no-warnings=ExperimentalWarning',
    jestBin,
    '-c',
    path.join(workspaceRoot, projectRoot, 'jest.config.mjs'),
    '--json',
    `--outputFile=${path.join(reports, `${projectName}.json`)}`,
    '--passWithNoTests',
    ...rest,
  ],
  { stdio: 'inherit', cwd: workspaceRoot },
);
process.exit(result.status ?? 1);
