import { open } from 'node:fs/promises';
import type { ThroughputMeter } from '../check/checkPorts.js';

export interface NodeThroughputOptions {
  /** Stop after reading this many bytes in all. Default 64 MiB: long enough to average out seeks, short enough for a pre-show check. */
  readonly budgetBytes?: number;
  /** Bytes per read. Default 1 MiB, the order of a chunk of one stem (5 s of 24-bit stereo FLAC ≈ 0.5–1 MB). */
  readonly blockBytes?: number;
}

/**
 * The Node {@link ThroughputMeter}: reads the files from their start, one after another, in
 * `blockBytes` reads, until `budgetBytes` are read (or the files end), and times it. Files the OS
 * has in its page cache (e.g. played or checked a moment ago) read at memory speed; that is what
 * playback sees too, so the figure is not corrected for it.
 */
export function nodeThroughputMeter(options: NodeThroughputOptions = {}): ThroughputMeter {
  const budget = options.budgetBytes ?? 64 * 1024 * 1024;
  const blockBytes = options.blockBytes ?? 1024 * 1024;
  return {
    async measure(files) {
      const block = new Uint8Array(blockBytes);
      let bytes = 0;
      const started = performance.now();
      for (const file of files) {
        if (bytes >= budget) break;
        const handle = await open(file, 'r');
        try {
          for (;;) {
            const { bytesRead } = await handle.read(block, 0, Math.min(blockBytes, budget - bytes), null);
            bytes += bytesRead;
            if (bytesRead === 0 || bytes >= budget) break;
          }
        } finally {
          await handle.close();
        }
      }
      return { bytes, seconds: (performance.now() - started) / 1000 };
    },
  };
}
