#!/usr/bin/env node
// `npm start` (= `npm run play:demo`): builds the trax CLI, writes the demo setlist once (3 songs ×
// 12 stems × 60 s), then plays it headless in real time with a progress line. Extra arguments go
// to `trax play` (e.g. `npm start -- --seconds 10`). Stop with Ctrl+C.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const trax = path.join(root, 'apps/cli/bin/trax.js');
const run = (args, options = {}) => spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit', ...options });
const exit = (status) => process.exit(status ?? 1);

const build = run([path.join(root, 'tools/scripts/nx.mjs'), 'run', 'cli:build', '--outputStyle=static'], {
  env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
  stdio: ['inherit', 'ignore', 'inherit'],
});
if (build.status !== 0) exit(build.status);

const demo = run([trax, 'demo'], { stdio: ['inherit', 'pipe', 'inherit'], encoding: 'utf8' });
if (demo.status !== 0) exit(demo.status);
const setlist = demo.stdout.trim();
console.log(`Trax demo setlist: ${setlist}`);
console.log('Playing it headless in real time; press Ctrl+C to stop.');
exit(run([trax, 'play', setlist, '--realtime', ...process.argv.slice(2)]).status);
