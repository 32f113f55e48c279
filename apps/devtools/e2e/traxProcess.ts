import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export const workspaceRoot = path.resolve(import.meta.dirname, '../../..');
const main = path.join(workspaceRoot, 'apps/cli/src/main.ts');

export interface TraxProcess {
  readonly child: ChildProcess;
  /** The first match of `pattern` in the process's stdout or stderr. */
  readonly match: Promise<RegExpExecArray>;
  readonly exited: Promise<number | null>;
  output(): string;
  stop(): Promise<void>;
}

/** Runs `trax` from source (tsx, sibling libs from source), as the CLI's own e2e tests do, and watches its output for `pattern`. */
export function startTrax(args: string[], pattern: RegExp): TraxProcess {
  const child = spawn(process.execPath, ['--conditions=@trax/source', '--import', 'tsx', main, ...args], {
    cwd: workspaceRoot,
    env: { ...process.env, NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  const match = new Promise<RegExpExecArray>((resolve, reject) => {
    const look = (d: Buffer) => {
      output += d.toString();
      const m = pattern.exec(output);
      if (m) resolve(m);
    };
    child.stdout?.on('data', look);
    child.stderr?.on('data', look);
    void exited.then((code) => reject(new Error(`trax ${args[0]} ended (${code}) before printing ${pattern}: ${output}`)));
  });
  match.catch(() => undefined);
  return {
    child,
    match,
    exited,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
      await exited;
    },
  };
}
