import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const WORKSPACE_ROOT = fileURLToPath(new URL('../../../..', import.meta.url));

export interface ChildExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a `*.fixture.ts` script of this folder in a new Node process through tsx (TypeScript
 * sources, sibling libs by the `@trax/source` condition), with `argument` as JSON in argv[2]. With
 * `killAfterReadyMs`, SIGKILLs it that long after it prints `ready`. Jest's NODE_OPTIONS are not
 * passed on (the child is plain Node, not a Jest VM).
 */
export async function runFixtureScript(script: string, argument: unknown, killAfterReadyMs?: number): Promise<ChildExit> {
  const env = { ...process.env };
  delete env['NODE_OPTIONS'];
  const file = fileURLToPath(new URL(`./${script}`, import.meta.url));
  const child = spawn(process.execPath, ['--conditions=@trax/source', '--import', 'tsx', file, JSON.stringify(argument)], {
    cwd: WORKSPACE_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    const wasReady = stdout.includes('ready\n');
    stdout += text;
    if (killAfterReadyMs !== undefined && !wasReady && stdout.includes('ready\n')) setTimeout(() => child.kill('SIGKILL'), killAfterReadyMs);
  });
  const [code, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
  return { code, signal, stdout, stderr };
}

/** The last line a script printed, parsed as JSON. */
export function lastJsonLine<T>(exit: ChildExit): T {
  return JSON.parse(exit.stdout.trim().split('\n').at(-1) ?? 'null') as T;
}
