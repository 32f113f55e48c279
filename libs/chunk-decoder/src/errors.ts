import type { ByteOffset } from './units.js';

/**
 * The bytes are not a FLAC stream we can read: not FLAC at all, empty, or truncated or corrupt
 * inside the metadata. `offset` is where in the file the problem was found.
 *
 * @example
 * ```ts
 * try { await openFileDecoder('song/bass.flac'); }
 * catch (e) { if (e instanceof FlacFormatError) console.error(`${e.file} is broken at byte ${e.offset}`); }
 * ```
 */
export class FlacFormatError extends Error {
  override readonly name = 'FlacFormatError';
  constructor(
    readonly file: string,
    readonly offset: ByteOffset,
    problem: string,
  ) {
    super(`${file}: not a readable FLAC file (byte ${offset}): ${problem}`);
  }
}

/**
 * A valid FLAC stream that uses a feature this decoder refuses rather than risk wrong output
 * (for example 32-bit samples, which a Float32Array cannot carry exactly). Thrown by `open()`,
 * before any audio is decoded.
 *
 * @example
 * ```ts
 * try { await openFileDecoder(path); }
 * catch (e) { if (e instanceof UnsupportedFlacError) console.error(`re-encode ${e.file}: ${e.feature}`); }
 * ```
 */
export class UnsupportedFlacError extends Error {
  override readonly name = 'UnsupportedFlacError';
  constructor(
    readonly file: string,
    readonly feature: string,
    advice = 're-encode it as 16- or 24-bit FLAC (e.g. `flac -f --bps=24`)',
  ) {
    super(`${file}: unsupported FLAC feature: ${feature}; ${advice}`);
  }
}
