// Test-only helpers (*.fixture.ts is left out of the build).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from '@jest/globals';

/**
 * A fresh temp folder, removed after the calling test file (call it at the top level of a test
 * file: it registers an afterAll; Jest ends its workers without running 'exit' handlers).
 */
export function tempDir(label: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), `trax-test-audio-${label}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Metadata block types of a FLAC file, in order (0 STREAMINFO, 1 PADDING, 3 SEEKTABLE, 4 VORBIS_COMMENT...). */
export function metadataBlockTypes(file: string): number[] {
  const bytes = readFileSync(file);
  const types: number[] = [];
  for (let pos = 4; ; ) {
    types.push(bytes[pos] & 0x7f);
    const last = bytes[pos] & 0x80;
    pos += 4 + bytes.readUIntBE(pos + 1, 3);
    if (last) return types;
  }
}
