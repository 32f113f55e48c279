import type { HttpChangedField } from './httpErrors.js';

/** What identifies one version of a file on a server: its size and validators. */
export interface ResourceVersion {
  readonly size: number;
  /** `ETag` as sent (strong or weak), if the server sends one. */
  readonly etag: string | undefined;
  /** `Last-Modified` as sent, if the server sends it. */
  readonly lastModified: string | undefined;
}

/** The version a response describes (its size comes from `Content-Range`). */
export function versionOf(headers: Headers, size: number): ResourceVersion {
  return { size, etag: headers.get('etag') ?? undefined, lastModified: headers.get('last-modified') ?? undefined };
}

/**
 * The first field in which `seen` differs from `opened`, or undefined for the same version. A
 * validator missing from either answer is not compared (a proxy may strip it); the size always is.
 */
export function versionChange(opened: ResourceVersion, seen: ResourceVersion): { field: HttpChangedField; expected: string; actual: string } | undefined {
  if (seen.size !== opened.size) return { field: 'size', expected: `${opened.size} bytes`, actual: `${seen.size} bytes` };
  if (opened.etag !== undefined && seen.etag !== undefined && seen.etag !== opened.etag) return { field: 'etag', expected: opened.etag, actual: seen.etag };
  if (opened.lastModified !== undefined && seen.lastModified !== undefined && seen.lastModified !== opened.lastModified)
    return { field: 'last-modified', expected: opened.lastModified, actual: seen.lastModified };
  return undefined;
}
