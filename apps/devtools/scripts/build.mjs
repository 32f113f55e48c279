#!/usr/bin/env node
// Builds the devtools with Vite's JS API, so the build finds Vite wherever npm placed it (hoisted
// or in apps/devtools/node_modules) without relying on a `vite` binary on PATH.
import { build } from 'vite';

await build({ configFile: new URL('../vite.config.ts', import.meta.url).pathname, logLevel: 'warn' });
