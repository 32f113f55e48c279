import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { fixture, hasFlacCli, type GeneratedSong } from '@trax/test-audio';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createServer, type Server } from 'node:http';
import type { StemFacts } from '../check/checkPorts.js';
import { hasNginx, startNginx } from './nginx.fixture.js';
import { nodeStemProber } from './nodeStemProber.js';

const workspaceRoot = path.resolve(import.meta.dirname, '../../../..');
const describeWithFlac = hasFlacCli() ? describe : describe.skip;
if (!hasFlacCli()) console.warn('flac CLI not found: the probe tests on damaged files are skipped');
if (!hasNginx) console.warn('nginx not found: the URL stem probe test is skipped (apt-get install nginx-light)');

// 10 s of 48 kHz 16-bit stereo in 4096-frame blocks: 480,000 frames, FLAC frames 0–117.
let song: GeneratedSong;
let dir: string;
beforeAll(async () => {
  song = await fixture({ songId: 'probe', stems: 1, seconds: 10, sampleRate: 48_000, bitDepth: 16, channels: 2, blockSize: 4096 });
  dir = mkdtempSync(path.join(os.tmpdir(), 'trax-probe-'));
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const prober = nodeStemProber();

/** Byte offsets of every FLAC frame, from the reference encoder's analysis (`flac -a`). */
function frameOffsets(file: string): number[] {
  const analysis = path.join(dir, 'analysis.txt');
  execFileSync('flac', ['-s', '-f', '-a', '-o', analysis, file]);
  return [...readFileSync(analysis, 'utf8').matchAll(/^frame=\d+\toffset=(\d+)/gm)].map((m) => Number(m[1]));
}

function damagedCopy(name: string, change: (bytes: Uint8Array) => Uint8Array): string {
  const file = path.join(dir, name);
  writeFileSync(file, change(new Uint8Array(readFileSync(song.stems[0].path))));
  return file;
}

describe('nodeStemProber', () => {
  it('reads a healthy stem: its STREAMINFO facts, size, no damage', async () => {
    const stem = song.stems[0];
    const probe = await prober.probe(stem.path);
    expect(probe).toEqual({
      ok: true,
      sampleRate: 48_000,
      channels: 2,
      bitDepth: 16,
      frames: 480_000,
      bytes: statSync(stem.path).size,
      md5: stem.md5,
      presentFrames: 480_000,
      corruptFrames: [],
    });
  });

  it('reports a missing file, a folder and a file that is not FLAC', async () => {
    const missing = path.join(dir, 'gone.flac');
    expect(await prober.probe(missing)).toEqual({ ok: false, kind: 'missing-file', message: `${missing} does not exist` });
    expect(await prober.probe(dir)).toEqual({ ok: false, kind: 'unreadable-file', message: `${dir} is a folder, not a file` });
    const text = path.join(dir, 'notes.flac');
    writeFileSync(text, 'chorus twice, then the bridge');
    const probe = await prober.probe(text);
    expect(probe).toMatchObject({ ok: false, kind: 'not-flac' });
    expect(!probe.ok && probe.message).toMatch(new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not a readable FLAC file`));
  });

  it('reports a format the engine refuses (32-bit samples) as unsupported', async () => {
    const file = path.join(workspaceRoot, '../shared/flac-conformance/uncommon/05 - 32bps audio.flac');
    const probe = await prober.probe(file);
    expect(probe).toMatchObject({ ok: false, kind: 'unsupported-format' });
    expect(!probe.ok && probe.message).toMatch(/32-bit samples/);
  });

  describeWithFlac('damaged files', () => {
    it('finds where a truncated file really ends (at the end and before the middle)', async () => {
      const offsets = frameOffsets(song.stems[0].path);
      expect(offsets).toHaveLength(118);
      // Cut inside frame 70: frames 0–69 are complete, the audio ends at 70 × 4096 = 286,720.
      const late = damagedCopy('cut70.flac', (bytes) => bytes.slice(0, offsets[70] + 500));
      expect(await prober.probe(late)).toMatchObject({ ok: true, frames: 480_000, presentFrames: 286_720, corruptFrames: [] });
      // Cut inside frame 20 (before the middle): the audio ends at 20 × 4096 = 81,920.
      const early = damagedCopy('cut20.flac', (bytes) => bytes.slice(0, offsets[20] + 100));
      expect(await prober.probe(early)).toMatchObject({ ok: true, presentFrames: 81_920 });
    });

    it('reports a corrupt frame in the middle with its position', async () => {
      // The middle probe decodes [240,000, 244,096): FLAC frames 58 and 59. Damage frame 58's body.
      const offsets = frameOffsets(song.stems[0].path);
      const file = damagedCopy('crc58.flac', (bytes) => {
        bytes[Math.floor((offsets[58] + offsets[59]) / 2)] ^= 0x5a;
        return bytes;
      });
      const probe = (await prober.probe(file)) as StemFacts;
      expect(probe.ok).toBe(true);
      expect(probe.presentFrames).toBe(480_000);
      // Frame 58 holds [237,568, 241,664): its samples from the probe's start (240,000) are silence.
      expect(probe.corruptFrames.map((c) => c.at)).toEqual([240_000]);
      expect(probe.corruptFrames[0].message).toMatch(/CRC/i);
    });
  });

  it('reads a copy under another name the same way (no state between probes)', async () => {
    const copy = path.join(dir, 'copy.flac');
    copyFileSync(song.stems[0].path, copy);
    const [a, b] = await Promise.all([prober.probe(copy), prober.probe(song.stems[0].path)]);
    expect(a).toEqual(b);
  });
});

(hasNginx ? describe : describe.skip)('nodeStemProber on URL stems (nginx on 127.0.0.1)', () => {
  it('probes a stem by byte ranges exactly as the same file on disk; a 404 is a missing file', async () => {
    const served = path.join(dir, 'served');
    mkdirSync(served);
    copyFileSync(song.stems[0].path, path.join(served, 'stem.flac'));
    const server = await startNginx(served);
    try {
      const probe = await prober.probe(`${server.origin}/stem.flac`);
      expect(probe).toEqual(await prober.probe(song.stems[0].path));
      const gone = `${server.origin}/gone.flac`;
      expect(await prober.probe(gone)).toEqual({ ok: false, kind: 'missing-file', message: `${gone}: the server answered 404 Not Found (no such file there)` });
    } finally {
      await server.stop();
    }
  });
});

describe('nodeStemProber on servers that cannot serve stems', () => {
  it('refuses a server that ignores Range (it would send whole files) and an unreachable one', async () => {
    const bytes = readFileSync(song.stems[0].path);
    const server: Server = createServer((_request, response) => {
      response.writeHead(200, { 'content-length': bytes.length }).end(bytes);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      const url = `http://127.0.0.1:${port}/stem.flac`;
      expect(await prober.probe(url)).toEqual({
        ok: false,
        kind: 'unreadable-file',
        message: `${url}: the server does not support byte ranges (it answered a Range request with 200 and the whole file); serve the stems from one that does (nginx, Apache, Caddy, \`trax serve\`)`,
      });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    const closed = `http://127.0.0.1:${port}/stem.flac`;
    expect(await prober.probe(closed)).toEqual({ ok: false, kind: 'unreadable-file', message: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/stem\.flac: .*ECONNREFUSED/) });
  });
});
