import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdir, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { acquireEntryLock, FOLDER_GONE, LOCK_BUSY, LOCK_FILE, type HeldLock, type LockOptions } from './entryLock.js';
import { faultyFileSystem } from '../testing/faultyFileSystem.fixture.js';
import { nodeFileSystem } from './nodeFileSystem.js';
import { fakeProcessIdentity } from '../testing/fakeProcessIdentity.fixture.js';
import { tempFolder } from '../testing/testSupport.fixture.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempFolder('lock')));
afterAll(() => cleanup());

// Every other owner counts as alive unless a test says otherwise.
const identity = fakeProcessIdentity({ isAlive: () => true });
const options: LockOptions = { timeoutMs: 100, staleMs: 30_000, identity, now: Date.now };
let folders = 0;
async function folder(): Promise<string> {
  const made = path.join(dir, `entry-${++folders}`);
  await mkdir(made);
  return made;
}

function held(result: Awaited<ReturnType<typeof acquireEntryLock>>): HeldLock {
  if (result === LOCK_BUSY || result === FOLDER_GONE) throw new Error(`expected the lock, got ${result}`);
  return result;
}

describe('acquireEntryLock', () => {
  it('lets one holder in at a time; the next gets it once released', async () => {
    const entry = await folder();
    const first = held(await acquireEntryLock(nodeFileSystem, entry, options));
    expect(await acquireEntryLock(nodeFileSystem, entry, options)).toBe(LOCK_BUSY);
    const waiting = acquireEntryLock(nodeFileSystem, entry, { ...options, timeoutMs: 2000 });
    await first.release();
    const second = held(await waiting);
    expect(JSON.parse(await readFile(path.join(entry, LOCK_FILE), 'utf8'))).toMatchObject({ pid: 4242, host: 'test-host' });
    await second.release();
    expect(await readdir(entry)).toEqual([]);
  });

  it('serialises many contenders: never two inside at once', async () => {
    const entry = await folder();
    let inside = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        const lock = held(await acquireEntryLock(nodeFileSystem, entry, { ...options, timeoutMs: 10_000 }));
        most = Math.max(most, ++inside);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inside--;
        await lock.release();
      }),
    );
    expect(most).toBe(1);
  });

  it('takes over a lock whose owner process is dead, at once', async () => {
    const entry = await folder();
    await writeFile(path.join(entry, LOCK_FILE), JSON.stringify({ pid: 999_999_999, host: 'test-host', token: 'x', at: Date.now() }));
    const lock = held(await acquireEntryLock(nodeFileSystem, entry, { ...options, identity: fakeProcessIdentity({ isAlive: (pid) => pid !== 999_999_999 }), timeoutMs: 0 }));
    await lock.release();
  });

  it('judges only owners of its own host by pid: another host\'s lock waits for staleMs', async () => {
    const entry = await folder();
    await writeFile(path.join(entry, LOCK_FILE), JSON.stringify({ pid: 999_999_999, host: 'other-host', token: 'x', at: Date.now() }));
    const deadHere = { ...options, identity: fakeProcessIdentity({ isAlive: (pid) => pid !== 999_999_999 }), timeoutMs: 0 };
    expect(await acquireEntryLock(nodeFileSystem, entry, deadHere)).toBe(LOCK_BUSY);
    await writeFile(path.join(entry, LOCK_FILE), JSON.stringify({ pid: 999_999_999, host: 'test-host', token: 'x', at: Date.now() }));
    held(await acquireEntryLock(nodeFileSystem, entry, deadHere));
  });

  it('takes over a live owner\'s lock only once it is older than staleMs', async () => {
    const entry = await folder();
    await writeFile(path.join(entry, LOCK_FILE), JSON.stringify({ pid: 4242, host: 'test-host', token: 'x', at: Date.now() - 5000 }));
    expect(await acquireEntryLock(nodeFileSystem, entry, { ...options, staleMs: 60_000 })).toBe(LOCK_BUSY);
    held(await acquireEntryLock(nodeFileSystem, entry, { ...options, staleMs: 4000 }));
  });

  it('takes an unreadable lock file (a crash while creating it without hard links) for crashed after 2 s', async () => {
    const entry = await folder();
    const lockPath = path.join(entry, LOCK_FILE);
    await writeFile(lockPath, '{"pid": 12');
    expect(await acquireEntryLock(nodeFileSystem, entry, options)).toBe(LOCK_BUSY);
    await utimes(lockPath, new Date(Date.now() - 3000), new Date(Date.now() - 3000));
    held(await acquireEntryLock(nodeFileSystem, entry, options));
  });

  it('does not release a lock that was taken over meanwhile', async () => {
    const entry = await folder();
    const mine = held(await acquireEntryLock(nodeFileSystem, entry, options));
    const theirs = JSON.stringify({ pid: 4242, host: 'test-host', token: 'theirs', at: Date.now() });
    await rm(path.join(entry, LOCK_FILE));
    await writeFile(path.join(entry, LOCK_FILE), theirs);
    await mine.release();
    expect(await readFile(path.join(entry, LOCK_FILE), 'utf8')).toBe(theirs);
  });

  it('reports a missing folder instead of creating it', async () => {
    expect(await acquireEntryLock(nodeFileSystem, path.join(dir, 'never-made'), options)).toBe(FOLDER_GONE);
  });

  it('falls back to creating the lock in place where hard links are refused', async () => {
    const entry = await folder();
    const fs = faultyFileSystem((operation) => (operation === 'link' ? 'EPERM' : undefined));
    const lock = held(await acquireEntryLock(fs, entry, options));
    expect(await readdir(entry)).toEqual([LOCK_FILE]);
    expect(await acquireEntryLock(fs, entry, options)).toBe(LOCK_BUSY);
    await lock.release();
    expect(await readdir(entry)).toEqual([]);
  });
});
