import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

// STYLE habit 3: real-time code may run in an AudioWorklet, so it imports only its own folder,
// the storage layout and the unit types — no Node API, no other package — and has no await/async.
// (Throwing is confined to BufferReader.fromBuffer, which runs before the audio callback.)
describe('src/realtime', () => {
  const folder = import.meta.dirname;
  const sources = readdirSync(folder).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
  const allowed = new Set(['../units.js', '../storage/BufferStorage.js']);

  it.each(sources)('%s imports only real-time modules, the storage layout and unit types', (file) => {
    const text = readFileSync(path.join(folder, file), 'utf8');
    const specifiers = [...text.matchAll(/(?:import|export)[^'"]*from\s+['"]([^'"]+)['"]/g)].map((m) => m[1]);
    for (const specifier of specifiers) {
      expect(allowed.has(specifier) || /^\.\/[\w.]+\.js$/.test(specifier)).toBe(true);
    }
    const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
    expect(code).not.toMatch(/\bawait\b|\basync\b|\bthrow\b/);
  });

  it('the storage layout the reader imports uses no Node API either', () => {
    const text = readFileSync(path.join(folder, '../storage/BufferStorage.ts'), 'utf8');
    const specifiers = [...text.matchAll(/(?:import|export)[^'"]*from\s+['"]([^'"]+)['"]/g)].map((m) => m[1]);
    expect(specifiers.sort()).toEqual(['../errors.js', '../units.js']);
  });
});
