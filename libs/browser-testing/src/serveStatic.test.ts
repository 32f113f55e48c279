import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sendFile } from './sendFile.js';
import { serveStatic, type StaticServer } from './serveStatic.js';

let dir: string;
let server: StaticServer;
const bytes = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) & 0xff);

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'trax-serve-static-'));
  await mkdir(path.join(dir, 'root'));
  await writeFile(path.join(dir, 'root', 'a.flac'), bytes);
  await writeFile(path.join(dir, 'secret.txt'), 'outside');
  await symlink(path.join(dir, 'secret.txt'), path.join(dir, 'root', 'link.txt'));
  server = await serveStatic({
    root: path.join(dir, 'root'),
    routes: {
      '/': { body: '<!doctype html>', contentType: 'text/html' },
      '/drop.flac': (req, res) => sendFile(req, res, path.join(dir, 'root', 'a.flac'), { dropAfterBytes: 100 }),
      '/echo': (req, res) => {
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        req.pipe(res);
      },
    },
  });
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

/** A raw request (fetch would normalise `..` away and hide what the server does with it). */
function raw(method: string, urlPath: string): Promise<{ status: number; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(server.url(urlPath), { method }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('serveStatic', () => {
  it('binds to 127.0.0.1', () => {
    expect(server.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('answers a range with 206, Content-Range, ETag, Last-Modified and the exact bytes', async () => {
    const response = await fetch(server.url('/a.flac'), { headers: { Range: 'bytes=100-199' } });
    expect(response.status).toBe(206);
    expect(response.headers.get('content-range')).toBe('bytes 100-199/1000');
    expect(response.headers.get('accept-ranges')).toBe('bytes');
    expect(response.headers.get('etag')).toMatch(/^"3e8-[0-9a-f]+"$/);
    expect(new Date(response.headers.get('last-modified')!).getTime()).toBeGreaterThan(0);
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(bytes.subarray(100, 200));
  });

  it('answers without a range with 200 and the whole file', async () => {
    const response = await fetch(server.url('/a.flac'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('audio/flac');
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(bytes);
  });

  it('answers a range past the end with 416 and the size', async () => {
    const response = await fetch(server.url('/a.flac'), { headers: { Range: 'bytes=1000-' } });
    expect(response.status).toBe(416);
    expect(response.headers.get('content-range')).toBe('bytes */1000');
  });

  it('sends the cross-origin isolation headers on every answer, errors included', async () => {
    for (const urlPath of ['/', '/a.flac', '/missing.flac']) {
      const response = await fetch(server.url(urlPath));
      await response.arrayBuffer();
      expect([response.headers.get('cross-origin-opener-policy'), response.headers.get('cross-origin-embedder-policy'), response.headers.get('cross-origin-resource-policy')]).toEqual([
        'same-origin',
        'require-corp',
        'same-origin',
      ]);
    }
  });

  it('never serves a file outside the root', async () => {
    expect((await raw('GET', '/../secret.txt')).status).toBe(404); // URL parsing removes the dot segments
    expect((await raw('GET', '/%2e%2e/secret.txt')).status).toBe(404);
    expect((await raw('GET', '/..%2Fsecret.txt')).status).toBe(403); // a slash that only decoding reveals
    expect((await raw('GET', '/link.txt')).status).toBe(403); // a symlink that leads out
    expect((await raw('GET', '/%E0%A4%A')).status).toBe(400);
    expect((await raw('GET', '/missing.flac')).status).toBe(404);
  });

  it('serves GET and HEAD only', async () => {
    const head = await raw('HEAD', '/a.flac');
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe('1000');
    const post = await raw('POST', '/a.flac');
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
  });

  it('lets handler routes see every method (a page posting results)', async () => {
    const response = await fetch(server.url('/echo'), { method: 'POST', body: 'posted' });
    expect([response.status, await response.text()]).toEqual([200, 'posted']);
    expect(response.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
  });

  it('records what it answered', async () => {
    const before = server.requests.length;
    await (await fetch(server.url('/a.flac'), { headers: { Range: 'bytes=0-9' } })).arrayBuffer();
    expect(server.requests.slice(before)).toEqual([{ method: 'GET', path: '/a.flac', range: 'bytes=0-9', status: 206 }]);
  });

  it('can drop the connection mid-body (fault injection)', async () => {
    const response = await fetch(server.url('/drop.flac'), { headers: { Range: 'bytes=0-999' } });
    expect(response.status).toBe(206);
    await expect(response.arrayBuffer()).rejects.toThrow();
  });

  it('ignores ranges when told to, like Python http.server', async () => {
    const plain = await serveStatic({ root: path.join(dir, 'root'), ranges: false });
    try {
      const response = await fetch(plain.url('/a.flac'), { headers: { Range: 'bytes=0-9' } });
      expect(response.status).toBe(200);
      expect(response.headers.get('accept-ranges')).toBeNull();
      expect((await response.arrayBuffer()).byteLength).toBe(1000);
    } finally {
      await plain.close();
    }
  });
});
