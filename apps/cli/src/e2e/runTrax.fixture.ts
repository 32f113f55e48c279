import { spawn } from 'node:child_process';
import path from 'node:path';

export const workspaceRoot = path.resolve(import.meta.dirname, '../../../..');
const main = path.join(workspaceRoot, 'apps/cli/src/main.ts');

export interface TraxRun {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

/** Runs `trax` from source as a child process (tsx, sibling libs from source), the way a user runs it. */
export function runTrax(args: string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<TraxRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=@trax/source', '--import', 'tsx', main, ...args], {
      cwd: workspaceRoot,
      env: { ...process.env, ...options.env, NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out), stderr });
    });
  });
}
