import { build, type Plugin } from 'esbuild';
import path from 'node:path';

export interface BrowserBundleOptions {
  /** Output name (served as `/<name>.js`) → TypeScript or JavaScript entry file. */
  readonly entries: Readonly<Record<string, string>>;
  /**
   * `node:` modules that may be imported and are replaced by empty stubs. Default none: a
   * `node:` import fails the build, naming the importer (a browser entry must not load Node
   * modules). List one only for a module the browser code imports but never calls.
   */
  readonly stubNodeModules?: readonly string[];
}

/**
 * Bundles entry files for a browser page or a module Worker with esbuild: ES modules, one file
 * per entry (workers cannot use import maps), workspace libraries from their TypeScript source
 * (the `@trax/source` export condition), WebAssembly that packages inline kept inline. Returns
 * the files in memory, keyed by URL path, ready to pass as `serveStatic` routes.
 *
 * @example
 * ```ts
 * const files = await bundleForBrowser({ entries: { page: 'src/page.fixture.ts', worker: 'src/worker.ts' } });
 * const server = await serveStatic({ routes: { ...asRoutes(files), '/': { body: html, contentType: 'text/html' } } });
 * ```
 */
export async function bundleForBrowser(options: BrowserBundleOptions): Promise<Map<string, Uint8Array>> {
  const result = await build({
    entryPoints: Object.fromEntries(Object.entries(options.entries).map(([name, file]) => [name, path.resolve(file)])),
    bundle: true,
    write: false,
    outdir: '/bundle',
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['@trax/source', 'browser', 'module'],
    sourcemap: 'inline',
    logLevel: 'silent',
    plugins: [nodeModulesPolicy(options.stubNodeModules ?? [])],
  });
  return new Map(result.outputFiles.map((file) => [`/${path.relative('/bundle', file.path).split(path.sep).join('/')}`, file.contents]));
}

/** Bundled files as `serveStatic` routes (JavaScript content type). */
export function asRoutes(files: ReadonlyMap<string, Uint8Array>): Record<string, { body: Uint8Array; contentType: string }> {
  return Object.fromEntries([...files].map(([urlPath, body]) => [urlPath, { body, contentType: 'text/javascript; charset=utf-8' }]));
}

function nodeModulesPolicy(stubbed: readonly string[]): Plugin {
  return {
    name: 'trax-node-modules',
    setup(plugin) {
      plugin.onResolve({ filter: /^node:/ }, (args) =>
        stubbed.includes(args.path)
          ? { path: args.path, namespace: 'node-stub' }
          : { errors: [{ text: `${args.path} imported by ${path.relative(process.cwd(), args.importer)}: a browser bundle cannot load Node modules` }] },
      );
      // CommonJS, so that named imports of a stub resolve (to undefined) instead of failing the build.
      plugin.onLoad({ filter: /.*/, namespace: 'node-stub' }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
    },
  };
}
