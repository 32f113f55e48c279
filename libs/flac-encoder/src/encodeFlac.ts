import { checkChannels, FlacStreamEncoder } from './FlacStreamEncoder.js';
import type { FlacEncodeOptions } from './options.js';

/**
 * Encodes planar integer PCM (one Int32Array per channel, equal lengths, values within
 * `bitsPerSample`) to a complete FLAC file: "fLaC", STREAMINFO with the MD5 of the PCM, min/max
 * frame size and total samples, an optional SEEKTABLE and PADDING, then the frames.
 *
 * @throws FlacEncodeError for bad options, mismatched channels or a sample out of range.
 * @example
 * const left = Int32Array.from({ length: 48000 }, (_, i) => Math.round(8e6 * Math.sin(i / 20)));
 * const flac = encodeFlac([left, left], { sampleRate: 48000, bitsPerSample: 24 });
 * await writeFile('tone.flac', flac);
 */
export function encodeFlac(channels: Int32Array[], options: FlacEncodeOptions): Uint8Array {
  const totalSamples = checkChannels(channels, channels.length);
  const encoder = new FlacStreamEncoder({ ...options, channels: channels.length, totalSamples });
  const body = encoder.push(channels);
  const end = encoder.finish();
  const file = new Uint8Array(end.header.length + body.length + end.frames.length);
  file.set(end.header, 0);
  file.set(body, end.header.length);
  file.set(end.frames, end.header.length + body.length);
  return file;
}
