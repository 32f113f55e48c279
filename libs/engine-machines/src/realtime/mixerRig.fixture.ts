import { StreamingBuffer } from '@trax/streaming-buffer';
import { MixerClient } from '../mixer/MixerClient.js';
import { syntheticPcm } from '../testing/syntheticPcm.js';
import { Mixer } from './Mixer.js';
import type { MixerCommand } from './MixerCommand.js';
import { createMixerMemory } from './MixerMemory.js';
import { songStatusCount, SongStatusField } from './SongRegistration.js';
import type { CountInSource, SongRegistration } from './SongRegistration.js';
import { StatusBlock } from './StatusBlock.js';

/** The rig's chunk grid: small, so windows and gaps are easy to set by hand. */
const GRID = 1024;

/** A test song: per stem its whole synthetic PCM (the oracle) and the buffer the mixer reads. */
export interface RigSong {
  readonly instance: number;
  readonly songId: string;
  readonly frames: number;
  readonly pcm: Float32Array[][];
  readonly buffers: StreamingBuffer[];
  readonly status: StatusBlock;
  /** Its count-in, if it has one. */
  readonly countIn?: CountInSource;
}

/** What the mixer published about a song. */
export interface RigCounters {
  readonly position: number;
  readonly underrunQuanta: number;
  readonly firstAudioAtOutputFrame: number;
  readonly transitionGapFrames: number;
  readonly countInLeft: number;
  readonly loopWraps: number;
  readonly starvedQuanta: number[];
}

export interface RigEvent {
  readonly kind: number;
  readonly song: string | undefined;
  readonly id: number;
  readonly outputFrame: number;
  readonly value: number;
  readonly detail: number;
}

/**
 * The mixer as a test drives it: the real Mixer over real rings and status blocks, with songs of
 * synthetic stems in real streaming buffers whose contents the test sets (`load`, `unload`).
 */
export class MixerRig {
  readonly memory = createMixerMemory(false);
  readonly mixer = new Mixer(this.memory);
  readonly client = new MixerClient(this.memory);
  private readonly songs = new Map<number, RigSong>();
  private nextInstance = 1;

  /** A registered song whose stems hold all their audio (unless `loaded: false`). */
  song(
    songId: string,
    frames: number,
    stems: { id: string; channels: number }[],
    options: { loaded?: boolean; countIn?: { frames: number; stem: number } | { frames: number; click: Float32Array } } = {},
  ): RigSong {
    const buffers = stems.map((s) => new StreamingBuffer({ channels: s.channels, sampleRate: 48_000, chunkFrames: GRID, bufferChunks: Math.ceil(frames / GRID), totalFrames: frames }));
    const song: RigSong = {
      instance: this.nextInstance++,
      songId,
      frames,
      pcm: stems.map((s) => syntheticPcm(songId, s.id, s.channels, 0, frames)),
      buffers,
      status: StatusBlock.create(songStatusCount(stems.length), false),
      countIn: countInOf(options.countIn),
    };
    this.songs.set(song.instance, song);
    this.mixer.register(this.registration(song));
    if (options.loaded ?? true) stems.forEach((_, i) => this.load(song, i, 0, frames));
    return song;
  }

  /** What the control thread hands the mixer about `song` (its stems at unit gain). */
  registration(song: RigSong): SongRegistration {
    return {
      instance: song.instance,
      songId: song.songId,
      totalFrames: song.frames,
      status: song.status.buffer,
      stems: song.buffers.map((buffer, i) => ({ channels: song.pcm[i].length, totalFrames: song.frames, gain: 1, muted: false, solo: false, pcm: { kind: 'window', storage: buffer.storageBuffer } })),
      ...(song.countIn ? { countIn: song.countIn } : {}),
    };
  }

  /** Stem `stem` of `song` holds frames [from, to) (in addition to what it held). */
  load(song: RigSong, stem: number, from: number, to: number): void {
    const pcm = song.pcm[stem];
    song.buffers[stem].pushChunk({ index: Math.floor(from / GRID), startFrame: from, frameCount: to - from, channelData: pcm.map((c) => c.subarray(from, to)) });
  }

  /** Stem `stem` of `song` holds nothing. */
  unload(song: RigSong, stem: number): void {
    song.buffers[stem].clear();
  }

  post(...commands: MixerCommand[]): void {
    for (const command of commands) this.client.post(command);
  }

  /** Renders `frames` frames in quanta of `quantum`; returns the stereo output. */
  render(frames: number, quantum = 128): Float32Array[] {
    const out = [new Float32Array(frames), new Float32Array(frames)];
    const block = [new Float32Array(quantum), new Float32Array(quantum)];
    for (let at = 0; at < frames; at += quantum) {
      const n = Math.min(quantum, frames - at);
      this.mixer.render(block, n);
      out[0].set(block[0].subarray(0, n), at);
      out[1].set(block[1].subarray(0, n), at);
    }
    return out;
  }

  events(): RigEvent[] {
    const seen: RigEvent[] = [];
    this.client.drainEvents((e) => seen.push({ kind: e.kind, song: this.songs.get(e.song)?.songId, id: e.id, outputFrame: e.outputFrame, value: e.value, detail: e.detail }));
    return seen;
  }

  counters(song: RigSong): RigCounters {
    const v = song.status.snapshot(new Float64Array(song.status.values.length));
    const stems = song.pcm.length;
    return {
      position: v[SongStatusField.position],
      underrunQuanta: v[SongStatusField.underrunQuanta],
      firstAudioAtOutputFrame: v[SongStatusField.firstAudioAtOutputFrame],
      transitionGapFrames: v[SongStatusField.transitionGapFrames],
      countInLeft: v[SongStatusField.countInLeft],
      loopWraps: v[SongStatusField.loopWraps],
      starvedQuanta: Array.from({ length: stems }, (_, i) => v[SongStatusField.stemBase + 2 * i]),
    };
  }
}

function countInOf(countIn: { frames: number; stem: number } | { frames: number; click: Float32Array } | undefined): CountInSource | undefined {
  if (!countIn) return undefined;
  return { frames: countIn.frames, from: 'stem' in countIn ? { kind: 'stem', stem: countIn.stem } : { kind: 'click', pcm: { kind: 'whole', channels: [countIn.click] } } };
}

/** Sample `frame` of channel `channel` of stem `stem` of `song` (the oracle). */
export const value = (song: RigSong, stem: number, channel: number, frame: number): number => song.pcm[stem][channel][frame];
