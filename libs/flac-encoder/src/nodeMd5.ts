import { createHash } from 'node:crypto';
import type { Md5Factory } from './md5.js';

/**
 * MD5 by `node:crypto` (OpenSSL): ~750 MB/s here, ~2 ms for 5 s of 48 kHz 24-bit stereo, about
 * 8x the JS default. The one to pass as `md5` wherever the encoder runs in Node.
 *
 * @example
 * const flac = encodeFlac(channels, { sampleRate: 48000, bitsPerSample: 24, md5: nodeMd5 });
 */
export const nodeMd5: Md5Factory = () => {
  const hash = createHash('md5');
  return {
    update: (bytes) => void hash.update(bytes),
    digestHex: () => hash.digest('hex'),
  };
};
