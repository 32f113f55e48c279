import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

// STYLE habit 3: real-time code (it may run in an AudioWorklet) imports nothing but itself, the
// engine's unit types and the streaming buffer's reader (its ./realtime entry): no rxjs, no xstate, no Node APIs.
describe('src/realtime', () => {
  const folder = import.meta.dirname;
  const sources = readdirSync(folder).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.fixture.ts'));

  it.each(sources)('%s imports only relative real-time modules and unit types', (file) => {
    const text = readFileSync(path.join(folder, file), 'utf8');
    const specifiers = [...text.matchAll(/(?:import|export)[^'"]*from\s+['"]([^'"]+)['"]/g)].map((m) => m[1]);
    for (const specifier of specifiers) {
      expect(specifier === '../units.js' || specifier === '@trax/streaming-buffer/realtime' || /^\.\/[\w.]+\.js$/.test(specifier)).toBe(true);
    }
    const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
    expect(code).not.toMatch(/\bawait\b|\basync\b|\bthrow\b/);
  });
});
