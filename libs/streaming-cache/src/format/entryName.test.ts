import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import path from 'node:path';
import { encodeIdPart, entryFolderName } from './entryName.js';

const SAFE_NAME = /^[a-z0-9~-]*_[a-z0-9~-]*$/;

describe('entryFolderName', () => {
  it('keeps lower-case slugs and UUIDs readable and unchanged', () => {
    expect(entryFolderName('song-123', 'bass')).toBe('song-123_bass');
    expect(entryFolderName('0f8fad5b-d9cb-469f-a165-70867728950e', 'drums-2')).toBe('0f8fad5b-d9cb-469f-a165-70867728950e_drums-2');
  });

  it.each([
    ['..', 'parent'],
    ['.', 'current'],
    ['a/../../etc', 'slashes'],
    ['C:\\Windows\\System32', 'backslashes and a drive'],
    ['a\0b', 'NUL'],
    ['Vocals', 'upper case (collides with "vocals" on case-insensitive disks)'],
    ['ボーカル🎤', 'Unicode'],
    ['', 'empty'],
    ['x'.repeat(5000), 'very long'],
    ['song_1', 'underscore (the part separator)'],
    ['~abc', 'tilde (the hash marker)'],
    ['CON', 'Windows device name'],
  ])('%j (%s) becomes one safe folder name inside the cache folder', (id) => {
    for (const name of [entryFolderName(id, 'stem'), entryFolderName('song', id)]) {
      expect(name).toMatch(SAFE_NAME);
      expect(name.length).toBeLessThanOrEqual(2 * 58 + 1);
      expect(name.startsWith('.')).toBe(false);
      const root = path.resolve('/cache');
      expect(path.dirname(path.resolve(root, name))).toBe(root);
    }
  });

  it('marks every altered ID with a hash, so an altered ID never equals a verbatim one', () => {
    expect(encodeIdPart('Bass')).toMatch(/^bass~[0-9a-f]{16}$/);
    expect(encodeIdPart('bass')).toBe('bass');
    expect(encodeIdPart('a'.repeat(64))).toBe('a'.repeat(64));
    expect(encodeIdPart('a'.repeat(65))).toMatch(/^a{40}~[0-9a-f]{16}$/);
  });

  it('keeps IDs apart that only differ in case, in unsafe characters, or in lone surrogates', () => {
    const ids = ['Bass', 'bass', 'BASS', 'a/b', 'a\\b', 'a b', 'a_b', 'a.b', 'a-b', '\ud800', '\udc00', '\ufffd', '..', '.', ''];
    const names = ids.map((id) => encodeIdPart(id));
    expect(new Set(names).size).toBe(ids.length);
  });

  it('never maps two different (song, stem) pairs to the same folder (property)', () => {
    const id = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('a', 'a_b', 'b', '_', 'A', '..', 'a~b'));
    fc.assert(
      fc.property(id, id, id, id, (song1, stem1, song2, stem2) => {
        fc.pre(song1 !== song2 || stem1 !== stem2);
        expect(entryFolderName(song1, stem1)).not.toBe(entryFolderName(song2, stem2));
      }),
      { numRuns: 2000 },
    );
  });

  it('is stable: the same IDs always give the same folder (the cache survives restarts)', () => {
    expect(entryFolderName('Song A', 'Stem/1')).toBe(entryFolderName('Song A', 'Stem/1'));
    // Hashes from Python: hashlib.sha256('Song A'.encode('utf-16-le')).hexdigest()[:16]. A change
    // here orphans every existing cache folder: bump METADATA_VERSION's story in the README if so.
    expect(entryFolderName('Song A', 'Stem/1')).toBe('song-a~7a82ea4164239a0e_stem-1~b2b91bfd9c9fa73b');
  });
});
