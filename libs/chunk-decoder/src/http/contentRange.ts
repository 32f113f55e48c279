/** A parsed `Content-Range` header: the bytes `[start, end)` sent of a `size`-byte file. */
export type ContentRange =
  | { readonly kind: 'bytes'; readonly start: number; readonly end: number; readonly size: number }
  /** `bytes *\/size`, sent with 416 (the range asked for lies outside the file). */
  | { readonly kind: 'unsatisfied'; readonly size: number };

/**
 * Parses `bytes a-b/size` and `bytes *\/size` (RFC 9110 §14.4); undefined for anything else,
 * including an unknown size (`/*`), which a stem cannot be read without.
 */
export function parseContentRange(header: string | null): ContentRange | undefined {
  if (header === null) return undefined;
  const unsatisfied = /^\s*bytes\s+\*\s*\/\s*(\d+)\s*$/i.exec(header);
  if (unsatisfied) return { kind: 'unsatisfied', size: Number(unsatisfied[1]) };
  const match = /^\s*bytes\s+(\d+)\s*-\s*(\d+)\s*\/\s*(\d+)\s*$/i.exec(header);
  if (!match) return undefined;
  const [start, last, size] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (last < start || last >= size) return undefined;
  return { kind: 'bytes', start, end: last + 1, size };
}
