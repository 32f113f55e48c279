import { beforeAll, describe, expect, it } from '@jest/globals';
import { serveStatic } from '@trax/browser-testing';
import { fixture, type GeneratedSong } from '@trax/test-audio';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runTrax, workspaceRoot } from './runTrax.fixture.js';

let song: GeneratedSong;
beforeAll(async () => {
  song = await fixture({ songId: 'cli-info', stems: 2, seconds: 25, sampleRate: 48_000, bitDepth: 16, channels: 1 });
}, 120_000);

const hasMetaflac = (() => {
  try {
    execFileSync('metaflac', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** The reference: what metaflac reads from the same headers. */
function metaflacFacts(file: string) {
  const [sampleRate, channels, bps, total, md5] = execFileSync('metaflac', ['--show-sample-rate', '--show-channels', '--show-bps', '--show-total-samples', '--show-md5sum', file], {
    encoding: 'utf8',
  })
    .trim()
    .split('\n');
  const seekList = execFileSync('metaflac', ['--list', '--block-type=SEEKTABLE', file], { encoding: 'utf8' });
  const seekPoints = (seekList.match(/^\s+point \d+: sample_number=\d+/gm) ?? []).length;
  return { sampleRate: Number(sampleRate), channels: Number(channels), bitDepth: Number(bps), totalFrames: Number(total), md5, seekPoints };
}

describe('trax info', () => {
  (hasMetaflac ? it : it.skip)('--json matches metaflac for every file given', async () => {
    const files = [...song.stems.map((s) => s.path), path.join(workspaceRoot, '../shared/flac-conformance/subset/01 - blocksize 4096.flac')];
    const run = await runTrax(['info', ...files, '--json']);
    expect(run.code).toBe(0);
    const records = JSON.parse(run.stdout.toString());
    expect(records).toHaveLength(files.length);
    for (const [i, file] of files.entries()) {
      const facts = metaflacFacts(file);
      expect(records[i]).toMatchObject({ file, ...facts, supported: true });
      expect(records[i].durationSeconds).toBeCloseTo(facts.totalFrames / facts.sampleRate, 9);
    }
    expect(records[0].seekPoints).toBeGreaterThan(0);
  });

  (hasMetaflac ? it : it.skip)('describes a file by http:// URL (read by range) as it does the file', async () => {
    const server = await serveStatic({ root: path.dirname(song.stems[0].path) });
    try {
      const url = server.url(`/${path.basename(song.stems[0].path)}`);
      const run = await runTrax(['info', url, server.url('/missing.flac'), '--json']);
      expect(run.code).toBe(1);
      expect(JSON.parse(run.stdout.toString())).toEqual([expect.objectContaining({ file: url, ...metaflacFacts(song.stems[0].path), supported: true })]);
      expect(run.stderr).toContain(`${server.url('/missing.flac')}: the server answered 404`);
      expect(server.requests.every((r) => r.status !== 200)).toBe(true); // never the whole file
    } finally {
      await server.close();
    }
  });

  it('prints readable text by default', async () => {
    const run = await runTrax(['info', song.stems[0].path]);
    expect(run.code).toBe(0);
    expect(run.stdout.toString()).toContain('48000 Hz, 1 channel, 16-bit');
    expect(run.stdout.toString()).toContain(`${song.frames} frames (0:25.000)`);
  });

  it('marks refused files unsupported with the reason', async () => {
    const thirtyTwoBit = path.join(workspaceRoot, '../shared/flac-conformance/uncommon/05 - 32bps audio.flac');
    const run = await runTrax(['info', thirtyTwoBit, '--json']);
    expect(run.code).toBe(0);
    const [record] = JSON.parse(run.stdout.toString());
    expect(record).toMatchObject({ bitDepth: 32, supported: false });
    expect(record.reason).toMatch(/32-bit samples/);
  });

  it('exits 1 naming a file that is not FLAC, after describing the others', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'trax-info-'));
    const bad = path.join(dir, 'setlist.flac');
    writeFileSync(bad, '{"name": "not audio"}');
    const run = await runTrax(['info', song.stems[0].path, bad, '--json']);
    rmSync(dir, { recursive: true, force: true });
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout.toString())).toHaveLength(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain(bad);
  });
});
