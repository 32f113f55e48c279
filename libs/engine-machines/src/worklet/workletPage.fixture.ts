// A page for mixerProcessor.test.ts (bundled for the browser): plays a synthetic song through the
// mixer in an AudioWorklet and compares what the worklet rendered (its tap) with the oracle.
import { StreamingBuffer } from '@trax/streaming-buffer';
import { WorkletMixer } from '../mixer/WorkletMixer.js';
import { playCommand, startCommand } from '../realtime/MixerCommand.js';
import { songStatusCount, SongStatusField } from '../realtime/SongRegistration.js';
import { StatusBlock } from '../realtime/StatusBlock.js';
import { syntheticPcm } from '../testing/syntheticPcm.js';
import type { AudioContextLike } from './webAudio.js';

const RATE = 48_000;
const SONG_FRAMES = 3 * RATE;
const STEMS = [
  { id: 'kick', channels: 1 },
  { id: 'keys', channels: 2 },
];

export interface WorkletRun {
  readonly crossOriginIsolated: boolean;
  readonly sampleRate: number;
  /** Frames the worklet rendered into its tap, and where the song's first non-silent frame was. */
  readonly frames: number;
  readonly start: number;
  /** Largest |rendered − (sum of the stems)| from the first frame on. */
  readonly maxError: number;
  readonly outputFrames: number;
  readonly underruns: number;
}

// The page's Web Audio (the library compiles without DOM typings).
declare const AudioContext: new (options: { sampleRate: number }) => AudioContextLike & { resume(): Promise<void>; close(): Promise<void> };

async function run(seconds: number): Promise<WorkletRun> {
  const context = new AudioContext({ sampleRate: RATE });
  await context.resume();
  const mixer = await WorkletMixer.create(context, { moduleUrl: '/mixerProcessor.js', tapSeconds: seconds + 1 });
  const pcm = STEMS.map((s) => syntheticPcm('worklet', s.id, s.channels, 0, SONG_FRAMES));
  const buffers = STEMS.map((s, i) => {
    const buffer = new StreamingBuffer({ channels: s.channels, sampleRate: RATE, chunkFrames: RATE, bufferChunks: 3, totalFrames: SONG_FRAMES, shared: true });
    buffer.pushChunk({ index: 0, startFrame: 0, frameCount: SONG_FRAMES, channelData: pcm[i] });
    return buffer;
  });
  const status = StatusBlock.create(songStatusCount(STEMS.length), true);
  mixer.registerSong({
    instance: 1,
    songId: 'worklet',
    totalFrames: SONG_FRAMES,
    status: status.buffer,
    stems: STEMS.map((s, i) => ({ channels: s.channels, totalFrames: SONG_FRAMES, gain: 1, muted: false, solo: false, pcm: { kind: 'window', storage: buffers[i].storageBuffer } })),
  });
  mixer.post(startCommand(1, 0, 0));
  mixer.post(playCommand());
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const rendered: number[] = [];
  mixer.tap?.read((interleaved, frames) => {
    for (let i = 0; i < frames * 2; i++) rendered.push(interleaved[i]);
  });
  const frames = rendered.length / 2;
  let start = -1;
  for (let i = 0; i < frames && start < 0; i++) if (rendered[2 * i] !== 0 || rendered[2 * i + 1] !== 0) start = i;
  let maxError = 0;
  for (let i = Math.max(0, start); i < frames && i - start < SONG_FRAMES; i++) {
    const f = i - start;
    const left = pcm[0][0][f] + pcm[1][0][f];
    const right = pcm[0][0][f] + pcm[1][1][f];
    maxError = Math.max(maxError, Math.abs(rendered[2 * i] - left), Math.abs(rendered[2 * i + 1] - right));
  }
  const outputFrames = mixer.status().outputFrames;
  const underruns = status.snapshot(new Float64Array(status.values.length))[SongStatusField.underrunQuanta];
  await mixer.close();
  await context.close();
  return { crossOriginIsolated: (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true, sampleRate: context.sampleRate, frames, start, maxError, outputFrames, underruns };
}

(globalThis as { trax?: unknown }).trax = { run };
