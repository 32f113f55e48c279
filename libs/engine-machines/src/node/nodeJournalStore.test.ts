import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseResumeJournal } from '../journal/parseResumeJournal.js';
import { serializeResumeJournal, type ResumeJournal } from '../journal/ResumeJournal.js';
import { ResumeJournalError } from '../journal/ResumeJournalError.js';
import { nodeJournalStore } from './nodeJournalStore.js';

const workspaceRoot = path.resolve(import.meta.dirname, '../../../..');
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'trax-journal-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const journal: ResumeJournal = {
  setlist: { source: '/gig.json', name: 'gig' },
  song: 'a',
  position: { frame: 96_000, sampleRate: 48_000, bar: 2 },
  playing: false,
  mix: [{ stem: 'click', gainDb: 0, muted: true, solo: false }],
  savedAt: '2025-01-01T00:00:00.000Z',
};

/** Starts the writer child, kills it (SIGKILL) `delayMs` after its first write, waits for its end. */
async function killWriterAfter(file: string, delayMs: number): Promise<NodeJS.Signals | null> {
  const env = { ...process.env };
  delete env['NODE_OPTIONS'];
  const child = spawn(process.execPath, ['--conditions=@trax/source', '--import', 'tsx', path.join(import.meta.dirname, 'journalWriter.fixture.ts'), file], {
    cwd: workspaceRoot,
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    if (text.includes('ready')) setTimeout(() => child.kill('SIGKILL'), delayMs);
  });
  const [, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
  return signal;
}

describe('nodeJournalStore', () => {
  it('writes, reads back, replaces and removes the journal; creates its folder', async () => {
    const store = nodeJournalStore(path.join(dir, 'state', 'resume.json'));
    expect(await store.read()).toBeUndefined();
    await store.write(serializeResumeJournal(journal));
    expect(parseResumeJournal((await store.read())!, store.name)).toEqual(journal);
    await store.write(serializeResumeJournal({ ...journal, song: 'b' }));
    expect(parseResumeJournal((await store.read())!, store.name).song).toBe('b');
    expect(readdirSync(path.join(dir, 'state'))).toEqual(['resume.json']);
    await store.remove();
    await store.remove();
    expect(await store.read()).toBeUndefined();
  });

  it('a journal cut short by hand is refused by the parser (the caller starts fresh)', async () => {
    const file = path.join(dir, 'cut.json');
    writeFileSync(file, serializeResumeJournal(journal).slice(0, 40));
    const store = nodeJournalStore(file);
    const text = (await store.read()) ?? '';
    expect(() => parseResumeJournal(text, store.name)).toThrow(ResumeJournalError);
  });

  it('kill -9 at 20 random moments while writing in a loop: every leftover journal parses', async () => {
    const file = path.join(dir, 'killed', 'resume.json');
    const seen = new Set<string>();
    for (let run = 0; run < 20; run++) {
      const delayMs = Math.floor(Math.random() * 150);
      expect(await killWriterAfter(file, delayMs)).toBe('SIGKILL');
      const text = await nodeJournalStore(file).read();
      expect(text).toBeDefined();
      const parsed = parseResumeJournal(text!, file); // throws (fails the test) on a torn journal
      seen.add(parsed.savedAt);
    }
    // The runs were killed at different points of the write loop (not all after the first write).
    expect(seen.size).toBeGreaterThan(1);
    // Temporary files of the killed writers are swept by the next writer.
    await nodeJournalStore(file).write(serializeResumeJournal(journal));
    expect(readdirSync(path.dirname(file))).toEqual(['resume.json']);
  }, 120_000);
});
