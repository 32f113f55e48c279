import { spawnSync } from 'node:child_process';

/** The Debian package that installs each reference tool (the CI machine's `.ci/run` installs them). */
const PACKAGE_OF: Readonly<Record<string, string>> = { flac: 'flac', metaflac: 'flac', sox: 'sox', ffmpeg: 'ffmpeg' };

/** A reference tool a test compares against is missing where it must not be (under CI). */
export class ToolMissingError extends Error {
  override readonly name = 'ToolMissingError';
  constructor(
    readonly tool: string,
    readonly packageName: string,
  ) {
    super(`${tool} is required under CI (CI=true) but is not installed: apt-get install ${packageName}`);
  }
}

const present = new Map<string, boolean>();

/** Whether the command `name` runs here (`name --version` exits 0); asked once per process. */
export function hasTool(name: string): boolean {
  let found = present.get(name);
  if (found === undefined) {
    found = spawnSync(name, ['--version'], { stdio: 'ignore' }).status === 0;
    present.set(name, found);
  }
  return found;
}

/** What {@link requireTool} looks at; injectable so each case can be tested on any machine. */
export interface RequireToolContext {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly has: (name: string) => boolean;
  readonly warn: (message: string) => void;
}

const defaultContext = (): RequireToolContext => ({ env: process.env, has: hasTool, warn: (message) => console.warn(message) });

/**
 * Whether tests comparing against the reference tool `name` can run: true when it is installed.
 * When it is missing, a run under CI (`CI=true`) fails — a missing oracle must never turn into
 * silently skipped tests — and a local run prints one note and gets false, to skip those tests.
 *
 * @throws ToolMissingError missing under CI.
 * @example
 * const withFlac = requireTool('flac') ? describe : describe.skip;
 */
export function requireTool(name: string, context: RequireToolContext = defaultContext()): boolean {
  if (context.has(name)) return true;
  const packageName = PACKAGE_OF[name] ?? name;
  if (context.env['CI'] === 'true') throw new ToolMissingError(name, packageName);
  context.warn(`${name} is not installed: tests that compare against it are skipped (apt-get install ${packageName}; under CI they fail)`);
  return false;
}
