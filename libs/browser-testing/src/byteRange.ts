/** What a `Range` request header asks of a file of `size` bytes (RFC 9110 §14). */
export type RangeRequest =
  /** No `Range` header: send the whole file (200). */
  | { readonly kind: 'whole' }
  /** One satisfiable range: send bytes `[start, end)` (206). */
  | { readonly kind: 'range'; readonly start: number; readonly end: number }
  /** Syntactically valid but outside the file, or a form this server does not serve (416). */
  | { readonly kind: 'unsatisfiable'; readonly reason: string };

/**
 * Parses a `Range` header against a file size. Serves one `bytes=` range (`a-b`, `a-`, `-n`);
 * anything else — other units, several ranges, garbage — is refused with 416 rather than
 * ignored, so a test of a client sees at once that it sent something unexpected.
 *
 * @example
 * ```ts
 * parseRange('bytes=0-99', 1000);  // { kind: 'range', start: 0, end: 100 }
 * parseRange('bytes=-10', 1000);   // { kind: 'range', start: 990, end: 1000 }
 * ```
 */
export function parseRange(header: string | undefined, size: number): RangeRequest {
  if (header === undefined) return { kind: 'whole' };
  const match = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!match || (match[1] === '' && match[2] === ''))
    return { kind: 'unsatisfiable', reason: `unsupported Range header ${JSON.stringify(header)} (one bytes=a-b range only)` };
  const [, first, last] = match;
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return { kind: 'unsatisfiable', reason: `empty suffix range of a ${size}-byte file` };
    return { kind: 'range', start: Math.max(0, size - suffix), end: size };
  }
  const start = Number(first);
  const end = last === '' ? size : Math.min(size, Number(last) + 1);
  if (last !== '' && Number(last) < start) return { kind: 'unsatisfiable', reason: `range ${header} ends before it starts` };
  if (start >= size) return { kind: 'unsatisfiable', reason: `range starts at byte ${start}, past the end of the ${size}-byte file` };
  return { kind: 'range', start, end };
}
