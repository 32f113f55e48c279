#!/usr/bin/env node
// `npm test`: lint, typecheck and every project's tests through Nx, then one summary line
// `N passed, N failed` computed from the Jest JSON reports of all projects.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { summariseJestReports } from './jest-summary.mjs';

const workspaceRoot = path.resolve(import.meta.dirname, '../..');
const reports = path.join(workspaceRoot, 'reports/jest');
rmSync(reports, { recursive: true, force: true });

const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' };
const nx = (args) =>
  spawnSync(process.execPath, [path.join(workspaceRoot, 'tools/scripts/nx.mjs'), ...args], {
    stdio: 'inherit',
    cwd: workspaceRoot,
    env,
  }).status ?? 1;

// Every target runs even when an earlier one fails, so the summary covers all projects.
const status = nx(['run-many', '-t', 'lint', 'typecheck', 'test', '--nxBail=false', '--outputStyle=static']);
const summary = summariseJestReports(reports);
for (const failure of summary.failures) console.log(`FAILED ${failure}`);
console.log(`${summary.passed} passed, ${summary.failed} failed`);
process.exit(status !== 0 || summary.failed > 0 ? 1 : 0);
