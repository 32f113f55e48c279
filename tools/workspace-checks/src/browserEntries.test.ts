import { beforeAll, describe, expect, it } from '@jest/globals';
import { build, type Metafile, type Plugin } from 'esbuild';
import { builtinModules } from 'node:module';
import { runInNewContext } from 'node:vm';
import { workspaceRoot } from './workspace.js';

// Each lib's main entry must run in a browser page or worker, and a `./realtime` entry in an
// AudioWorklet. esbuild bundles each entry for the browser, from source (the `@trax/source`
// condition), exactly as an app's bundler would; a test fails naming the import chain that reaches
// a Node module, or (for `./realtime`) xstate or rxjs. Add a lib here once its main entry is
// browser-safe.
const BROWSER_ENTRIES: readonly string[] = [
  '@trax/chunk-decoder',
  '@trax/flac-encoder',
  '@trax/streaming-buffer',
  '@trax/streaming-buffer/realtime',
  '@trax/streaming-cache',
  '@trax/engine-machines',
  '@trax/engine-machines/realtime',
];

/** Packages the audio thread must never load: they allocate, schedule and may throw. */
const NOT_REALTIME = ['xstate', 'rxjs'];

const NODE_BUILTINS = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

interface NodeImport {
  readonly module: string;
  readonly importer: string;
}

interface Bundle {
  readonly code: string;
  readonly metafile: Metafile;
  readonly nodeImports: NodeImport[];
}

/** Bundles `specifier` for the browser; Node builtins are recorded (and left out) instead of failing the build. */
async function bundle(specifier: string): Promise<Bundle> {
  const nodeImports: NodeImport[] = [];
  const recordNode: Plugin = {
    name: 'record-node-builtins',
    setup(plugin) {
      plugin.onResolve({ filter: /.*/ }, (args) => {
        if (!NODE_BUILTINS.has(args.path)) return undefined;
        nodeImports.push({ module: args.path, importer: args.importer });
        return { path: args.path, external: true };
      });
    },
  };
  const result = await build({
    stdin: { contents: `export * from '${specifier}';`, resolveDir: workspaceRoot, sourcefile: `<${specifier}>`, loader: 'ts' },
    absWorkingDir: workspaceRoot,
    bundle: true,
    write: false,
    platform: 'browser',
    format: 'iife',
    globalName: 'entry',
    conditions: ['@trax/source'],
    metafile: true,
    logLevel: 'silent',
    plugins: [recordNode],
  });
  return { code: result.outputFiles[0].text, metafile: result.metafile, nodeImports };
}

/** `<entry> → a.ts → b.ts → target`: how the entry reaches `target` (a bundled file), by the shortest chain. */
function importChain(metafile: Metafile, entry: string, target: string): string {
  const previous = new Map<string, string>([[entry, '']]);
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.shift() as string;
    if (file === target) break;
    for (const { path } of metafile.inputs[file]?.imports ?? []) {
      if (previous.has(path)) continue;
      previous.set(path, file);
      queue.push(path);
    }
  }
  const chain: string[] = [];
  for (let file: string | undefined = target; file; file = previous.get(file)) chain.unshift(file);
  return chain.join(' → ');
}

/** The importer path as the metafile names it (relative to the working directory). */
function metafileName(importer: string): string {
  return importer.startsWith(`${workspaceRoot}/`) ? importer.slice(workspaceRoot.length + 1) : importer;
}

/** Bundled files of `NOT_REALTIME` packages, each with the chain that loads it. */
function notRealtime(metafile: Metafile, entry: string): string[] {
  const banned = Object.keys(metafile.inputs).filter((file) => NOT_REALTIME.some((name) => file.includes(`node_modules/${name}/`)));
  return banned.map((file) => importChain(metafile, entry, file));
}

function nodeChains(result: Bundle, entry: string): string[] {
  return result.nodeImports.map(({ module, importer }) => `${importChain(result.metafile, entry, metafileName(importer))} → ${module}`);
}

/**
 * Runs a bundle (an IIFE assigning `entry`) in a context with what a page and its workers have
 * besides the JS built-ins, and nothing of Node's: top-level code that touches a Node global
 * (process, Buffer, require, global) throws. `Worker` only needs to exist: the WebAssembly FLAC
 * decoder's worker wrapper reads it at import time, as browsers provide it. Returns the exports.
 */
function evaluateInBrowser(code: string, filename: string): Record<string, unknown> {
  const context: Record<string, unknown> = {
    ...{ console, TextEncoder, TextDecoder, URL, Blob, atob, btoa, crypto, performance, queueMicrotask, setTimeout, clearTimeout },
    Worker: class Worker {},
  };
  context['self'] = context;
  runInNewContext(`${code}\nself.entry = entry;`, context, { filename });
  return context['entry'] as Record<string, unknown>;
}

describe.each(BROWSER_ENTRIES)('%s bundled for the browser', (specifier) => {
  const entry = `<${specifier}>`;
  let result: Bundle;
  beforeAll(async () => {
    result = await bundle(specifier);
  }, 60_000);

  it('imports no Node module, directly or through any dependency', () => {
    expect(nodeChains(result, entry)).toEqual([]);
  });

  it('evaluates without Node globals (no process, Buffer, require, global at import time)', () => {
    expect(Object.keys(evaluateInBrowser(result.code, specifier)).length).toBeGreaterThan(0);
  });

  if (specifier.endsWith('/realtime')) {
    it(`loads none of ${NOT_REALTIME.join(', ')} (audio-thread code)`, () => {
      expect(notRealtime(result.metafile, entry)).toEqual([]);
    });
  }
});

describe('the browser-entry check itself', () => {
  it('names the import chain that reaches a Node module', async () => {
    const result = await bundle('@trax/chunk-decoder/node');
    expect(nodeChains(result, '<@trax/chunk-decoder/node>')).toContain(
      '<@trax/chunk-decoder/node> → libs/chunk-decoder/src/node.ts → libs/chunk-decoder/src/fileSource.ts → node:fs/promises',
    );
  }, 60_000);

  it('fails code that touches a Node global at import time', () => {
    expect(() => evaluateInBrowser('var entry = { pid: process.pid };', 'probe')).toThrow(/process is not defined/);
    expect(() => evaluateInBrowser('var entry = { bytes: Buffer.from([1]) };', 'probe')).toThrow(/Buffer is not defined/);
  });

  it('notices xstate in a bundle', async () => {
    const result = await bundle('xstate');
    expect(notRealtime(result.metafile, '<xstate>').length).toBeGreaterThan(0);
  }, 60_000);
});
