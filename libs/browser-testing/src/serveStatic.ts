import { realpath, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { contentTypeOf, sendFile } from './sendFile.js';

/** A handler for one URL path, any method (e.g. a misbehaving server in an error test, or where a page posts results). */
export type RouteHandler = (request: IncomingMessage, response: ServerResponse) => void | Promise<void>;

/** What one URL path answers: fixed content (a page, a bundle) or a handler of its own. */
export type Route = RouteHandler | { readonly body: string | Uint8Array; readonly contentType?: string };

export interface ServeStaticOptions {
  /** Files under this folder are served by URL path; nothing outside it (404/403). */
  readonly root?: string;
  /** Exact URL paths (`'/'`, `'/page.js'`) answered before files. */
  readonly routes?: Readonly<Record<string, Route>>;
  /** `false`: ignore `Range` headers, always 200 with the whole file (like Python's `http.server`). */
  readonly ranges?: boolean;
}

/** One answered request, as the server saw it. */
export interface ServedRequest {
  readonly method: string;
  readonly path: string;
  readonly range: string | undefined;
  readonly status: number;
}

export interface StaticServer {
  /** `http://127.0.0.1:PORT` (no trailing slash). */
  readonly origin: string;
  /** `origin` + `path` (which starts with `/`). */
  url(path: string): string;
  /** Every request answered so far, in order (for tests that count round trips). */
  readonly requests: readonly ServedRequest[];
  close(): Promise<void>;
}

/**
 * Headers on every response so the page is cross-origin isolated (`crossOriginIsolated`,
 * `SharedArrayBuffer`): COOP/COEP on documents, CORP on every subresource — worker and worklet
 * scripts included, which COEP `require-corp` otherwise blocks.
 */
export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/**
 * A static HTTP server on 127.0.0.1 (a free port) for tests: files under `root` with ranges,
 * `ETag` and `Last-Modified` as a real static host sends them, fixed routes for pages and
 * bundles, cross-origin isolation headers on every answer, `Cache-Control: no-store`. Files and
 * fixed routes answer GET and HEAD only (405 otherwise); handler routes see every method. A path
 * that leaves `root` (`..`, a symlink out) gets 403.
 *
 * @example
 * ```ts
 * const server = await serveStatic({ root: corpusDir, routes: { '/': { body: html, contentType: 'text/html' } } });
 * await page.goto(server.url('/'));
 * await server.close();
 * ```
 */
export async function serveStatic(options: ServeStaticOptions): Promise<StaticServer> {
  const root = options.root === undefined ? undefined : await realpath(options.root);
  const requests: ServedRequest[] = [];
  const server = createServer((request, response) => {
    for (const [name, value] of Object.entries(ISOLATION_HEADERS)) response.setHeader(name, value);
    response.setHeader('Cache-Control', 'no-store');
    response.on('close', () => requests.push({ method: request.method ?? '', path: request.url ?? '', range: request.headers.range, status: response.statusCode }));
    answer(request, response, root, options).catch((error: unknown) => {
      if (response.headersSent) response.destroy();
      else plain(response, 500, `${error instanceof Error ? error.message : String(error)}\n`);
    });
  });
  // Tests close the server while keep-alive connections (Chromium's, fetch's) are idle.
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    url: (urlPath) => `${origin}${urlPath}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

async function answer(request: IncomingMessage, response: ServerResponse, root: string | undefined, options: ServeStaticOptions): Promise<void> {
  let urlPath: string;
  try {
    urlPath = decodeURIComponent(new URL(request.url ?? '/', 'http://127.0.0.1').pathname);
  } catch {
    return plain(response, 400, 'malformed URL path\n');
  }
  const route = options.routes?.[urlPath];
  if (typeof route === 'function') return route(request, response); // any method: e.g. a page posting results
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.setHeader('Allow', 'GET, HEAD');
    return plain(response, 405, `${request.method} is not served here\n`);
  }
  if (route) {
    response.writeHead(200, { 'Content-Type': route.contentType ?? contentTypeOf(urlPath), 'Content-Length': String(Buffer.byteLength(route.body)) });
    response.end(request.method === 'HEAD' ? undefined : route.body);
    return;
  }
  const file = root === undefined || urlPath.includes('\0') ? undefined : await insideRoot(root, urlPath);
  if (file === null) return plain(response, 403, `${urlPath} is outside the served folder\n`);
  if (file === undefined && urlPath === '/favicon.ico') {
    response.writeHead(204).end(); // browsers ask for it; a 404 would be logged as a page error
    return;
  }
  if (file === undefined) return plain(response, 404, `${urlPath} not found\n`);
  return sendFile(request, response, file, options.ranges === undefined ? {} : { ranges: options.ranges });
}

/** The file `urlPath` names under `root`; `null` if it resolves outside, undefined if it is no file. */
async function insideRoot(root: string, urlPath: string): Promise<string | null | undefined> {
  const candidate = path.resolve(root, `.${urlPath}`);
  if (!isWithin(root, candidate)) return null;
  let real: string;
  try {
    real = await realpath(candidate);
  } catch {
    return undefined;
  }
  if (!isWithin(root, real)) return null;
  return (await stat(real)).isFile() ? real : undefined;
}

function isWithin(root: string, file: string): boolean {
  return file === root || file.startsWith(root + path.sep);
}

function plain(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': String(Buffer.byteLength(text)) });
  response.end(text);
}
