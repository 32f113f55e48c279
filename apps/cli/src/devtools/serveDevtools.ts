import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { isLoopbackBindHost } from '../inspect/inspectServer.js';

export class DevtoolsBindError extends Error {
  readonly host: string;
  constructor(host: string) {
    super(`refusing to serve the devtools on ${host}: only loopback (127.0.0.1, ::1) is allowed`);
    this.name = 'DevtoolsBindError';
    this.host = host;
  }
}

export class DevtoolsNotBuiltError extends Error {
  readonly directory: string;
  constructor(directory: string) {
    super(`the devtools are not built (${path.join(directory, 'index.html')} is missing): run \`npx nx run devtools:build\` or \`npm run devtools\``);
    this.name = 'DevtoolsNotBuiltError';
    this.directory = directory;
  }
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/** The page may load only its own files and open WebSockets (the app itself asks before leaving loopback). */
const HEADERS = {
  'content-security-policy': "default-src 'self'; connect-src 'self' ws: wss:; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

export interface DevtoolsServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** A request's Host must name this loopback server (stops DNS rebinding: a page elsewhere reaching it by name). */
function hostAllowed(req: IncomingMessage, port: number): boolean {
  const host = (req.headers.host ?? '').toLowerCase();
  return [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`].includes(host);
}

/** The file under `root` a URL path names, or null when it would leave `root` or is not valid. */
export function resolveStaticPath(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0]);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const file = path.resolve(root, `.${path.posix.normalize(`/${decoded}`)}`);
  return file === root || file.startsWith(`${root}${path.sep}`) ? file : null;
}

/**
 * Serves the built devtools (a folder with index.html) on 127.0.0.1 only: GET/HEAD of files under
 * the folder, `/` → index.html; anything else is a 4xx, never a file outside the folder.
 */
export async function serveDevtools(options: { directory: string; port: number; host?: string }): Promise<DevtoolsServer> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopbackBindHost(host)) throw new DevtoolsBindError(host);
  const root = path.resolve(options.directory);
  if (!(await stat(path.join(root, 'index.html')).catch(() => null))?.isFile()) throw new DevtoolsNotBuiltError(root);
  let port = 0;
  const reply = (res: ServerResponse, status: number, text: string) => res.writeHead(status, { ...HEADERS, 'content-type': 'text/plain; charset=utf-8' }).end(`${text}\n`);

  const server = createServer(async (req, res) => {
    if (!hostAllowed(req, port)) return reply(res, 403, 'forbidden host');
    if (req.method !== 'GET' && req.method !== 'HEAD') return reply(res, 405, 'method not allowed');
    const urlPath = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const file = resolveStaticPath(root, urlPath === '/' ? '/index.html' : urlPath);
    if (!file) return reply(res, 400, 'bad path');
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) return reply(res, 404, 'not found');
    res.writeHead(200, { ...HEADERS, 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'content-length': info.size });
    if (req.method === 'HEAD') return res.end();
    createReadStream(file).on('error', () => res.destroy()).pipe(res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host === 'localhost' ? '127.0.0.1' : host, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const shown = host === '::1' ? '[::1]' : '127.0.0.1';
  return {
    port,
    url: `http://${shown}:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
