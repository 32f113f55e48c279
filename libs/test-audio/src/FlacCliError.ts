/**
 * The reference `flac` command is missing or failed. `file` is the FLAC file concerned,
 * `exitCode` the process status (undefined when it could not start), `stderr` what flac said.
 */
export class FlacCliError extends Error {
  readonly file: string;
  readonly exitCode: number | undefined;
  readonly stderr: string;

  constructor(file: string, message: string, details: { exitCode?: number; stderr?: string } = {}) {
    super(`${file}: ${message}${details.stderr ? `\n${details.stderr.trim()}` : ''}`);
    this.name = 'FlacCliError';
    this.file = file;
    this.exitCode = details.exitCode;
    this.stderr = details.stderr ?? '';
  }
}
