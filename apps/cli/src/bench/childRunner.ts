import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BenchChildError, BenchTimeoutError } from './benchErrors.js';
import { RESULT_PREFIX } from './children/childProtocol.js';
import type { ChildJob } from './children/childProtocol.js';

/** GNU time: its `-v` report gives a child's peak RSS over its whole life (Debian package `time`). */
export const GNU_TIME = '/usr/bin/time';

export interface ChildRun<T> {
  readonly result: T;
  /** Spawn → exit, wall clock. */
  readonly wallMs: number;
  /** Peak RSS of the whole child process from `/usr/bin/time -v`; null without GNU time. */
  readonly maxRssBytes: number | null;
  /** Epoch ms (sub-ms) just before the spawn. */
  readonly spawnedAtEpochMs: number;
}

export interface CommandRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly wallMs: number;
  readonly maxRssBytes: number | null;
  /** `performance.timeOrigin + performance.now()` just before the spawn (epoch ms, sub-ms). */
  readonly spawnedAtEpochMs: number;
}

export function hasGnuTime(): boolean {
  return existsSync(GNU_TIME);
}

/**
 * How to start Node on one of the CLI's own modules: built (`dist/**.js`) as is; from source
 * (`tsx`, jest) through tsx with the sibling libraries' sources, as `trax` itself runs from source.
 */
export function nodeArgsFor(moduleUrl: URL): string[] {
  const file = fileURLToPath(moduleUrl);
  // tsx resolved here, so the child finds it whatever its working folder.
  return file.endsWith('.ts') ? ['--conditions=@trax/source', '--import', import.meta.resolve('tsx'), file] : [file];
}

/** The child entry next to this module, in the same form (.ts or .js) as this module. */
function childEntry(): URL {
  const extension = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
  return new URL(`./children/benchChild.${extension}`, import.meta.url);
}

/** Parses "Maximum resident set size (kbytes): N" from GNU time's report. */
export function parseGnuTimeMaxRss(stderr: string): number | null {
  const match = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
  return match ? Number(match[1]) * 1024 : null;
}

/**
 * Runs a command to its end, under `/usr/bin/time -v` when `measureRss` and GNU time is there.
 * Nothing of this process's NODE_OPTIONS reaches the child (jest sets some).
 */
export function runCommand(command: string, args: readonly string[], options: { timeoutMs: number; measureRss?: boolean; env?: NodeJS.ProcessEnv }): Promise<CommandRun> {
  const timed = options.measureRss === true && hasGnuTime();
  const [file, argv] = timed ? [GNU_TIME, ['-v', command, ...args]] : [command, [...args]];
  return new Promise((resolve, reject) => {
    const spawnedAtEpochMs = performance.timeOrigin + performance.now();
    const started = performance.now();
    // Same process group as the bench, so Ctrl+C reaches the child too. On a timeout only the
    // direct child is killed: under GNU time, the node process below it ends on its own timeouts.
    const child = spawn(file, argv, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...options.env, NODE_OPTIONS: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (data: Buffer) => (stdout += data.toString()));
    child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const wallMs = performance.now() - started;
      if (wallMs >= options.timeoutMs) return reject(new BenchTimeoutError(`${command} ${args.slice(-3).join(' ')}`.slice(0, 200), wallMs));
      resolve({ code, stdout, stderr, wallMs, maxRssBytes: timed ? parseGnuTimeMaxRss(stderr) : null, spawnedAtEpochMs });
    });
  });
}

/** Runs one bench job in a child process and returns its result. */
export async function runChild<T>(job: ChildJob, options: { timeoutMs: number; measureRss?: boolean }): Promise<ChildRun<T>> {
  const run = await runCommand(process.execPath, [...nodeArgsFor(childEntry()), JSON.stringify(job)], options);
  const line = run.stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
  if (run.code !== 0 || !line) {
    const tail = run.stderr.split('\n').filter((l) => l.trim() && !/^\s+\S.*: /.test(l)).slice(-3).join(' | ');
    throw new BenchChildError(job.mode, run.code, tail.slice(0, 400));
  }
  return { result: JSON.parse(line.slice(RESULT_PREFIX.length)) as T, wallMs: run.wallMs, maxRssBytes: run.maxRssBytes, spawnedAtEpochMs: run.spawnedAtEpochMs };
}
