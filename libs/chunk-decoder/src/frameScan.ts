import { parseFrameHeader, type FrameHeader } from './frameHeader.js';
import type { ByteOffset } from './units.js';

/** A frame header found at an absolute byte offset. */
export interface FoundHeader {
  readonly offset: ByteOffset;
  readonly header: FrameHeader;
}

/**
 * Calls `visit` for each CRC-8-valid frame header whose sync code starts in `[from, to)`, in
 * order, until `visit` returns true (then returns that header). `bytes` holds the file from
 * absolute offset `base`. Finding 0xFF bytes with `indexOf` (native memchr) keeps a scan of a
 * 20 KB frame to a few microseconds.
 */
export function scanHeaders(
  bytes: Uint8Array,
  base: ByteOffset,
  from: ByteOffset,
  to: ByteOffset,
  visit: (found: FoundHeader) => boolean,
): FoundHeader | undefined {
  const last = Math.min(to, base + bytes.length) - base;
  for (let i = Math.max(0, from - base); i < last; i++) {
    i = bytes.indexOf(0xff, i);
    if (i < 0 || i >= last) return undefined;
    if ((bytes[i + 1] & 0xfe) !== 0xf8) continue;
    const header = parseFrameHeader(bytes, i);
    if (!header) continue;
    const found = { offset: base + i, header };
    if (visit(found)) return found;
  }
  return undefined;
}
