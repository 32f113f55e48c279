import type { DecodeOutcome, DecodePool, DecodeTask, StemHeader } from '../ports/DecodePool.js';
import type { DecoderFactory, DecoderOptions } from '../ports/StemDecoder.js';
import type { StemSource } from '../types.js';
import { DecoderRegistry, decodeSpan, headerOf } from './DecoderRegistry.js';

/**
 * A {@link DecodePool} that decodes on the calling thread, one task at a time (`workers: 0`): for
 * tests, tiny machines, and as the single-thread reference the worker pool is measured against.
 * Called on the loader's thread.
 *
 * @example
 * ```ts
 * const pool = new InlineDecodePool((path, o) => openFileDecoder(path, o), { chunkSeconds: 5 });
 * ```
 */
export class InlineDecodePool implements DecodePool {
  readonly size = 1;
  private readonly decoders: DecoderRegistry;
  private stopped = false;

  constructor(factory: DecoderFactory, options: DecoderOptions) {
    this.decoders = new DecoderRegistry(factory, options);
  }

  async probe(stem: StemSource): Promise<StemHeader> {
    this.assertRunning();
    // Kept open: this thread is also the one that will decode the stem.
    return headerOf(await this.decoders.get(stem));
  }

  async decode(task: DecodeTask): Promise<DecodeOutcome> {
    this.assertRunning();
    const started = performance.now();
    const pcm = await decodeSpan(await this.decoders.get(task.stem), task);
    return { ...pcm, decodeMs: performance.now() - started };
  }

  releaseSong(song: string): Promise<void> {
    return this.decoders.releaseSong(song);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.decoders.closeAll();
  }

  private assertRunning(): void {
    if (this.stopped) throw new Error('inline decode pool stopped');
  }
}
