/** Exit codes of `trax` (a contract): 0 success, 1 failure, 2 bad usage. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** A usage error (bad option value, conflicting options): exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** One line for stderr: errors from the libs already name the file and the problem. */
export function errorLine(error: unknown): string {
  if (error instanceof Error) return error.message.split('\n')[0];
  return String(error);
}
