import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openFileDecoder } from '@trax/chunk-decoder/node';
import { parseFloatWav } from '@trax/engine-machines/node';
import { fixture, type GeneratedSetlist } from '@trax/test-audio';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WebSocket } from 'ws';
import { runTrax, workspaceRoot } from './runTrax.fixture.js';

const RATE = 48_000;
let setlist: GeneratedSetlist;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'trax-cli-play-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

beforeAll(async () => {
  setlist = await fixture({
    name: 'cli-play',
    songs: [
      { songId: 'first', stems: 4, seconds: 12, sampleRate: RATE, bitDepth: 24, channels: 2 },
      { songId: 'second', stems: 3, seconds: 4, sampleRate: RATE, bitDepth: 16, channels: 1 },
    ],
  });
}, 180_000);

/** The independent truth: every stem decoded directly, gain applied, summed (mono to both sides). */
async function referenceMix(songIndex: number, from: number, frames: number): Promise<Float32Array[]> {
  const mix = [new Float64Array(frames), new Float64Array(frames)];
  for (const stem of setlist.songs[songIndex].stems) {
    const decoder = await openFileDecoder(stem.path);
    const pcm = await decoder.decodeRange(from, Math.min(frames, decoder.totalFrames - from));
    const gain = 10 ** ((stem.gainDb ?? 0) / 20);
    for (let c = 0; c < 2; c++) {
      const data = pcm.channelData[Math.min(c, pcm.channelData.length - 1)];
      for (let i = 0; i < pcm.frameCount; i++) mix[c][i] += data[i] * gain;
    }
    await decoder.close();
  }
  return mix.map((m) => Float32Array.from(m));
}

function maxDiff(a: Float32Array, b: Float32Array, from: number, to: number, offsetB = 0): number {
  let worst = 0;
  for (let i = from; i < to; i++) worst = Math.max(worst, Math.abs(a[i] - b[i - offsetB]));
  return worst;
}

const render = (args: string[]) => runTrax(['play', setlist.path, '--render', '--quiet', '--cache-dir', path.join(tmp, 'cache'), ...args], { timeoutMs: 120_000 });

describe('trax play --render', () => {
  it('bounces the setlist: each song equals the sum of its stems, and the next follows with no gap', async () => {
    const out = path.join(tmp, 'whole.wav');
    const metricsFile = path.join(tmp, 'whole.json');
    const run = await render(['--out', out, '--metrics', metricsFile]);
    expect(run.stderr).not.toMatch(/error/i);
    expect(run.code).toBe(0);
    const wav = parseFloatWav(readFileSync(out));
    const first = setlist.songs[0].frames;
    const second = setlist.songs[1].frames;
    expect(wav.sampleRate).toBe(RATE);
    expect(wav.channelData[0].length).toBe(first + second);
    const [l1, r1] = await referenceMix(0, 0, first);
    const [l2, r2] = await referenceMix(1, 0, second);
    expect(maxDiff(wav.channelData[0], l1, 0, first)).toBeLessThan(1e-6);
    expect(maxDiff(wav.channelData[1], r1, 0, first)).toBeLessThan(1e-6);
    expect(maxDiff(wav.channelData[0], l2, first, first + second, first)).toBeLessThan(1e-6);
    expect(maxDiff(wav.channelData[1], r2, first, first + second, first)).toBeLessThan(1e-6);

    const metrics = JSON.parse(readFileSync(metricsFile, 'utf8'));
    expect(metrics.songs.map((s: { song: string }) => s.song)).toEqual(['first', 'second']);
    for (const song of metrics.songs) {
      expect(song.firstAudioMs).toBeGreaterThan(0);
      expect(song.firstAudioMs).toBeLessThan(30_000);
      expect(song.underruns).toBe(0);
      expect(song.cacheHitRate).toBeGreaterThanOrEqual(0);
      expect(song.cacheHitRate).toBeLessThanOrEqual(1);
      expect(song.peakRssBytes).toBeGreaterThan(10e6);
      expect(Array.isArray(song.seeks)).toBe(true);
    }
    expect(metrics.songs[1].transitionGapFrames).toBe(0);
    expect(metrics.peakRssBytes).toBeGreaterThan(10e6);
  }, 180_000);

  it('lands scripted seeks and mix changes where asked', async () => {
    const script = path.join(tmp, 'script.json');
    writeFileSync(
      script,
      JSON.stringify([
        { at: 1, do: 'seek', to: 8 },
        { at: 3, do: 'mute', stem: setlist.songs[0].stems[0].id },
      ]),
    );
    const out = path.join(tmp, 'seek.wav');
    const metricsFile = path.join(tmp, 'seek.json');
    const run = await render(['--script', script, '--seconds', '4', '--out', out, '--metrics', metricsFile]);
    expect(run.code).toBe(0);
    const wav = parseFloatWav(readFileSync(out));
    expect(wav.channelData[0].length).toBe(4 * RATE);
    // Seek at output 1 s (a quantum boundary: 48000 = 375 × 128) to 8 s, then a 50 ms crossfade.
    const fade = 0.05 * RATE;
    const before = await referenceMix(0, 0, RATE);
    expect(maxDiff(wav.channelData[0], before[0], 0, RATE)).toBeLessThan(1e-6);
    const after = await referenceMix(0, 8 * RATE, 2 * RATE);
    expect(maxDiff(wav.channelData[0], after[0], RATE + fade, 3 * RATE, RATE)).toBeLessThan(1e-6);
    const metrics = JSON.parse(readFileSync(metricsFile, 'utf8'));
    expect(metrics.songs[0].seeks).toHaveLength(1);
    expect(metrics.songs[0].seeks[0].latencyMs).toBeGreaterThanOrEqual(0);
    // After 3 s the first stem is muted: the mix is the other stems only (reference without it).
    const rest = setlist.songs[0].stems.slice(1);
    const partial = [new Float64Array(RATE), new Float64Array(RATE)];
    for (const stem of rest) {
      const decoder = await openFileDecoder(stem.path);
      const pcm = await decoder.decodeRange(10 * RATE, RATE);
      const gain = 10 ** ((stem.gainDb ?? 0) / 20);
      for (let i = 0; i < RATE; i++) partial[0][i] += pcm.channelData[0][i] * gain;
      await decoder.close();
    }
    expect(maxDiff(wav.channelData[0], Float32Array.from(partial[0]), 3 * RATE + 128, 4 * RATE, 3 * RATE)).toBeLessThan(1e-6);
  }, 180_000);

  it('plays FLAC files given directly as one song, from --song of a setlist, and a folder', async () => {
    const files = setlist.songs[1].stems.map((s) => s.path);
    const direct = await runTrax(['play', ...files, '--render', '--quiet', '--no-cache', '--seconds', '1'], { timeoutMs: 60_000 });
    expect(direct.code).toBe(0);
    const chosen = await render(['--song', 'second', '--seconds', '1', '--no-cache']);
    expect(chosen.code).toBe(0);
    const folder = await runTrax(['play', path.dirname(files[0]), '--render', '--quiet', '--no-cache', '--seconds', '1'], { timeoutMs: 60_000 });
    expect(folder.code).toBe(0);
  }, 180_000);
});

describe('trax play errors', () => {
  it.each([
    [['play'], /missing required argument/],
    [['play', 'x.json', '--render', '--realtime'], /choose one of --realtime and --render/],
    [['play', 'x.json', '--seconds', 'soon'], /not a number/],
  ])('exits 2 on bad usage: %j', async (args, message) => {
    const run = await runTrax(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  it('exits 2 for a --song that is not in the setlist', async () => {
    const run = await render(['--song', 'encore']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--song "encore" is not in/);
  });

  it('exits 1 naming a missing setlist, a broken script and a corrupt stem', async () => {
    const missing = path.join(tmp, 'nope.json');
    const run = await runTrax(['play', missing, '--render']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(missing);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);

    const script = path.join(tmp, 'bad-script.json');
    writeFileSync(script, JSON.stringify([{ at: 1, do: 'teleport' }]));
    const bad = await render(['--script', script]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(`${script}: $[0].do: must be one of`);

    const corrupt = path.join(tmp, 'corrupt.flac');
    writeFileSync(corrupt, Buffer.from('fLaC but not really a stream'));
    const broken = await runTrax(['play', corrupt, '--render', '--quiet', '--no-cache', '--seconds', '1'], { timeoutMs: 60_000 });
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('corrupt.flac');
  }, 120_000);
});

describe('trax play --inspect-port', () => {
  it('serves actor and snapshot messages on 127.0.0.1 only', async () => {
    const child = spawn(
      process.execPath,
      ['--conditions=@trax/source', '--import', 'tsx', path.join(workspaceRoot, 'apps/cli/src/main.ts'), 'play', setlist.path, '--realtime', '--quiet', '--no-cache', '--seconds', '2', '--inspect-port', '0'],
      { cwd: workspaceRoot, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    const port = await new Promise<number>((resolve, reject) => {
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        const match = /ws:\/\/127\.0\.0\.1:(\d+)\//.exec(stderr);
        if (match) resolve(Number(match[1]));
      });
      child.on('close', () => reject(new Error(`trax ended before serving: ${stderr}`)));
    });
    const messages: { type: string; systemId?: string; value?: unknown }[] = [];
    const socket = new WebSocket(`ws://127.0.0.1:${port}/`);
    socket.on('message', (data) => {
      const batch = JSON.parse(String(data));
      expect(batch.type).toBe('batch');
      messages.push(...batch.messages);
    });
    socket.on('error', () => undefined);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(messages.some((m) => m.type === 'actor.created' && m.systemId === 'engine')).toBe(true);
    expect(messages.some((m) => m.type === 'actor.created' && m.systemId?.startsWith('song:'))).toBe(true);
    expect(messages.some((m) => m.type === 'snapshot')).toBe(true);
    expect(messages.some((m) => m.type === 'metrics')).toBe(true);
    // Every message is small: no audio buffers travel.
    expect(Math.max(...messages.map((m) => JSON.stringify(m).length))).toBeLessThan(64_000);
  }, 120_000);

  it('does not listen on other interfaces', async () => {
    const external = Object.values(os.networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
    if (!external) {
      console.warn('no external IPv4 interface: non-loopback reachability not checked');
      return;
    }
    const child = spawn(
      process.execPath,
      ['--conditions=@trax/source', '--import', 'tsx', path.join(workspaceRoot, 'apps/cli/src/main.ts'), 'play', setlist.path, '--realtime', '--quiet', '--no-cache', '--seconds', '2', '--inspect-port', '0'],
      { cwd: workspaceRoot, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    const port = await new Promise<number>((resolve) => {
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        const match = /:(\d+)\//.exec(stderr);
        if (match) resolve(Number(match[1]));
      });
    });
    const outcome = await new Promise<string>((resolve) => {
      const socket = new WebSocket(`ws://${external}:${port}/`);
      socket.on('open', () => resolve('open'));
      socket.on('error', (e) => resolve((e as NodeJS.ErrnoException).code ?? 'error'));
    });
    expect(outcome).toBe('ECONNREFUSED');
    await new Promise((resolve) => child.on('close', resolve));
  }, 120_000);
});
