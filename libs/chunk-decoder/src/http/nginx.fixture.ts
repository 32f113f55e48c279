// Test fixture: Debian's nginx-light serving a folder on 127.0.0.1, unprivileged, from a temp
// config — the static file host a band would really put its stems on.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

const NGINX = process.env.TRAX_NGINX || '/usr/sbin/nginx';

/**
 * Whether nginx can run here. Missing on a developer's machine: a notice, tests skip. Missing
 * under CI (`CI=true`): an error — `.ci/run` installs `nginx-light`.
 */
export function nginxAvailable(suite: string): boolean {
  if (spawnSync(NGINX, ['-v']).status === 0) return true;
  const message = `${suite}: nginx not found at ${NGINX} (apt-get install nginx-light)`;
  if (process.env.CI === 'true') throw new Error(`${message}; CI must run the nginx tests`);
  console.warn(`${message}: nginx tests skipped`);
  return false;
}

export interface Nginx {
  readonly origin: string;
  url(urlPath: string): string;
  stop(): Promise<void>;
}

/** Starts nginx in the foreground serving `root` on a free loopback port; waits until it answers. */
export async function startNginx(root: string): Promise<Nginx> {
  const dir = await mkdtemp(path.join(tmpdir(), 'trax-nginx-'));
  const port = await freePort();
  const conf = path.join(dir, 'nginx.conf');
  const temp = (name: string) => `${name}_temp_path ${path.join(dir, name)};`;
  await writeFile(
    conf,
    [
      'daemon off;',
      'master_process off;', // one process, running as us: no user switch, nothing to reap
      `pid ${path.join(dir, 'nginx.pid')};`,
      `error_log ${path.join(dir, 'error.log')};`,
      'events { worker_connections 64; }',
      'http {',
      '  access_log off;',
      `  ${['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(temp).join(' ')}`,
      '  types { audio/flac flac; }',
      `  server { listen 127.0.0.1:${port}; root ${root}; }`,
      '}',
    ].join('\n'),
  );
  const child = spawn(NGINX, ['-c', conf, '-p', dir, '-e', path.join(dir, 'error.log')], { stdio: 'ignore' });
  const origin = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await terminate(child);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitUntilAnswering(origin, child, path.join(dir, 'error.log'));
  } catch (error) {
    await stop();
    throw error;
  }
  return { origin, url: (urlPath) => `${origin}${urlPath}`, stop };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitUntilAnswering(origin: string, child: ChildProcess, errorLog: string): Promise<void> {
  for (let waited = 0; waited < 5_000; waited += 25) {
    if (child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode}: ${await readFile(errorLog, 'utf8').catch(() => '')}`);
    try {
      await (await fetch(`${origin}/`)).arrayBuffer();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
  throw new Error(`nginx did not answer on ${origin} within 5 s`);
}

function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGQUIT'); // graceful: nginx finishes open responses, then exits
  });
}
