/**
 * Input the encoder cannot turn into a valid FLAC stream (bad option, channel arrays of different
 * lengths, a sample outside the declared bit depth, use after `finish()`). `option` names the
 * offending option or input; `channel`/`sampleIndex` locate a bad sample when there is one.
 */
export class FlacEncodeError extends Error {
  readonly option: string;
  readonly channel: number | undefined;
  readonly sampleIndex: number | undefined;

  constructor(option: string, message: string, location: { channel?: number; sampleIndex?: number } = {}) {
    super(message);
    this.name = 'FlacEncodeError';
    this.option = option;
    this.channel = location.channel;
    this.sampleIndex = location.sampleIndex;
  }
}
