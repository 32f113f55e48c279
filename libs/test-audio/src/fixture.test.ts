import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { fixture, fixturesRoot } from './fixture.js';
import { pcmMd5 } from './pcm.js';
import { readStreamInfo } from './readStreamInfo.js';
import { generateStemPcm } from './StemGenerator.js';
import { tempDir } from './testDirs.fixture.js';

const song = { songId: 'cached', stems: 3, seconds: 0.5, sampleRate: 48000, bitDepth: 24 as const, channels: 2 as const, encoder: 'internal' as const };
const root = path.join(tempDir('fixtures'), 'cache');
let saved: string | undefined;

beforeAll(() => {
  saved = process.env['TRAX_FIXTURES_DIR'];
  process.env['TRAX_FIXTURES_DIR'] = root;
});
afterAll(() => {
  if (saved === undefined) delete process.env['TRAX_FIXTURES_DIR'];
  else process.env['TRAX_FIXTURES_DIR'] = saved;
});

const mtimes = async (paths: string[]) => Promise.all(paths.map(async (p) => (await stat(p)).mtimeMs));
const visibleEntries = async () => (await readdir(root)).sort();

describe('fixture', () => {
  it('lives under TRAX_FIXTURES_DIR when set', () => {
    expect(fixturesRoot()).toBe(root);
  });

  it('generates once, then returns the same files without regenerating', async () => {
    const first = await fixture(song);
    expect(first.dir.startsWith(root)).toBe(true);
    for (const stem of first.stems) expect((await readStreamInfo(stem.path)).md5).toBe(pcmMd5(generateStemPcm(stem.spec), 24));
    const before = await mtimes(first.stems.map((s) => s.path));
    const second = await fixture({ ...song }); // equal parameters, another object
    expect(second).toEqual(first);
    expect(await mtimes(second.stems.map((s) => s.path))).toEqual(before);
  });

  it('keys the cache by every parameter (key order does not matter)', async () => {
    const a = await fixture(song);
    const reordered = await fixture({ encoder: 'internal', channels: 2, bitDepth: 24, sampleRate: 48000, seconds: 0.5, stems: 3, songId: 'cached' });
    expect(reordered.dir).toBe(a.dir);
    const longer = await fixture({ ...song, seconds: 0.6 });
    const otherSeed = await fixture({ ...song, seed: 99 });
    expect(new Set([a.dir, longer.dir, otherSeed.dir]).size).toBe(3);
    expect(otherSeed.stems[0].md5).not.toBe(a.stems[0].md5);
  });

  it('two concurrent requests for the same fixture both get a complete, identical result', async () => {
    const params = { ...song, songId: 'raced', seconds: 1 };
    const [a, b] = await Promise.all([fixture(params), fixture(params)]);
    expect(a).toEqual(b);
    for (const stem of a.stems) expect((await stat(stem.path)).size).toBeGreaterThan(0);
    expect((await visibleEntries()).filter((name) => name.startsWith('.tmp-'))).toEqual([]);
  });

  it('two processes (like two jest workers) asking at once both get the same complete fixture', async () => {
    const params = { ...song, songId: 'two-processes', seconds: 3 };
    const script = `import { fixture } from ${JSON.stringify(fileURLToPath(new URL('./fixture.ts', import.meta.url)))};
      process.stdout.write(JSON.stringify(await fixture(${JSON.stringify(params)})));`;
    const runOne = async () => {
      const child = spawn(process.execPath, ['--conditions=@trax/source', '--import', 'tsx', '--input-type=module', '-e', script], {
        env: { ...process.env, TRAX_FIXTURES_DIR: root },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (text: string) => (out += text));
      const [code] = await once(child, 'close');
      expect(code).toBe(0);
      return JSON.parse(out);
    };
    const [a, b] = await Promise.all([runOne(), runOne()]);
    expect(a).toEqual(b);
    expect(await fixture(params)).toEqual(a);
    for (const stem of a.stems) expect((await readStreamInfo(stem.path)).md5).toBe(stem.md5);
    expect((await visibleEntries()).filter((name) => name.startsWith('.tmp-'))).toEqual([]);
  }, 30_000);

  it('regenerates a fixture whose files went missing', async () => {
    const params = { ...song, songId: 'damaged' };
    const first = await fixture(params);
    await rm(first.stems[1].path);
    const again = await fixture(params);
    expect(again).toEqual(first);
    expect((await stat(first.stems[1].path)).size).toBeGreaterThan(0);
  });

  it('never reuses a crashed generation: stale temp folders of dead processes are removed', async () => {
    // A temp folder as a generation killed midway leaves it; no process has this pid (Linux's
    // pid_max is at most 2^22).
    const deadPid = 999_999_999;
    const stale = path.join(root, `.tmp-song-deadbeef-${deadPid}-abcd1234`);
    await mkdir(stale, { recursive: true });
    await writeFile(path.join(stale, 'partial.flac'), 'half a file');
    await fixture({ ...song, songId: 'after-crash' });
    expect(await visibleEntries()).not.toContain(path.basename(stale));
  });

  it('caches setlists too, with the setlist JSON beside the songs', async () => {
    const params = { name: 'cached set', songs: [{ ...song, songId: 'one' }, { ...song, songId: 'two', stems: 1 }] };
    const first = await fixture(params);
    expect(path.basename(first.path)).toBe('setlist.json');
    expect(first.songs.map((s) => s.id)).toEqual(['one', 'two']);
    expect(first.songs[0].dir).toBe(path.join(path.dirname(first.path), 'one'));
    const second = await fixture(params);
    expect(second).toEqual(first);
  });
});
