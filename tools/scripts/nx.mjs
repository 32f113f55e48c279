#!/usr/bin/env node
// Runs the workspace's own Nx (node_modules/nx) with the given arguments, without npx, and
// without the Nx daemon or cloud (neither is wanted here; the daemon doesn't start without a TTY).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const nxPackage = createRequire(import.meta.url).resolve('nx/package.json');
const nxBin = path.join(path.dirname(nxPackage), JSON.parse(readFileSync(nxPackage, 'utf8')).bin.nx);
process.env.NX_DAEMON ??= 'false';
process.env.NX_NO_CLOUD ??= 'true';
process.argv.splice(1, 1, nxBin);
await import(nxBin);
