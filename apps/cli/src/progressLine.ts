/**
 * A single self-overwriting status line on a TTY (a bar when a fraction is given). When the stream
 * is not a TTY or the line is quiet, nothing is drawn: scripts and CI logs stay clean.
 */
export class ProgressLine {
  private drawn = false;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly quiet = false,
  ) {}

  get enabled(): boolean {
    return !this.quiet && this.stream.isTTY === true;
  }

  update(text: string, fraction?: number): void {
    if (!this.enabled) return;
    const bar = fraction === undefined ? '' : ` [${'#'.repeat(Math.round(fraction * 20)).padEnd(20, '.')}]`;
    const width = this.stream.columns ?? 100;
    this.stream.write(`\r${`${text}${bar}`.slice(0, width - 1).padEnd(width - 1)}`);
    this.drawn = true;
  }

  end(): void {
    if (this.drawn) this.stream.write('\n');
    this.drawn = false;
  }
}
