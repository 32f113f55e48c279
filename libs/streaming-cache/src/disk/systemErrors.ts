/** Whether `error` is a Node-style system error (the file system port's contract) with one of `codes`. */
export function isCode(error: unknown, ...codes: string[]): boolean {
  return typeof error === 'object' && error !== null && codes.includes((error as { code?: unknown }).code as string);
}

/** A short reason for a log line: the system error code (`ENOSPC`) when there is one, else the message. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return (error as { code?: string }).code ?? error.message;
  return String(error);
}
