import { BufferReader } from '@trax/streaming-buffer/realtime';
import type { Frames } from '../units.js';
import type { PcmReader } from './PcmReader.js';
import type { CountInSource, SongRegistration, StemPcmSource } from './SongRegistration.js';
import { SongStatusField } from './SongRegistration.js';
import { StatusBlock } from './StatusBlock.js';
import { WholePcmReader } from './WholePcmReader.js';
import { stereoMatrix } from './downmix.js';

/** Audio thread, at registration (it allocates): the reader over a stem's audio memory. */
function openReader(pcm: StemPcmSource): PcmReader {
  return pcm.kind === 'window' ? BufferReader.fromBuffer(pcm.storage) : new WholePcmReader(pcm.channels);
}

/** One stem as the mixer sees it: owned by the audio thread once registered. */
export class MixStem {
  /** [L0, R0, L1, R1, ...] (see stereoMatrix). */
  readonly matrix: Float32Array;
  gain: number;
  muted: boolean;
  solo: boolean;
  /** A stem that could not be loaded plays as silence and is never counted as starved. */
  failed = false;
  /** Did the last rendered quantum miss data for this stem while it was audible? */
  starved = false;
  /** Quanta in which this stem was audible and missed data. */
  starvedQuanta = 0;

  constructor(
    readonly index: number,
    readonly channels: number,
    readonly reader: PcmReader,
    /** The stem's own length: past it the stem is silent, not starved. */
    readonly totalFrames: Frames,
    gain: number,
    muted: boolean,
    solo: boolean,
  ) {
    this.matrix = stereoMatrix(channels);
    this.gain = gain;
    this.muted = muted;
    this.solo = solo;
  }
}

/**
 * A registered song as the mixer sees it: its stems' readers and mix settings and the counters it
 * publishes in the song's status block. Audio thread only, after {@link MixSong.fromRegistration}.
 */
export class MixSong {
  /** How many stems are soloed (solo wins: any solo mutes every stem not soloed). */
  soloCount = 0;
  /** The play position of the song's main voice (advanced only by the mixer). */
  position: Frames = 0;
  /** Quanta in which any audible stem of the playing song missed data. */
  underrunQuanta = 0;
  /** Output frame of the first quantum that had real data for every audible stem (−1 = not yet). */
  firstAudioAtOutputFrame = -1;
  /** Output frames of silence between the previous song's end and this one's start (gapless when 0). */
  transitionGapFrames = 0;
  /** Count-in still to play, as published (the voice counts it down). */
  countInLeft = 0;
  /** The loop: at `loopEnd` playback goes back to `loopStart` (−1 = no loop); `loopId` names it in events. */
  loopId = -1;
  loopStart: Frames = -1;
  loopEnd: Frames = -1;
  /** Released at its end: reaching it once more, playback goes on instead of back. */
  loopReleasing = false;
  loopWraps = 0;

  constructor(
    readonly instance: number,
    readonly songId: string,
    readonly totalFrames: Frames,
    readonly stems: readonly MixStem[],
    private readonly status: StatusBlock,
    /** The count-in's length (0 = none) and what plays it: a stem of the song, or its own click. */
    readonly countInFrames: Frames = 0,
    readonly countInStem: MixStem | null = null,
  ) {
    for (const stem of stems) if (stem.solo) this.soloCount++;
  }

  /** Audio thread, outside the render call (it allocates the readers and views). */
  static fromRegistration(registration: SongRegistration): MixSong {
    const stems = registration.stems.map(
      (stem, i) => new MixStem(i, stem.channels, openReader(stem.pcm), stem.totalFrames, stem.gain, stem.muted, stem.solo),
    );
    const countIn = registration.countIn;
    return new MixSong(
      registration.instance,
      registration.songId,
      registration.totalFrames,
      stems,
      new StatusBlock(registration.status),
      countIn?.frames ?? 0,
      countIn ? countInStemOf(countIn, stems) : null,
    );
  }

  /** Is a loop set that playback has not passed yet? */
  get looping(): boolean {
    return this.loopEnd >= 0;
  }

  clearLoop(): void {
    this.loopStart = -1;
    this.loopEnd = -1;
    this.loopReleasing = false;
  }

  /** A registration of the same instance (a fallback to a whole decode) continues where `old` was, with its counters. */
  takeOver(old: MixSong): void {
    this.position = old.position;
    this.underrunQuanta = old.underrunQuanta;
    this.firstAudioAtOutputFrame = old.firstAudioAtOutputFrame;
    this.transitionGapFrames = old.transitionGapFrames;
    this.countInLeft = old.countInLeft;
    this.loopId = old.loopId;
    this.loopStart = old.loopStart;
    this.loopEnd = old.loopEnd;
    this.loopReleasing = old.loopReleasing;
    this.loopWraps = old.loopWraps;
    for (let i = 0; i < this.stems.length && i < old.stems.length; i++) this.stems[i].starvedQuanta = old.stems[i].starvedQuanta;
  }

  /** Solo wins: while any stem is soloed exactly the soloed stems play, muted or not; otherwise every unmuted stem plays. */
  isAudible(stem: MixStem): boolean {
    if (stem.failed || !(stem.gain > 0)) return false;
    return this.soloCount > 0 ? stem.solo : !stem.muted;
  }

  /** Writes the counters into the song's status block (for the control thread). No allocation. */
  publish(): void {
    const status = this.status;
    const values = status.values;
    status.begin();
    values[SongStatusField.position] = this.position;
    values[SongStatusField.underrunQuanta] = this.underrunQuanta;
    values[SongStatusField.firstAudioAtOutputFrame] = this.firstAudioAtOutputFrame;
    values[SongStatusField.transitionGapFrames] = this.transitionGapFrames;
    values[SongStatusField.countInLeft] = this.countInLeft;
    values[SongStatusField.loopWraps] = this.loopWraps;
    const stems = this.stems;
    for (let i = 0; i < stems.length; i++) {
      values[SongStatusField.stemBase + 2 * i] = stems[i].starvedQuanta;
      values[SongStatusField.stemBase + 2 * i + 1] = stems[i].starved ? 1 : 0;
    }
    status.end();
  }
}

/**
 * The stem a count-in plays: one of the song's (its click stem, read from frame 0), or a stem of
 * its own over the generated click (mono, at unit gain; never muted, soloed or counted).
 */
function countInStemOf(countIn: CountInSource, stems: readonly MixStem[]): MixStem | null {
  if (countIn.from.kind === 'stem') return stems[countIn.from.stem] ?? null;
  return new MixStem(-1, 1, openReader(countIn.from.pcm), countIn.frames, 1, false, false);
}
