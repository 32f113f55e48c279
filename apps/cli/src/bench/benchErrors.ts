/** A bench step waited longer than it should: names the step, so the table can say what failed. */
export class BenchTimeoutError extends Error {
  override readonly name = 'BenchTimeoutError';
  constructor(
    readonly step: string,
    readonly waitedMs: number,
  ) {
    super(`bench: gave up waiting for ${step} after ${Math.round(waitedMs)} ms`);
  }
}

/** A child process of the bench ended without a result. */
export class BenchChildError extends Error {
  override readonly name = 'BenchChildError';
  constructor(
    readonly mode: string,
    readonly exitCode: number | null,
    readonly stderrTail: string,
  ) {
    super(`bench child "${mode}" exited with ${exitCode} and no result${stderrTail ? `: ${stderrTail}` : ''}`);
  }
}

/** One line from any error, for the table's notes and the JSON. */
export function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0] : String(error);
}
