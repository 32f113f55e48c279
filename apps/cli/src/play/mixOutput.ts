import { WavWriter } from '@trax/engine-machines/node';
import { UsageError } from '../cliErrors.js';
import { openOutput } from '../output/outputStream.js';
import { encodeF32Interleaved, encodeS16Interleaved } from '../output/pcmFormats.js';

/** Encodings of `trax play --out -` (a headless player piping to `aplay`/`pw-play`). */
export type MixFormat = 'f32le' | 's16le';
export const MIX_FORMATS: readonly MixFormat[] = ['f32le', 's16le'];

/** Where `trax play --out` sends the stereo mix: a float32 WAV file, or raw PCM on stdout (`-`). */
export interface MixOutput {
  /** Appends interleaved stereo frames (the samples may be reused after the call). */
  writeInterleaved(samples: Float32Array, frames: number): void;
  /** Appends planar stereo frames. */
  writePlanar(channels: readonly Float32Array[], frames: number): void;
  /** Finishes the output; rejects with the first write error. */
  close(): Promise<void>;
}

export function checkMixFormat(format: string): MixFormat {
  if (!(MIX_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be ${MIX_FORMATS.join(' or ')}, not "${format}"`);
  return format as MixFormat;
}

export async function openMixOutput(target: string, format: MixFormat, sampleRate: number): Promise<MixOutput> {
  if (target !== '-') {
    const wav = await WavWriter.create(target, sampleRate, 2);
    return {
      writeInterleaved: (samples, frames) => wav.writeInterleaved(samples, frames),
      writePlanar: (channels, frames) => wav.write(channels, frames),
      close: () => wav.close(),
    };
  }
  // stdout: writes are queued in order and awaited at the end; the first failure (a closed pipe) is kept.
  const stream = openOutput('-');
  let pending: Promise<void> = Promise.resolve();
  const encode = format === 's16le' ? encodeS16Interleaved : encodeF32Interleaved;
  const write = (bytes: Buffer) => {
    pending = pending.then(() => stream.write(bytes));
  };
  const interleaved = new Float32Array(2 * 4096);
  return {
    writeInterleaved: (samples, frames) => write(encode(samples, frames * 2)),
    writePlanar: (channels, frames) => {
      for (let at = 0; at < frames; at += 4096) {
        const n = Math.min(4096, frames - at);
        for (let i = 0; i < n; i++) {
          interleaved[2 * i] = channels[0][at + i];
          interleaved[2 * i + 1] = channels[channels.length > 1 ? 1 : 0][at + i];
        }
        write(encode(interleaved, n * 2));
      }
    },
    close: async () => {
      await pending;
      await stream.finish();
    },
  };
}
