#!/usr/bin/env node
// The `trax` command. Runs the built CLI (apps/cli/dist); `npm start` and `npm run trax` build it
// first. In the repo you can also run from source: `npx tsx --conditions=@trax/source apps/cli/src/main.ts`.
import { existsSync } from 'node:fs';

const main = new URL('../dist/main.js', import.meta.url);
if (!existsSync(main)) {
  console.error('trax: the CLI is not built yet; run `npx nx run cli:build` (or `npm start`) first');
  process.exit(1);
}
await import(main.href);
