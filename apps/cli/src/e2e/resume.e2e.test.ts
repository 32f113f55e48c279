import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openFileDecoder } from '@trax/chunk-decoder/node';
import { parseResumeJournal, type ResumeJournal } from '@trax/engine-machines';
import { parseFloatWav } from '@trax/engine-machines/node';
import { fixture, type GeneratedSetlist } from '@trax/test-audio';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runTrax, workspaceRoot } from './runTrax.fixture.js';

/*
 * Issue 14's crash test: `trax play --realtime` killed with SIGKILL at random moments (20 runs),
 * then `trax play --resume=play` continues within one bar of where it was, with the same mix.
 *
 * Where it was is read from the killed run's own output (raw float PCM on stdout): its last frames
 * are matched against the reference mix (every stem decoded directly, with the script's mix), which
 * gives the song frame playing at the kill. The resumed render must then be that reference mix from
 * the start of the bar at the kill or of the bar before it (the journal is at most ~1 s old; a bar
 * is 2 s), sample for sample: the same song, the same mix, within one bar.
 */
const RATE = 48_000;
const BAR = 2 * RATE; // 120 BPM in 4/4
const RUNS = 20;
/** Killed runs going on at once (each also starts a TypeScript process: the machine has 2 cores). */
const LANES = 3;
const MUTED_STEM = 0;
const QUIET_STEM = 1;
const QUIET_GAIN = 10 ** (-6 / 20);

let generated: GeneratedSetlist;
let setlistFile: string;
let scriptFile: string;
/** The reference mix with the script's mix (stem 0 muted, stem 1 at −6 dB), and with all stems at 0 dB. */
let mixed: Float64Array;
let plain: Float64Array;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'trax-cli-resume-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

beforeAll(async () => {
  generated = await fixture({ name: 'cli-resume', songs: [{ songId: 'live', stems: 3, seconds: 16, sampleRate: RATE, bitDepth: 16, channels: 1 }] });
  const song = generated.songs[0];
  setlistFile = path.join(tmp, 'live.json');
  writeFileSync(setlistFile, JSON.stringify({ name: 'live', songs: [{ id: song.id, stems: song.stems.map((s) => ({ id: s.id, path: s.path })), tempo: 120 }] }));
  scriptFile = path.join(tmp, 'mix.json');
  writeFileSync(
    scriptFile,
    JSON.stringify([
      { at: 0.3, do: 'mute', stem: song.stems[MUTED_STEM].id },
      { at: 0.6, do: 'gain', stem: song.stems[QUIET_STEM].id, db: -6 },
    ]),
  );
  mixed = new Float64Array(song.frames);
  plain = new Float64Array(song.frames);
  for (const [k, stem] of song.stems.entries()) {
    const decoder = await openFileDecoder(stem.path);
    const pcm = (await decoder.decodeRange(0, decoder.totalFrames)).channelData[0];
    const gain = k === MUTED_STEM ? 0 : k === QUIET_STEM ? QUIET_GAIN : 1;
    for (let i = 0; i < pcm.length; i++) {
      mixed[i] += gain * pcm[i];
      plain[i] += pcm[i];
    }
    await decoder.close();
  }
}, 180_000);

/** A small deterministic generator, so a failing run can be replayed (the seed is in the test name). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Does `out` (left channel) from `at` equal `mix` from `frame`, for `frames` frames? */
function matches(out: Float32Array, at: number, mix: Float64Array, frame: number, frames: number): boolean {
  if (frame < 0 || frame + frames > mix.length) return false;
  for (let k = 0; k < frames; k++) if (Math.abs(out[at + k] - mix[frame + k]) > 1e-6) return false;
  return true;
}

interface Killed {
  /** Left channel of what the killed run played before it died. */
  readonly left: Float32Array;
  /** Output frame at which the song's first frame played. */
  readonly songStart: number;
}

/** Plays the setlist in real time with the mix script and kills it (SIGKILL) once the song has played `killAfter` seconds. */
function playAndKill(journal: string, killAfter: number): Promise<Killed> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--conditions=@trax/source', '--import', 'tsx', path.join(workspaceRoot, 'apps/cli/src/main.ts'), 'play', setlistFile, '--realtime', '--quiet', '--no-cache', '--journal', journal, '--script', scriptFile, '--out', '-'],
      { cwd: workspaceRoot, env: { ...process.env, NODE_OPTIONS: '' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const left = new PcmTail();
    let songStart = -1;
    let stderr = '';
    let killed = false;
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      left.append(d);
      if (killed) return;
      if (songStart < 0) {
        // The song's first frames: the reference mix's first frames (before the script changes the mix).
        const first = left.firstNonZero();
        if (first >= 0 && left.length - first > 64) songStart = first - plain.findIndex((v) => v !== 0);
      }
      if (songStart >= 0 && left.length - songStart >= killAfter * RATE) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL' || !killed) reject(new Error(`trax play ended by itself (code ${code}, ${signal}): ${stderr}`));
      else resolve({ left: left.samples(), songStart });
    });
  });
}

/** The left channel of interleaved stereo float32 little-endian PCM, decoded as it arrives (a partial frame waits for its rest). */
class PcmTail {
  private data = new Float32Array(RATE * 16);
  private frames = 0;
  private rest: Buffer = Buffer.alloc(0);
  private scanned = 0;
  private nonZero = -1;

  get length(): number {
    return this.frames;
  }

  append(chunk: Buffer): void {
    const bytes = this.rest.length > 0 ? Buffer.concat([this.rest, chunk]) : chunk;
    const whole = Math.floor(bytes.length / 8);
    if (this.frames + whole > this.data.length) {
      const grown = new Float32Array(Math.max(2 * this.data.length, this.frames + whole));
      grown.set(this.data.subarray(0, this.frames));
      this.data = grown;
    }
    for (let i = 0; i < whole; i++) this.data[this.frames + i] = bytes.readFloatLE(8 * i);
    this.frames += whole;
    this.rest = bytes.subarray(whole * 8);
  }

  firstNonZero(): number {
    for (; this.nonZero < 0 && this.scanned < this.frames; this.scanned++) if (this.data[this.scanned] !== 0) this.nonZero = this.scanned;
    return this.nonZero;
  }

  samples(): Float32Array {
    return this.data.slice(0, this.frames);
  }
}

/**
 * The song frame playing when the run was killed: its last 1,024 frames matched against the
 * reference mix near where the frame count says (an underrun or a dropped quantum would shift the
 * count, not the content).
 */
function killedAt(run: Killed): number {
  const tail = 1024;
  const at = run.left.length - tail;
  const estimate = at - run.songStart;
  for (let d = 0; d <= RATE; d++) {
    for (const frame of [estimate - d, estimate + d]) if (matches(run.left, at, mixed, frame, tail)) return frame + tail;
  }
  throw new Error(`the killed run's last frames are not the song's near frame ${estimate} (an underrun at the kill?)`);
}

describe('trax play --resume after kill -9', () => {
  it(`continues within one bar, with the same mix, after ${RUNS} kills at random moments`, async () => {
    const next = random(14);
    const plans = Array.from({ length: RUNS }, (_, run) => ({ run, killAfter: 2.5 + next() * 3 }));
    const outcomes: { run: number; killedAt: number; journaled: ResumeJournal; resumedAt: number }[] = [];
    const work = async (plan: { run: number; killAfter: number }) => {
      const dir = path.join(tmp, `run-${plan.run}`);
      mkdirSync(dir, { recursive: true });
      const journal = path.join(dir, 'resume.json');
      const killed = await playAndKill(journal, plan.killAfter);
      const at = killedAt(killed);
      // The journal the kill left loads.
      const journaled = parseResumeJournal(readFileSync(journal, 'utf8'), journal);
      const out = path.join(dir, 'resumed.wav');
      const resumed = await runTrax(['play', setlistFile, '--render', '--quiet', '--no-cache', '--journal', journal, '--resume=play', '--seconds', '1', '--out', out], { timeoutMs: 120_000 });
      expect(resumed.code).toBe(0);
      expect(resumed.stderr).toBe(`trax: resuming live from frame ${journaled.position.frame} (playing)\n`);
      const left = parseFloatWav(readFileSync(out)).channelData[0];
      // The bar at the kill, or the one before it: the resumed output is the reference mix from its start.
      const bar = Math.floor(at / BAR);
      const resumedAt = [bar * BAR, (bar - 1) * BAR].find((start) => matches(left, 0, mixed, start, RATE));
      expect({ run: plan.run, killedAt: at, resumedAt }).toEqual({ run: plan.run, killedAt: at, resumedAt: expect.any(Number) });
      outcomes.push({ run: plan.run, killedAt: at, journaled, resumedAt: resumedAt as number });
    };
    const queue = [...plans];
    await Promise.all(
      Array.from({ length: LANES }, async () => {
        for (let plan = queue.shift(); plan; plan = queue.shift()) await work(plan);
      }),
    );
    expect(outcomes).toHaveLength(RUNS);
    for (const o of outcomes) {
      expect(o.resumedAt).toBeLessThanOrEqual(o.killedAt);
      expect(o.killedAt - o.resumedAt).toBeLessThan(2 * BAR);
      expect(o.journaled.mix.map((m) => [m.muted, m.gainDb])).toEqual([
        [true, 0],
        [false, -6],
        [false, 0],
      ]);
    }
  }, 600_000);
});
