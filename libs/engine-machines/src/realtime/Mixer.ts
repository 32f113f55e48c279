import type { Frames } from '../units.js';
import type { MixerCommand } from './MixerCommand.js';
import { MixerEventKind, MixerEventRing } from './MixerEvent.js';
import type { MixerEventRecord } from './MixerEvent.js';
import type { MixSong } from './MixSong.js';
import { fillEqualPowerRamp } from './gain.js';

/** FLAC's maximum channel count. */
export const MAX_STEM_CHANNELS = 8;
/**
 * Longest quantum rendered in one piece (longer calls are split and count as several quanta):
 * 4096 frames ≈ 85 ms at 48 kHz, far above the 128-frame quantum of Web Audio and sound cards.
 */
export const MAX_QUANTUM_FRAMES = 4096;

/** A song being played by the mixer: which buffer set it reads, where, and its fade. */
class Voice {
  song: MixSong | null = null;
  set = 0;
  position: Frames = 0;
  /** Waiting for its first data before it starts (a song start, or the next song after a gap). */
  waiting = false;
  /** While waiting: count the wait as a transition gap (the previous song ended into it). */
  countsGap = false;
  /** Equal-power ramp: length 0 = none. */
  rampLength: Frames = 0;
  rampDone: Frames = 0;
  fadeIn = true;
  /** The seek that made this voice fade out (-1 for a song jump). */
  tag = -1;

  assign(song: MixSong, set: number, position: Frames): void {
    this.song = song;
    this.set = set;
    this.position = position;
    this.waiting = false;
    this.countsGap = false;
    this.rampLength = 0;
    this.rampDone = 0;
    this.tag = -1;
  }

  copyFrom(other: Voice): void {
    this.song = other.song;
    this.set = other.set;
    this.position = other.position;
    this.waiting = other.waiting;
    this.countsGap = false;
    this.rampLength = other.rampLength;
    this.rampDone = other.rampDone;
    this.fadeIn = other.fadeIn;
    this.tag = other.tag;
  }

  ramp(length: Frames, fadeIn: boolean): void {
    this.rampLength = length;
    this.rampDone = 0;
    this.fadeIn = fadeIn;
  }

  clear(): void {
    this.song = null;
    this.waiting = false;
    this.rampLength = 0;
    this.rampDone = 0;
  }

  ramping(): boolean {
    return this.rampLength > 0 && this.rampDone < this.rampLength;
  }
}

/**
 * The real-time mixer: a pull-model `render(out, frames)` that mixes every stem of the playing
 * song (and, during a seek crossfade or a song jump, the fading voice) into stereo, with per-stem
 * gain, mute and solo (solo wins), mono stems to both sides and more than two channels downmixed.
 *
 * Real-time rules (STYLE habit 3): `render` never allocates (scratch buffers and event records are
 * made in the constructor), never awaits, never throws. Missing data is silence for that stem only:
 * every stem stays locked to the one play position, which only `render` advances. Each quantum in
 * which an audible stem of the playing song misses data counts one underrun.
 *
 * Threads: `post` and `drainEvents` are for the control thread; `render` for the audio thread. In
 * Node both run on one thread, between quanta; in an AudioWorklet the commands and events cross as
 * messages.
 *
 * @example
 * const mixer = new Mixer();
 * mixer.post(startCommand(song, 0, 0, 0));
 * mixer.post(playCommand());
 * const out = [new Float32Array(128), new Float32Array(128)];
 * mixer.render(out, 128);
 * mixer.drainEvents((e) => console.log(e.kind, e.outputFrame));
 */
export class Mixer {
  /** Audio thread writes: frames rendered since creation (the output clock). */
  outputFrames: Frames = 0;
  /** Audio thread writes: whether the transport is running. */
  playing = false;

  private readonly commands: MixerCommand[] = [];
  private readonly events = new MixerEventRing();
  private readonly scratch: Float32Array[];
  private readonly ramp: Float32Array;
  private readonly main = new Voice();
  private readonly partner = new Voice();
  private next: MixSong | null = null;
  private nextSet = 0;
  private seekId = -1;
  private seekSong: MixSong | null = null;
  private seekSet = 0;
  private seekTarget: Frames = 0;
  private seekCrossfade: Frames = 0;

  constructor(readonly maxQuantumFrames: Frames = MAX_QUANTUM_FRAMES) {
    this.scratch = Array.from({ length: MAX_STEM_CHANNELS }, () => new Float32Array(maxQuantumFrames));
    this.ramp = new Float32Array(maxQuantumFrames);
  }

  /** Control thread: queue a command for the start of the next quantum. */
  post(command: MixerCommand): void {
    this.commands.push(command);
  }

  /** Control thread: visit (and remove) the events of the quanta rendered since the last drain. */
  drainEvents(visit: (event: MixerEventRecord) => void): void {
    this.events.drain(visit);
  }

  /** Control thread: events lost because they were not drained in time. */
  get droppedEvents(): number {
    return this.events.dropped;
  }

  /** Control/audio thread: the song whose voice is the main one (playing or waiting to start). */
  get currentSong(): MixSong | null {
    return this.main.song;
  }

  /** Control thread: is the main voice waiting for data (a start, or the next song after the previous ended)? */
  get waitingForData(): boolean {
    return this.main.song !== null && this.main.waiting;
  }

  /** Control thread: the pending seek's id, or -1. */
  get pendingSeekId(): number {
    return this.seekId;
  }

  /** Control thread: the song armed to follow the playing one. */
  get armedNext(): MixSong | null {
    return this.next;
  }

  /**
   * Audio thread: mixes `frames` frames into `out` (2 channels; the left alone when given one),
   * overwriting what is there.
   */
  render(out: Float32Array[], frames: Frames): void {
    this.applyCommands();
    for (let c = 0; c < out.length; c++) out[c].fill(0, 0, frames);
    let offset = 0;
    while (offset < frames) {
      const n = Math.min(this.maxQuantumFrames, frames - offset);
      if (this.playing) this.renderQuantum(out, offset, n);
      else this.idleQuantum(n);
      this.outputFrames += n;
      offset += n;
    }
  }

  private applyCommands(): void {
    const commands = this.commands;
    for (let i = 0; i < commands.length; i++) this.apply(commands[i]);
    commands.length = 0;
  }

  private apply(command: MixerCommand): void {
    switch (command.type) {
      case 'play':
        this.playing = true;
        break;
      case 'pause':
        this.playing = false;
        // A paused transport is silent: a fading voice has nothing left to fade.
        this.releasePartner();
        break;
      case 'stop':
        this.playing = false;
        this.releasePartner();
        if (this.main.song) this.events.push(MixerEventKind.Released, this.main.song, -1, this.outputFrames, 0);
        this.main.clear();
        this.next = null;
        this.seekId = -1;
        this.seekSong = null;
        break;
      case 'start': {
        if (this.main.song === command.song) break;
        this.retireMain(command.fadeOutFrames);
        this.main.assign(command.song, command.set, command.position);
        this.main.waiting = true;
        command.song.position = command.position;
        if (this.next === command.song) this.next = null;
        break;
      }
      case 'fadeOut':
        this.retireMain(command.frames);
        this.next = null;
        break;
      case 'armNext':
        this.next = command.song;
        this.nextSet = command.set;
        break;
      case 'seek':
        this.seekId = command.seekId;
        this.seekSong = command.song;
        this.seekSet = command.set;
        this.seekTarget = command.target;
        this.seekCrossfade = command.crossfadeFrames;
        break;
      case 'cancelSeek':
        if (this.seekId === command.seekId) {
          this.seekId = -1;
          this.seekSong = null;
        }
        break;
      case 'setStem': {
        const stem = command.song.stems[command.stem];
        if (!stem) break;
        if (stem.solo !== command.solo) command.song.soloCount += command.solo ? 1 : -1;
        stem.gain = command.gain;
        stem.muted = command.muted;
        stem.solo = command.solo;
        break;
      }
      case 'failStem': {
        const stem = command.song.stems[command.stem];
        if (stem) stem.failed = true;
        break;
      }
    }
  }

  /** The main voice stops being the playing song: it fades out as the partner (when sounding) or is released at once. */
  private retireMain(fadeFrames: Frames): void {
    const main = this.main;
    if (main.song !== null && !main.waiting && this.playing && fadeFrames > 0) {
      this.releasePartner();
      this.partner.copyFrom(main);
      this.partner.ramp(fadeFrames, false);
      this.partner.tag = -1;
    } else if (main.song !== null) {
      this.events.push(MixerEventKind.Released, main.song, -1, this.outputFrames, main.set);
    }
    main.clear();
    this.seekId = -1;
    this.seekSong = null;
  }

  /** Paused: silence; a pending seek may still move the position (no crossfade: nothing sounds). */
  private idleQuantum(frames: Frames): void {
    const main = this.main;
    if (this.seekId < 0 || main.song === null || this.seekSong !== main.song) return;
    if (main.waiting || this.hasData(main.song, this.seekSet, this.seekTarget, frames)) {
      this.land(0);
    }
  }

  private renderQuantum(out: Float32Array[], offset: number, frames: Frames): void {
    const main = this.main;
    const at = this.outputFrames;
    if (this.seekId >= 0 && main.song !== null && this.seekSong === main.song) {
      if (main.waiting) this.land(0);
      else if (this.hasData(main.song, this.seekSet, this.seekTarget, frames)) this.land(this.seekCrossfade);
    }
    if (main.song !== null) {
      let done = 0;
      while (done < frames && main.song !== null) {
        const song: MixSong = main.song;
        if (main.waiting) {
          if (!this.hasData(song, main.set, main.position, frames - done)) {
            if (main.countsGap) song.transitionGapFrames += frames - done;
            break;
          }
          main.waiting = false;
          this.events.push(MixerEventKind.Started, song, main.countsGap ? 1 : 0, at + done, song.transitionGapFrames);
        }
        const n = Math.min(frames - done, song.totalFrames - main.position);
        if (n > 0) {
          const starved = this.mixVoice(main, out, offset + done, n, true);
          if (!starved && song.firstAudioAtOutputFrame < 0) {
            song.firstAudioAtOutputFrame = at + done;
            this.events.push(MixerEventKind.FirstAudio, song, -1, at + done, 0);
          }
          main.position += n;
          song.position = main.position;
          done += n;
        }
        if (main.position >= song.totalFrames) {
          this.events.push(MixerEventKind.Ended, song, -1, at + done, 0);
          const next = this.next;
          this.next = null;
          if (next === null) {
            main.clear();
          } else {
            main.assign(next, this.nextSet, 0);
            main.waiting = true;
            main.countsGap = true;
            next.position = 0;
            next.transitionGapFrames = 0;
          }
        }
      }
    }
    const partner = this.partner;
    if (partner.song !== null) {
      const n = Math.max(0, Math.min(frames, partner.song.totalFrames - partner.position));
      // Where it goes silent: the end of its fade, or of its song, within this quantum.
      const silentAt = at + Math.min(n, partner.rampLength - partner.rampDone);
      if (n > 0) this.mixVoice(partner, out, offset, n, false);
      partner.position += n;
      if (!partner.ramping() || n < frames) this.releasePartner(silentAt);
    }
  }

  /** The pending seek lands: the main voice jumps, the old position fades out as the partner. */
  private land(crossfade: Frames): void {
    const main = this.main;
    const song = this.seekSong as MixSong;
    this.releasePartner();
    if (crossfade > 0 && !main.waiting) {
      this.partner.copyFrom(main);
      this.partner.ramp(crossfade, false);
      this.partner.tag = this.seekId;
      main.ramp(crossfade, true);
    }
    const oldSet = main.set;
    main.set = this.seekSet;
    main.position = this.seekTarget;
    song.position = this.seekTarget;
    this.events.push(MixerEventKind.SeekLanded, song, this.seekId, this.outputFrames, this.seekTarget);
    if (crossfade <= 0 || main.waiting) {
      // Nothing sounding to fade from: the old position's buffers are free at once.
      this.events.push(MixerEventKind.Released, song, this.seekId, this.outputFrames, oldSet);
      main.rampLength = 0;
    }
    this.seekId = -1;
    this.seekSong = null;
  }

  private releasePartner(outputFrame: Frames = this.outputFrames): void {
    const partner = this.partner;
    if (partner.song === null) return;
    this.events.push(MixerEventKind.Released, partner.song, partner.tag, outputFrame, partner.set);
    partner.clear();
  }

  /**
   * Does every audible stem hold `frames` (clipped to the song) from `position` in `set`? Stems
   * that are not heard do not hold a start back (they would play as silence anyway).
   */
  private hasData(song: MixSong, set: number, position: Frames, frames: Frames): boolean {
    const need = Math.min(frames, song.totalFrames - position);
    if (need <= 0) return true;
    const stems = song.stems;
    for (let s = 0; s < stems.length; s++) {
      const stem = stems[s];
      if (song.isAudible(stem) && position < stem.totalFrames && stem.sets[set].framesAvailableAt(position) < Math.min(need, stem.totalFrames - position)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Adds `frames` frames of `voice` into `out` from `offset`; returns whether any audible stem
   * missed data. `counts`: the main voice counts underruns and starvation; a fading one does not.
   */
  private mixVoice(voice: Voice, out: Float32Array[], offset: number, frames: Frames, counts: boolean): boolean {
    const song = voice.song as MixSong;
    const left = out[0];
    const right = out.length > 1 ? out[1] : null;
    const ramp = this.ramp;
    const ramped = voice.ramping();
    if (ramped) {
      fillEqualPowerRamp(ramp, frames, voice.rampDone, voice.rampLength, voice.fadeIn);
      voice.rampDone += frames;
    }
    let anyStarved = false;
    const stems = song.stems;
    for (let s = 0; s < stems.length; s++) {
      const stem = stems[s];
      // Past the stem's own end it is silent (and not starved).
      const length = Math.min(frames, stem.totalFrames - voice.position);
      if (length <= 0 || !song.isAudible(stem)) {
        if (counts && stem.starved) {
          stem.starved = false;
          this.events.push(MixerEventKind.StemFed, song, s, this.outputFrames, 0);
        }
        continue;
      }
      const missing = stem.sets[voice.set].read(voice.position, length, this.scratch, 0);
      if (counts) {
        const starved = missing > 0;
        if (starved) {
          stem.starvedQuanta++;
          anyStarved = true;
        }
        if (starved !== stem.starved) {
          stem.starved = starved;
          this.events.push(starved ? MixerEventKind.StemStarved : MixerEventKind.StemFed, song, s, this.outputFrames, missing);
        }
      }
      const matrix = stem.matrix;
      const gain = stem.gain;
      for (let ch = 0; ch < stem.channels; ch++) {
        const src = this.scratch[ch];
        const l = matrix[ch * 2] * gain;
        const r = matrix[ch * 2 + 1] * gain;
        if (ramped) {
          for (let i = 0; i < length; i++) {
            const v = src[i] * ramp[i];
            left[offset + i] += v * l;
            if (right !== null) right[offset + i] += v * r;
          }
        } else {
          if (l !== 0) for (let i = 0; i < length; i++) left[offset + i] += src[i] * l;
          if (r !== 0 && right !== null) for (let i = 0; i < length; i++) right[offset + i] += src[i] * r;
        }
      }
    }
    if (counts && anyStarved) song.underrunQuanta++;
    return anyStarved;
  }
}
