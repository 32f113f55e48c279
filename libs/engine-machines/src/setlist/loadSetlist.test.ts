import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadSetlist } from './loadSetlist.js';
import { SetlistError } from './SetlistError.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'trax-setlist-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Writes files (content irrelevant to the parser: it checks readability, not audio). */
async function files(dir: string, names: string[]): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const name of names) await writeFile(path.join(dir, name), 'x');
}

let counter = 0;
async function jsonSetlist(data: unknown, stemFiles: string[] = ['a.flac', 'b.flac']): Promise<string> {
  const dir = path.join(root, `json-${counter++}`);
  await files(dir, stemFiles);
  const file = path.join(dir, 'setlist.json');
  await writeFile(file, typeof data === 'string' ? data : JSON.stringify(data));
  return file;
}

async function errorOf(location: string): Promise<SetlistError> {
  const error = await loadSetlist(location).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SetlistError);
  return error as SetlistError;
}

const song = (id: string, stems: unknown[] = [{ id: 'a', path: 'a.flac' }]) => ({ id, title: `Song ${id}`, stems });

describe('loadSetlist from JSON', () => {
  it('returns typed songs with stem paths resolved against the JSON file and default gain', async () => {
    const file = await jsonSetlist({
      name: 'Friday',
      songs: [song('one', [{ id: 'a', path: 'a.flac', gainDb: -3 }, { id: 'b', path: './b.flac' }]), { id: 'two', stems: [{ id: 'a', path: 'a.flac' }] }],
    });
    const setlist = await loadSetlist(file);
    expect(setlist.name).toBe('Friday');
    expect(setlist.source).toBe(file);
    expect(setlist.songs.map((s) => s.id)).toEqual(['one', 'two']);
    expect(setlist.songs[0].stems).toEqual([
      { id: 'a', path: path.join(path.dirname(file), 'a.flac'), gainDb: -3 },
      { id: 'b', path: path.join(path.dirname(file), 'b.flac'), gainDb: 0 },
    ]);
    expect(setlist.songs[1].title).toBe('two'); // title defaults to the id
  });

  it('names the file for malformed JSON', async () => {
    const file = await jsonSetlist('{ "name": "x", ');
    const error = await errorOf(file);
    expect(error.file).toBe(file);
    expect(error.jsonPath).toBe('$');
    expect(error.message).toMatch(/setlist\.json: \$: is not valid JSON/);
  });

  it('names a missing setlist file', async () => {
    const error = await errorOf(path.join(root, 'nope.json'));
    expect(error.message).toMatch(/nope\.json: \$: cannot be read \(ENOENT\)/);
  });

  it.each([
    ['top level not an object', [], '$', /must be an object/],
    ['missing name', { songs: [song('s')] }, '$.name', /non-empty string/],
    ['missing songs', { name: 'n' }, '$.songs', /must be an array/],
    ['no songs', { name: 'n', songs: [] }, '$.songs', /at least one song/],
    ['song missing id', { name: 'n', songs: [{ stems: [{ id: 'a', path: 'a.flac' }] }] }, '$.songs[0].id', /missing or not a string/],
    ['song missing stems', { name: 'n', songs: [{ id: 's' }] }, '$.songs[0].stems', /not an array/],
    ['empty song', { name: 'n', songs: [song('s', [])] }, '$.songs[0].stems', /at least one stem/],
    ['stem missing path', { name: 'n', songs: [song('s', [{ id: 'a' }])] }, '$.songs[0].stems[0].path', /missing/],
    ['stem gain not a number', { name: 'n', songs: [song('s', [{ id: 'a', path: 'a.flac', gainDb: 'loud' }])] }, '$.songs[0].stems[0].gainDb', /finite number/],
    ['duplicate song ids', { name: 'n', songs: [song('s'), song('s')] }, '$.songs[1].id', /duplicate song id "s"/],
    [
      'duplicate stem ids',
      { name: 'n', songs: [song('s', [{ id: 'a', path: 'a.flac' }, { id: 'a', path: 'b.flac' }])] },
      '$.songs[0].stems[1].id',
      /duplicate stem id "a"/,
    ],
  ])('reports %s with its JSON path', async (_label, data, jsonPath, problem) => {
    const error = await errorOf(await jsonSetlist(data));
    expect(error.jsonPath).toBe(jsonPath);
    expect(error.problem).toMatch(problem);
    expect(error.message).toContain(`setlist.json: ${jsonPath}: `);
  });

  it.each([
    ['a slash', 'up/down'],
    ['a backslash', 'up\\down'],
    ['..', '..'],
    ['a control character', 'bell\u0007'],
    ['NUL', 'a\u0000b'],
  ])('refuses song and stem ids containing %s', async (_label, id) => {
    const songError = await errorOf(await jsonSetlist({ name: 'n', songs: [song(id)] }));
    expect(songError.jsonPath).toBe('$.songs[0].id');
    expect(songError.problem).toMatch(/safe as file names/);
    const stemError = await errorOf(await jsonSetlist({ name: 'n', songs: [song('s', [{ id, path: 'a.flac' }])] }));
    expect(stemError.jsonPath).toBe('$.songs[0].stems[0].id');
  });

  it('reports a missing stem file with its path', async () => {
    const file = await jsonSetlist({ name: 'n', songs: [song('s', [{ id: 'a', path: 'gone.flac' }])] });
    const error = await errorOf(file);
    expect(error.jsonPath).toBe('$.songs[0].stems[0].path');
    expect(error.problem).toMatch(/gone\.flac does not exist/);
  });

  it('reports an unreadable stem file', async () => {
    if (process.getuid?.() === 0) {
      console.warn('skipped: running as root, file permissions do not stop reads');
      return;
    }
    const file = await jsonSetlist({ name: 'n', songs: [song('s', [{ id: 'a', path: 'a.flac' }])] });
    await chmod(path.join(path.dirname(file), 'a.flac'), 0o000);
    const error = await errorOf(file);
    expect(error.problem).toMatch(/not readable \(EACCES\)/);
  });

  it('reports a stem path that is a folder', async () => {
    const file = await jsonSetlist({ name: 'n', songs: [song('s', [{ id: 'a', path: '.' }])] });
    expect((await errorOf(file)).problem).toMatch(/is not a file/);
  });

  it('keeps URL stems as written and does not look for them on disk', async () => {
    const file = await jsonSetlist({ name: 'n', songs: [song('s', [{ id: 'a', path: 'a.flac' }, { id: 'web', path: 'https://band.example/s/web.flac' }])] });
    const setlist = await loadSetlist(file);
    expect(setlist.songs[0].stems.map((s) => s.path)).toEqual([path.join(path.dirname(file), 'a.flac'), 'https://band.example/s/web.flac']);
  });

  it('with checkStemFiles: false, accepts missing stem files (the pre-show check reports them)', async () => {
    const file = await jsonSetlist({ name: 'n', songs: [song('s', [{ id: 'a', path: 'gone.flac' }])] });
    await expect(loadSetlist(file)).rejects.toThrow(/gone\.flac does not exist/);
    const setlist = await loadSetlist(file, { checkStemFiles: false });
    expect(setlist.songs[0].stems[0].path).toBe(path.join(path.dirname(file), 'gone.flac'));
  });

  it('returns the musical fields of each song', async () => {
    const file = await jsonSetlist({
      name: 'n',
      songs: [{ ...song('s'), tempo: 120, timeSignature: '3/4', sections: [{ name: 'A', at: 0 }], countIn: 1, transition: { crossfade: 3 } }],
    });
    const [parsed] = (await loadSetlist(file)).songs;
    expect(parsed).toMatchObject({
      tempoMap: [{ at: 0, bpm: 120, beatsPerBar: 3, beatUnit: 4 }],
      sections: [{ name: 'A', at: 0 }],
      countIn: 1,
      transition: { kind: 'crossfade', seconds: 3 },
    });
  });

  it('lists every problem, not just the first', async () => {
    const error = await errorOf(await jsonSetlist({ name: '', songs: [song('s', []), song('t', [{ id: 'a', path: 'gone.flac' }])] }));
    expect(error.problems.map((p) => p.jsonPath)).toEqual(['$.name', '$.songs[0].stems', '$.songs[1].stems[0].path']);
    expect(error.message).toMatch(/and 2 more problems/);
  });
});

describe('loadSetlist from folders', () => {
  it('reads a folder of .flac files as one song, stem id = file name', async () => {
    const dir = path.join(root, 'Single Song');
    await files(dir, ['drums.flac', 'bass.FLAC', 'notes.txt']);
    const setlist = await loadSetlist(dir);
    expect(setlist.name).toBe('Single Song');
    expect(setlist.songs).toHaveLength(1);
    expect(setlist.songs[0].id).toBe('Single Song');
    expect(setlist.songs[0].stems.map((s) => s.id).sort()).toEqual(['bass', 'drums']);
  });

  it('reads a folder of song folders in natural order', async () => {
    const dir = path.join(root, 'gig');
    for (const name of ['10 Encore', '2 Second', '1 Opener']) await files(path.join(dir, name), ['click.flac']);
    const setlist = await loadSetlist(dir);
    expect(setlist.songs.map((s) => s.id)).toEqual(['1 Opener', '2 Second', '10 Encore']);
    expect(setlist.songs[2].stems[0].path).toBe(path.join(dir, '10 Encore', 'click.flac'));
  });

  it('refuses an empty song folder and an empty setlist folder', async () => {
    const dir = path.join(root, 'gig-empty-song');
    await files(path.join(dir, 'a'), ['x.flac']);
    await files(path.join(dir, 'b'), []);
    const error = await errorOf(dir);
    expect(error.file).toBe(dir);
    expect(error.jsonPath).toBe('b');
    expect(error.problem).toMatch(/empty song/);

    const empty = path.join(root, 'nothing');
    await mkdir(empty);
    expect((await errorOf(empty)).problem).toMatch(/no \.flac files and no song folders/);
  });

  it('reads a song folder\'s song.json: title and musical fields', async () => {
    const dir = path.join(root, 'gig-described');
    await files(path.join(dir, '1 Opener'), ['click.flac', 'bass.flac']);
    await files(path.join(dir, '2 Plain'), ['click.flac']);
    const description = { title: 'The Opener', tempoMap: [{ at: 0, bpm: 100, beatsPerBar: 4 }, { at: 9.6, bpm: 140, beatsPerBar: 3 }], sections: [{ name: 'Verse', at: 0 }], transition: 'stop' };
    await writeFile(path.join(dir, '1 Opener', 'song.json'), JSON.stringify(description));
    const setlist = await loadSetlist(dir);
    expect(setlist.songs[0]).toMatchObject({
      id: '1 Opener',
      title: 'The Opener',
      tempoMap: [
        { at: 0, bpm: 100, beatsPerBar: 4, beatUnit: 4 },
        { at: 9.6, bpm: 140, beatsPerBar: 3, beatUnit: 4 },
      ],
      sections: [{ name: 'Verse', at: 0 }],
      transition: { kind: 'stop' },
    });
    expect(setlist.songs[0].stems.map((s) => s.id)).toEqual(['bass', 'click']); // song.json is not a stem
    expect(setlist.songs[1]).toEqual({ id: '2 Plain', title: '2 Plain', stems: [expect.objectContaining({ id: 'click' })] });
  });

  it('reads song.json beside the stems of a single-song folder', async () => {
    const dir = path.join(root, 'Single Described');
    await files(dir, ['drums.flac']);
    await writeFile(path.join(dir, 'song.json'), JSON.stringify({ tempo: 87, countIn: 2 }));
    const [parsed] = (await loadSetlist(dir)).songs;
    expect(parsed.tempoMap).toEqual([{ at: 0, bpm: 87, beatsPerBar: 4, beatUnit: 4 }]);
    expect(parsed.countIn).toBe(2);
  });

  it('reports song.json problems naming that file and the JSON path inside it', async () => {
    const dir = path.join(root, 'gig-bad-description');
    await files(path.join(dir, 'a'), ['x.flac']);
    await files(path.join(dir, 'b'), ['x.flac']);
    const songJson = path.join(dir, 'b', 'song.json');
    await writeFile(songJson, JSON.stringify({ id: 'other', stems: [], countIn: 2, sections: [{ name: 'A', at: 3 }, { name: 'B', at: 1 }] }));
    await writeFile(path.join(dir, 'a', 'song.json'), '{ "tempo": ');
    const error = await errorOf(dir);
    expect(error.file).toBe(dir);
    expect(error.problems).toEqual([
      { file: path.join(dir, 'a', 'song.json'), jsonPath: '$', problem: expect.stringMatching(/is not valid JSON/) },
      { file: songJson, jsonPath: '$.id', problem: expect.stringMatching(/not allowed here: a folder song's id is its folder name/) },
      { file: songJson, jsonPath: '$.stems', problem: expect.stringMatching(/its \.flac files/) },
      { file: songJson, jsonPath: '$.sections[1].at', problem: expect.stringMatching(/after the previous section/) },
      { file: songJson, jsonPath: '$.countIn', problem: expect.stringMatching(/needs a tempo/) },
    ]);
    expect(error.message).toMatch(new RegExp(`^${path.join(dir, 'a', 'song.json').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: \\$: is not valid JSON`));
  });

  it('refuses a song folder whose name is not a safe id', async () => {
    const dir = path.join(root, 'gig-unsafe');
    await files(path.join(dir, 'ok..not'), ['x.flac']);
    const error = await errorOf(dir);
    expect(error.problem).toMatch(/contains "\.\."/);
  });
});
