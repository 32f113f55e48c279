import type { Frames } from '../units.js';
import { COMMAND_FIELDS, CommandCode, commandSong, NO_SONG } from './MixerCommand.js';
import { EVENT_FIELDS, MixerEventKind } from './MixerEvent.js';
import type { MixerMemory } from './MixerMemory.js';
import { MixerStatusField } from './MixerMemory.js';
import { MixSong } from './MixSong.js';
import type { SongRegistration } from './SongRegistration.js';
import { SpscRing } from './SpscRing.js';
import { StatusBlock } from './StatusBlock.js';
import { MAX_QUANTUM_FRAMES } from './mixerLimits.js';
import { SongTable } from './SongTable.js';
import { StemMixer } from './StemMixer.js';
import type { StarvationSink } from './StemMixer.js';
import { Voice } from './Voice.js';

export { MAX_QUANTUM_FRAMES, MAX_SONGS, MAX_STEM_CHANNELS } from './mixerLimits.js';


/**
 * The real-time mixer: a pull-model `render(out, frames)` that mixes every stem of the playing
 * song (and, during a crossfade — a seek's, a late jump's, a crossfade transition's or a song
 * jump's fade-out — the fading voice) into stereo, with per-stem gain, mute and solo (solo wins),
 * mono stems to both sides and more than two channels downmixed.
 *
 * Musical navigation happens here, sample-exactly and inside a quantum when it falls there: a
 * scheduled jump switches at its landing frame, a loop goes back from its end to its start, the
 * next song follows after its gap (exact zero frames) and count-in, or overlaps the playing one's
 * last frames (crossfade transition). At one frame the order is: a jump lands, the loop wraps, a
 * crossfade begins, the song ends.
 *
 * It talks to the control thread only through shared memory ({@link MixerMemory}): it reads
 * commands from the command ring at the start of each render call, writes events into the event
 * ring and publishes its status and each song's counters in status blocks. Songs become known by
 * `register` (their audio memory handed over once); a command naming a song not registered yet
 * waits at the head of the ring, so commands keep their order whatever way registrations travel.
 *
 * Real-time rules (STYLE habit 3): `render` never allocates, awaits or throws. Missing data is
 * silence for that stem only: every stem stays locked to the one play position, which only
 * `render` advances. Each quantum in which an audible stem of the playing song misses data counts
 * one underrun.
 *
 * Threads: everything here runs on the audio thread (the thread that owns the mixer: a worker
 * thread, an AudioWorklet, or the control thread itself for an offline render). `register`
 * allocates: call it between render calls, never from inside one.
 */
export class Mixer {
  private outputFrames: Frames = 0;
  private playing = false;
  private commandsApplied = 0;
  private readonly songs = new SongTable();
  private readonly commands: SpscRing;
  private readonly events: SpscRing;
  private readonly status: StatusBlock;
  private readonly stemMixer: StemMixer;
  /** Where the stem mixer reports starvation: this mixer's event ring (made once). */
  private readonly starvation: StarvationSink = { emit: (kind, song, id, outputFrame, value) => this.emit(kind, song, id, outputFrame, value) };
  private readonly main = new Voice();
  private readonly partner = new Voice();
  /** The song armed to follow the playing one, and how (see `HandOver`). */
  private next: MixSong | null = null;
  private nextGap: Frames = 0;
  private nextCrossfade: Frames = 0;
  private nextCountIn = false;
  /** The pending seek or scheduled jump (one at a time: a newer one replaces it). */
  private seekId = -1;
  private seekSong: MixSong | null = null;
  private seekTarget: Frames = 0;
  private seekCrossfade: Frames = 0;
  /** A scheduled jump's landing frame (−1: a seek, landing as soon as its data is there). */
  private seekLandAt: Frames = -1;
  /** The jump's landing frame came without its data: it now lands like a seek. */
  private seekLate = false;
  /** Output frame of the quantum being rendered. */
  private quantumAt: Frames = 0;
  /** The voices' songs when the render call began: published at its end even if a voice let go of them meanwhile. */
  private touchedMain: MixSong | null = null;
  private touchedPartner: MixSong | null = null;

  constructor(
    memory: MixerMemory,
    readonly maxQuantumFrames: Frames = MAX_QUANTUM_FRAMES,
  ) {
    this.commands = new SpscRing(memory.commands, COMMAND_FIELDS);
    this.events = new SpscRing(memory.events, EVENT_FIELDS);
    this.status = new StatusBlock(memory.status);
    this.stemMixer = new StemMixer(maxQuantumFrames);
    this.publishStatus();
  }

  /**
   * Audio thread, between render calls: makes a song known. Its stems' readers are built here
   * (this allocates); the song is adopted at the start of a render call, once the `afterCommand`
   * commands posted before the registration have been applied — so a registration and the commands
   * keep the order the control thread gave them, however each travelled. Registering an instance
   * again (a song falling back to a whole decode) swaps its audio and keeps its position and
   * counters. Returns false when too many registrations wait (the caller retries later).
   */
  register(registration: SongRegistration, afterCommand = 0): boolean {
    return this.songs.register(registration, afterCommand);
  }

  /** The registered song `instance`, or null. No allocation. */
  private song(instance: number): MixSong | null {
    return this.songs.song(instance);
  }

  /** Adopts the registrations whose commands were applied; a song registered again replaces its old self in the voices. */
  private adoptRegistrations(): void {
    this.songs.adopt(this.commandsApplied, this.replaceSong, this.songInUse);
  }

  private readonly replaceSong = (old: MixSong, song: MixSong): void => {
    if (this.main.song === old) this.main.song = song;
    if (this.partner.song === old) this.partner.song = song;
    if (this.next === old) this.next = song;
    if (this.seekSong === old) this.seekSong = song;
  };

  private readonly songInUse = (song: MixSong): boolean => song === this.main.song || song === this.partner.song || song === this.next || song === this.seekSong;

  /**
   * Audio thread: mixes `frames` frames into `out` (2 channels; the left alone when given one),
   * overwriting what is there.
   */
  render(out: Float32Array[], frames: Frames): void {
    this.applyCommands();
    this.touchedMain = this.main.song;
    this.touchedPartner = this.partner.song;
    for (let c = 0; c < out.length; c++) out[c].fill(0, 0, frames);
    let offset = 0;
    while (offset < frames) {
      const n = Math.min(this.maxQuantumFrames, frames - offset);
      this.quantumAt = this.outputFrames;
      if (this.playing) this.renderQuantum(out, offset, n);
      else this.idleQuantum(n);
      this.outputFrames += n;
      offset += n;
    }
    this.publishAll();
  }

  private applyCommands(): void {
    const ring = this.commands;
    const data = ring.data;
    this.adoptRegistrations();
    for (let at = ring.peek(); at >= 0; at = ring.peek()) {
      const song = commandSong(data, at);
      if (song !== NO_SONG && this.song(song) === null) return; // its registration is still on its way
      this.apply(data, at);
      ring.consume();
      this.commandsApplied++;
      this.adoptRegistrations();
    }
  }

  private apply(data: Float64Array, at: number): void {
    switch (data[at]) {
      case CommandCode.play:
        this.playing = true;
        break;
      case CommandCode.pause:
        this.playing = false;
        // A paused transport is silent: a fading voice has nothing left to fade.
        this.releasePartner();
        break;
      case CommandCode.stop:
        this.playing = false;
        this.releasePartner();
        if (this.main.song) this.emit(MixerEventKind.Released, this.main.song.instance, -1, this.outputFrames, 0);
        this.main.clear();
        this.next = null;
        this.clearSeek();
        break;
      case CommandCode.start: {
        const song = this.song(data[at + 1]) as MixSong;
        if (this.main.song === song) break;
        const position = data[at + 2];
        this.retireMain(data[at + 3]);
        this.main.assign(song, position);
        this.main.waiting = true;
        this.main.countInLeft = data[at + 4] === 1 && position === 0 ? song.countInFrames : 0;
        song.position = position;
        song.countInLeft = this.main.countInLeft;
        if (this.next === song) this.next = null;
        break;
      }
      case CommandCode.fadeOut:
        this.retireMain(data[at + 1]);
        this.next = null;
        break;
      case CommandCode.armNext:
        this.next = data[at + 1] === NO_SONG ? null : this.song(data[at + 1]);
        this.nextGap = data[at + 2];
        this.nextCrossfade = data[at + 3];
        this.nextCountIn = data[at + 4] === 1;
        break;
      case CommandCode.seek:
        this.seekId = data[at + 2];
        this.seekSong = this.song(data[at + 1]);
        this.seekTarget = data[at + 3];
        this.seekCrossfade = data[at + 4];
        this.seekLandAt = data[at + 5];
        this.seekLate = false;
        break;
      case CommandCode.cancelSeek:
        if (this.seekId === data[at + 2]) this.clearSeek();
        break;
      case CommandCode.setStem: {
        const song = this.song(data[at + 1]) as MixSong;
        const stem = song.stems[data[at + 2]];
        if (!stem) break;
        const solo = data[at + 5] === 1;
        if (stem.solo !== solo) song.soloCount += solo ? 1 : -1;
        stem.gain = data[at + 3];
        stem.muted = data[at + 4] === 1;
        stem.solo = solo;
        break;
      }
      case CommandCode.failStem: {
        const stem = (this.song(data[at + 1]) as MixSong).stems[data[at + 2]];
        if (stem) stem.failed = true;
        break;
      }
      case CommandCode.loop: {
        const song = this.song(data[at + 1]) as MixSong;
        song.loopStart = data[at + 2];
        song.loopEnd = data[at + 3];
        song.loopId = data[at + 4];
        song.loopReleasing = false;
        song.loopWraps = 0;
        break;
      }
      case CommandCode.releaseLoop: {
        const song = this.song(data[at + 1]) as MixSong;
        if (!song.looping) break;
        if (data[at + 2] === 1) song.loopReleasing = true;
        else this.releaseLoop(song, this.outputFrames);
        break;
      }
      case CommandCode.unregister: {
        const song = this.song(data[at + 1]);
        if (!song) break;
        // The control side unregisters only what the mixer released; should a voice still hold
        // the song, it lets go now rather than read memory that is no longer kept filled.
        if (this.main.song === song) this.main.clear();
        if (this.partner.song === song) this.partner.clear();
        if (this.next === song) this.next = null;
        if (this.seekSong === song) this.clearSeek();
        this.songs.forget(song);
        break;
      }
      default:
        break;
    }
  }

  private emit(kind: MixerEventKind, song: number, id: number, outputFrame: Frames, value: number, detail = -1): void {
    const ring = this.events;
    const at = ring.claim();
    if (at < 0) return; // full: counted by the ring as dropped
    const data = ring.data;
    data[at] = kind;
    data[at + 1] = song;
    data[at + 2] = id;
    data[at + 3] = outputFrame;
    data[at + 4] = value;
    data[at + 5] = detail;
    ring.publish();
  }

  private clearSeek(): void {
    this.seekId = -1;
    this.seekSong = null;
    this.seekLate = false;
  }

  /** The main voice stops being the playing song: it fades out as the partner (when sounding) or is released at once. */
  private retireMain(fadeFrames: Frames): void {
    const main = this.main;
    if (main.song !== null && !main.beforeSong && this.playing && fadeFrames > 0) {
      this.releasePartner();
      this.partner.copyFrom(main);
      this.partner.ramp(fadeFrames, false);
      this.partner.tag = -1;
    } else if (main.song !== null) {
      this.emit(MixerEventKind.Released, main.song.instance, -1, this.outputFrames, 0);
    }
    main.clear();
    this.clearSeek();
  }

  /** Paused: silence; a pending seek may still move the position (no crossfade: nothing sounds). A scheduled jump waits for playback to reach it. */
  private idleQuantum(frames: Frames): void {
    const main = this.main;
    if (this.seekId < 0 || main.song === null || this.seekSong !== main.song) return;
    if (this.seekLandAt >= 0 && !this.seekLate) return;
    if (main.beforeSong || this.stemMixer.hasData(main.song, this.seekTarget, frames)) this.land(0, this.outputFrames);
  }

  private renderQuantum(out: Float32Array[], offset: number, frames: Frames): void {
    const main = this.main;
    const at = this.quantumAt;
    // A seek (or a jump whose landing frame passed: without its data, or before the command came) lands at the quantum's start.
    if (this.seekId >= 0 && main.song !== null && this.seekSong === main.song) {
      if (this.seekLandAt >= 0 && !this.seekLate && this.seekLandAt < main.position && !main.beforeSong) {
        this.seekLate = true;
        this.emit(MixerEventKind.JumpMissed, main.song.instance, this.seekId, at, this.seekLandAt);
      }
      if (this.seekLandAt < 0 || this.seekLate) {
        if (main.beforeSong) this.land(0, at);
        else if (this.stemMixer.hasData(main.song, this.seekTarget, frames)) this.land(this.seekCrossfade, at);
      }
    }
    /** Where in this quantum the fading voice starts to be mixed (a crossfade transition begins mid-quantum). */
    let partnerFrom = 0;
    let tryCrossfade = true;
    let done = 0;
    while (done < frames && main.song !== null) {
      const song: MixSong = main.song;
      const left = frames - done;
      if (main.gapLeft > 0) {
        const n = Math.min(main.gapLeft, left);
        main.gapLeft -= n;
        if (main.countsGap) song.transitionGapFrames += n;
        done += n;
        continue;
      }
      if (main.waiting) {
        if (!this.readyToStart(song, left)) {
          if (main.countsGap) song.transitionGapFrames += left;
          break;
        }
        main.waiting = false;
        this.emit(MixerEventKind.Started, song.instance, main.countsGap ? 1 : 0, at + done, song.transitionGapFrames, main.countInLeft);
      }
      if (main.countInLeft > 0) {
        const n = Math.min(main.countInLeft, left);
        this.stemMixer.mixCountIn(song, song.countInFrames - main.countInLeft, out, offset + done, n);
        main.countInLeft -= n;
        song.countInLeft = main.countInLeft;
        done += n;
        continue;
      }
      // Boundaries at the play position, in order: a jump lands, the loop wraps, a crossfade begins, the song ends.
      const position = main.position;
      if (this.jumpDue(song, position)) {
        this.landJump(at + done, left);
        continue;
      }
      if (song.loopEnd === position) {
        this.wrapLoop(song, at + done);
        continue;
      }
      if (tryCrossfade && this.crossfadeDue(song, position)) {
        if (this.startCrossfade(out, offset, partnerFrom, done, left)) {
          partnerFrom = done;
          continue;
        }
        tryCrossfade = false; // the next song's data is late: try again next quantum
      }
      if (position >= song.totalFrames) {
        this.endSong(song, at + done);
        continue;
      }
      // The song's audio, up to the next boundary.
      let n = Math.min(left, song.totalFrames - position);
      const landAt = this.scheduledLanding(song);
      if (landAt > position) n = Math.min(n, landAt - position);
      if (song.loopEnd > position) n = Math.min(n, song.loopEnd - position);
      const fadeAt = tryCrossfade ? this.crossfadeAt(song) : -1;
      if (fadeAt > position) n = Math.min(n, fadeAt - position);
      const starved = this.stemMixer.mixVoice(main, out, offset + done, n, true, this.starvation, this.outputFrames);
      if (!starved && song.firstAudioAtOutputFrame < 0) {
        song.firstAudioAtOutputFrame = at + done;
        this.emit(MixerEventKind.FirstAudio, song.instance, -1, at + done, 0);
      }
      main.position += n;
      song.position = main.position;
      done += n;
    }
    // A song ending with the quantum ends now (its Ended event in this render call); a jump or loop
    // due at its last frame instead takes effect at the next quantum's start, the same output frame.
    const last = main.song;
    if (last !== null && !main.beforeSong && main.position >= last.totalFrames && !this.jumpDue(last, main.position) && last.loopEnd !== main.position) {
      this.endSong(last, at + frames);
    }
    this.mixPartner(out, offset, partnerFrom, frames);
  }

  /** Mixes the fading voice over quantum frames [from, to); releases it where it goes silent. */
  private mixPartner(out: Float32Array[], offset: number, from: Frames, to: Frames): void {
    const partner = this.partner;
    if (partner.song === null || to <= from) return;
    const frames = to - from;
    const n = Math.max(0, Math.min(frames, partner.song.totalFrames - partner.position));
    // Where it goes silent: the end of its fade, or of its song, within this quantum.
    const silentAt = this.quantumAt + from + Math.min(n, partner.rampLength - partner.rampDone);
    if (n > 0) this.stemMixer.mixVoice(partner, out, offset + from, n, false, this.starvation, this.outputFrames);
    partner.position += n;
    // A whole song fading out (not a seek's old position) publishes where it is, for its refills.
    if (partner.tag < 0 && partner.song !== this.main.song) partner.song.position = partner.position;
    if (!partner.ramping() || n < frames) this.releasePartner(silentAt);
  }

  /** The main voice's song is waiting to start: does it (and its count-in's stem) hold the audio it starts with? */
  private readyToStart(song: MixSong, frames: Frames): boolean {
    if (!this.stemMixer.hasData(song, this.main.position, frames)) return false;
    const left = this.main.countInLeft;
    const stem = song.countInStem;
    if (left === 0 || stem === null || stem.index < 0) return true;
    return stem.reader.framesAvailableAt(song.countInFrames - left) >= Math.min(frames, left);
  }

  /** The landing frame of `song`'s scheduled jump, still to come on time (−1 = none). */
  private scheduledLanding(song: MixSong): Frames {
    return this.seekId >= 0 && this.seekSong === song && this.seekLandAt >= 0 && !this.seekLate ? this.seekLandAt : -1;
  }

  /** Has playback reached the scheduled jump's landing frame (or passed it: the command came late)? */
  private jumpDue(song: MixSong, position: Frames): boolean {
    const landAt = this.scheduledLanding(song);
    return landAt >= 0 && landAt <= position;
  }

  /** At the landing frame: switch now, sample-exactly and with no crossfade, if the target's data is there; else land late. */
  private landJump(outputFrame: Frames, frames: Frames): void {
    const song = this.main.song as MixSong;
    if (this.main.position === this.seekLandAt && this.stemMixer.hasData(song, this.seekTarget, frames)) {
      this.land(0, outputFrame);
      return;
    }
    this.seekLate = true;
    this.emit(MixerEventKind.JumpMissed, song.instance, this.seekId, outputFrame, this.seekLandAt);
  }

  /**
   * The pending seek or jump lands at `outputFrame`: the main voice jumps; with a crossfade the old
   * position fades out as the partner (a fading voice of another song is then let go), without one
   * nothing else changes. A landing outside the song's loop releases the loop.
   */
  private land(crossfade: Frames, outputFrame: Frames): void {
    const main = this.main;
    const song = this.seekSong as MixSong;
    const fades = crossfade > 0 && !main.beforeSong;
    if (fades) {
      this.releasePartner(outputFrame);
      this.partner.copyFrom(main);
      this.partner.ramp(crossfade, false);
      this.partner.tag = this.seekId;
      main.ramp(crossfade, true);
    } else {
      main.rampLength = 0;
    }
    const left = main.position;
    const target = this.seekTarget;
    main.position = target;
    song.position = target;
    this.emit(MixerEventKind.SeekLanded, song.instance, this.seekId, outputFrame, target, fades ? left : -1);
    // Nothing sounding to fade from: the old position is let go at once.
    if (!fades) this.emit(MixerEventKind.Released, song.instance, this.seekId, outputFrame, 0);
    if (song.looping && (target < song.loopStart || target >= song.loopEnd)) this.releaseLoop(song, outputFrame);
    this.clearSeek();
  }

  /** At the loop's end: back to its start, or — released at its end — on. */
  private wrapLoop(song: MixSong, outputFrame: Frames): void {
    if (song.loopReleasing) {
      this.releaseLoop(song, outputFrame);
      return;
    }
    song.loopWraps++;
    this.main.position = song.loopStart;
    song.position = song.loopStart;
    this.emit(MixerEventKind.LoopWrapped, song.instance, song.loopId, outputFrame, song.loopWraps, song.loopStart);
  }

  private releaseLoop(song: MixSong, outputFrame: Frames): void {
    this.emit(MixerEventKind.LoopReleased, song.instance, song.loopId, outputFrame, song.loopWraps);
    song.clearLoop();
  }

  /** Where `song` (the main voice's) starts crossfading into the armed next song (−1 = no crossfade ahead: none armed, or a loop will wrap first). */
  private crossfadeAt(song: MixSong): Frames {
    if (this.next === null || this.nextCrossfade <= 0) return -1;
    if (song.looping && !song.loopReleasing && song.loopEnd >= this.main.position) return -1;
    return Math.max(0, song.totalFrames - this.nextCrossfade);
  }

  private crossfadeDue(song: MixSong, position: Frames): boolean {
    const fadeAt = this.crossfadeAt(song);
    return fadeAt >= 0 && position >= fadeAt && position < song.totalFrames;
  }

  /**
   * A crossfade transition begins at quantum frame `done`: the playing song fades out over its
   * remaining frames (cos) as the partner, the next song fades in from its first frame (sin) as the
   * main voice. Only once the next song's data is there (false otherwise: the overlap starts late,
   * shorter, or not at all if the song ends first).
   */
  private startCrossfade(out: Float32Array[], offset: number, partnerFrom: Frames, done: Frames, frames: Frames): boolean {
    const next = this.next as MixSong;
    const main = this.main;
    const song = main.song as MixSong;
    if (!this.stemMixer.hasData(next, 0, frames)) return false;
    const outputFrame = this.quantumAt + done;
    // A voice still fading (a seek's old position) plays up to here, then gives way.
    this.mixPartner(out, offset, partnerFrom, done);
    this.releasePartner(outputFrame);
    const fade = song.totalFrames - main.position;
    this.partner.copyFrom(main);
    this.partner.ramp(fade, false);
    this.partner.tag = -1;
    this.emit(MixerEventKind.Ended, song.instance, 1, outputFrame, fade);
    if (this.seekSong === song) this.clearSeek();
    main.assign(next, 0);
    main.ramp(fade, true);
    next.position = 0;
    next.transitionGapFrames = 0;
    next.countInLeft = 0;
    this.next = null;
    this.emit(MixerEventKind.Started, next.instance, 1, outputFrame, 0, 0);
    return true;
  }

  /** The main voice's song played its last frame: the armed next song follows (after its gap and count-in), or nothing. */
  private endSong(song: MixSong, outputFrame: Frames): void {
    const main = this.main;
    this.emit(MixerEventKind.Ended, song.instance, -1, outputFrame, 0);
    const next = this.next;
    this.next = null;
    if (this.seekSong === song) this.clearSeek();
    if (next === null) {
      main.clear();
      return;
    }
    main.assign(next, 0);
    main.waiting = true;
    main.countsGap = true;
    main.gapLeft = this.nextGap;
    main.countInLeft = this.nextCountIn ? next.countInFrames : 0;
    next.position = 0;
    next.transitionGapFrames = 0;
    next.countInLeft = main.countInLeft;
  }

  private releasePartner(outputFrame: Frames = this.outputFrames): void {
    const partner = this.partner;
    if (partner.song === null) return;
    this.emit(MixerEventKind.Released, partner.song.instance, partner.tag, outputFrame, 0);
    partner.clear();
  }

  /** Publishes the counters of the songs the voices touched (a song may be published twice: harmless), then the mixer's status. */
  private publishAll(): void {
    if (this.touchedMain !== null) this.touchedMain.publish();
    if (this.touchedPartner !== null) this.touchedPartner.publish();
    if (this.main.song !== null && this.main.song !== this.touchedMain) this.main.song.publish();
    if (this.partner.song !== null && this.partner.song !== this.touchedPartner) this.partner.song.publish();
    if (this.next !== null) this.next.publish();
    this.touchedMain = null;
    this.touchedPartner = null;
    this.publishStatus();
  }

  private publishStatus(): void {
    const status = this.status;
    const values = status.values;
    status.begin();
    values[MixerStatusField.outputFrames] = this.outputFrames;
    values[MixerStatusField.playing] = this.playing ? 1 : 0;
    values[MixerStatusField.currentSong] = this.main.song === null ? NO_SONG : this.main.song.instance;
    values[MixerStatusField.waiting] = this.main.song !== null && this.main.waiting ? 1 : 0;
    values[MixerStatusField.pendingSeek] = this.seekId;
    values[MixerStatusField.armedNext] = this.next === null ? NO_SONG : this.next.instance;
    values[MixerStatusField.commandsApplied] = this.commandsApplied;
    values[MixerStatusField.fadingSong] = this.partner.song === null ? NO_SONG : this.partner.song.instance;
    status.end();
  }
}
