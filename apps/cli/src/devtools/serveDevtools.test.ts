import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { DevtoolsBindError, DevtoolsNotBuiltError, resolveStaticPath, serveDevtools, type DevtoolsServer } from './serveDevtools.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'trax-devtools-serve-'));
const root = path.join(tmp, 'dist');
let server: DevtoolsServer;

beforeAll(async () => {
  mkdirSync(path.join(root, 'assets'), { recursive: true });
  writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>devtools</title>');
  writeFileSync(path.join(root, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(path.join(tmp, 'secret.txt'), 'outside');
  server = await serveDevtools({ directory: root, port: 0 });
});
afterAll(async () => {
  await server.close();
  rmSync(tmp, { recursive: true, force: true });
});

/** A raw request (no URL normalisation by a client library), with a chosen Host header. */
function get(rawPath: string, options: { method?: string; host?: string } = {}): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path: rawPath, method: options.method ?? 'GET', headers: { host: options.host ?? `127.0.0.1:${server.port}` } }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('serveDevtools', () => {
  it('serves the app on 127.0.0.1 with its content types and a strict policy', async () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
    const index = await get('/');
    expect(index).toMatchObject({ status: 200, body: '<!doctype html><title>devtools</title>' });
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.headers['content-security-policy']).toContain("default-src 'self'");
    expect((await get('/assets/app.js?v=1')).headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await get('/', { method: 'HEAD' })).status).toBe(200);
  });

  it.each(['/../secret.txt', '/assets/../../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/%00index.html', '/%E0%A4%A'])('never serves a file outside its folder: %s', async (p) => {
    const res = await get(p);
    expect([400, 404]).toContain(res.status);
    expect(res.body).not.toContain('outside');
  });

  it('answers 404, 405 and 403 (another Host: DNS rebinding)', async () => {
    expect((await get('/nothing.js')).status).toBe(404);
    expect((await get('/', { method: 'POST' })).status).toBe(405);
    expect((await get('/', { host: 'evil.example:80' })).status).toBe(403);
    expect((await get('/', { host: `localhost:${server.port}` })).status).toBe(200);
  });

  it.each(['0.0.0.0', '::', '192.168.1.10'])('refuses to bind to %s', async (host) => {
    await expect(serveDevtools({ directory: root, port: 0, host })).rejects.toBeInstanceOf(DevtoolsBindError);
  });

  it('says how to build the app when it is not built', async () => {
    await expect(serveDevtools({ directory: path.join(tmp, 'missing'), port: 0 })).rejects.toBeInstanceOf(DevtoolsNotBuiltError);
  });

  it('resolves URL paths inside the root only', () => {
    expect(resolveStaticPath('/srv/app', '/assets/a.js')).toBe('/srv/app/assets/a.js');
    expect(resolveStaticPath('/srv/app', '/../../etc/passwd')).toBe('/srv/app/etc/passwd');
    expect(resolveStaticPath('/srv/app', '/%ZZ')).toBeNull();
  });
});
