import { createHash } from 'node:crypto';

/** Characters an ID part may keep as they are: safe in a file name on every OS, case-insensitive file systems included. */
const SAFE_PART = /^[a-z0-9-]+$/;
/** Readable prefix kept from an altered ID (the hash carries the identity). */
const PREFIX_CHARS = 40;
/** Hex digits of the SHA-256 suffix: 64 bits, so two IDs collide with odds ~2^-64 (and metadata.json names its IDs, so even that is caught). */
const HASH_CHARS = 16;
/** Longest ID part kept verbatim; longer ones are shortened and hashed. 64 + 1 + 64 stays far below 255-byte name limits. */
const MAX_VERBATIM = 64;

/**
 * The folder name of one song's stem: `{song}_{stem}`, each part made safe by {@link encodeIdPart}.
 * Injective: parts never contain `_`, and an encoded part is either verbatim `[a-z0-9-]` or ends
 * with `~` + a hash of the original ID (a verbatim part never contains `~`).
 */
export function entryFolderName(song: string, stem: string): string {
  return `${encodeIdPart(song)}_${encodeIdPart(stem)}`;
}

/**
 * One ID as a file-name part. IDs of lower-case letters, digits and `-` (UUIDs, slugs) stay as they
 * are; anything else (upper case, `.`, `/`, `\`, NUL, `_`, Unicode, empty, over 64 chars) becomes a
 * readable prefix with every other character replaced by `-`, then `~` and 16 hex digits of the
 * SHA-256 of the ID's UTF-16 code units (so lone surrogates, which UTF-8 would merge, stay distinct).
 * The result never contains a path separator, never is `.` or `..`, and never starts with `.`.
 */
export function encodeIdPart(id: string): string {
  if (id.length <= MAX_VERBATIM && SAFE_PART.test(id)) return id;
  const readable = id
    .slice(0, PREFIX_CHARS)
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-');
  const hash = createHash('sha256').update(Buffer.from(id, 'utf16le')).digest('hex').slice(0, HASH_CHARS);
  return `${readable}~${hash}`;
}

/** Whether a name in the cache folder can be an entry folder (temporary, trash and index files start with `.` or are files). */
export function looksLikeEntryFolder(name: string): boolean {
  return !name.startsWith('.') && name.includes('_');
}
