import type { AnyActorRef } from 'xstate';
import type { StemBufferFactory } from '../buffers/StemBuffer.js';
import { SampleRateMismatchError } from '../errors.js';
import type { StemFill } from '../metrics/SongMetrics.js';
import { SongMetricsRecorder } from '../metrics/SongMetrics.js';
import type { StemInfo } from '../ports/ChunkSource.js';
import type { WholeStem } from '../ports/WholeStemDecoder.js';
import { renderCountInClick } from '../music/countIn.js';
import { SongTimeline } from '../music/SongTimeline.js';
import { dbToGain } from '../realtime/gain.js';
import { songStatusCount, SongStatusField } from '../realtime/SongRegistration.js';
import type { CountInSource, SongRegistration, StemPcmSource } from '../realtime/SongRegistration.js';
import { reasonOf } from '../errors.js';
import { StatusBlock } from '../realtime/StatusBlock.js';
import type { SongSpec } from '../setlist/setlistTypes.js';
import type { Frames } from '../units.js';
import { StemRuntime } from './StemRuntime.js';
import { clickStemIndex } from './planNavigation.js';
import { playbackPath } from './stemRequests.js';
import type { ScheduledJump, WrappingLoop } from './stemRequests.js';

/** How a song's audio memory is made: shared when the mixer runs on another thread. */
export interface SongMemory {
  readonly sampleRate: number;
  readonly createBuffer: StemBufferFactory;
  /** Chunks each stem's buffer holds. */
  readonly capacityChunks: number;
  readonly shared: boolean;
}

/** What a song's state reads as once its actor is gone without ending or failing. */
export type SongState = string;

/** The mixer's counters of a song, as last published. */
export interface SongCounters {
  readonly position: Frames;
  readonly underrunQuanta: number;
  readonly firstAudioAtOutputFrame: Frames;
  readonly transitionGapFrames: Frames;
  readonly countInLeft: Frames;
  readonly loopWraps: number;
  readonly stemStarvedQuanta: readonly number[];
}

/** The loop handed to the mixer: song frames `[start, end)`; `releasing` once released at its end. */
export interface SongLoop {
  readonly start: Frames;
  readonly end: Frames;
  readonly section?: string;
  readonly releasing: boolean;
}

/** Copies whole-decoded channels into shared memory, so a mixer on another thread can read them. */
function sharedCopy(channels: readonly Float32Array[]): Float32Array[] {
  return channels.map((channel) => {
    const copy = new Float32Array(new SharedArrayBuffer(channel.byteLength));
    copy.set(channel);
    return copy;
  });
}

/**
 * One loaded song instance on the control thread: its stems (with their buffers), the mix
 * settings, what the mixer publishes about it, and its metrics. The song actor owns it; the
 * engine registers it by instance id so the mixer's events (which name the instance) find their
 * way back.
 *
 * The mixer knows the song only through its registration (`registration()`: ids, lengths, the
 * stems' audio memory and a status block it writes) and reads its counters from that block: the
 * control thread never touches the mixer's own objects.
 */
export class SongRuntime {
  readonly stems: StemRuntime[];
  readonly metrics = new SongMetricsRecorder();
  mode: 'streaming' | 'legacy' = 'streaming';
  totalFrames: Frames = 0;
  chunkFrames: Frames = 0;
  /** The song actor that owns this runtime (for its state, and for the mixer's events). */
  actor: AnyActorRef | null = null;
  /** Where the song starts when it is (re)started: 0, or where a seek before the start moved it. */
  startPosition: Frames = 0;
  /** The mixer started this song's voice (its published position is the play position from then on). */
  started = false;
  /** A seek is loading its target (the offline sink waits for it before rendering on). */
  seekLoading = false;
  /** The target of the seek handed to the mixer and not landed yet: where the next quantum plays from. */
  seekLanding: Frames | null = null;
  /** Bytes held by legacy whole decodes. */
  legacyBytes = 0;
  /** The song's bars, beats and sections in frames, once its length is known (stems opened). */
  timeline: SongTimeline | null = null;
  /** Why the song's musical fields do not fit it (e.g. a section past its end): navigation is refused with it. */
  timelineProblem: string | null = null;
  /** The scheduled jump handed to the mixer and not landed yet. */
  jump: (ScheduledJump & { readonly jumpId: number }) | null = null;
  /** The loop handed to the mixer, or null. */
  loop: SongLoop | null = null;
  /** The mixer began crossfading this song into the next: it plays on, fading out, until released. */
  crossfadingOut = false;
  /** A resume journal's position and mix were applied (once: a later fallback keeps what the performer changed since). */
  resumed = false;
  private countIn: CountInSource | null = null;
  private status: StatusBlock | null = null;
  private statusValues: Float64Array | null = null;
  private pcm: StemPcmSource[] = [];
  /** Counters kept once the song's memory is released. */
  private final: SongCounters | null = null;

  constructor(
    /** Unique per load of a song; the mixer's name for it. */
    readonly instance: number,
    readonly spec: SongSpec,
  ) {
    this.stems = spec.stems.map((stem, index) => new StemRuntime(index, stem, { song: spec.id, stem: stem.id }));
  }

  /** The song actor's XState system id. */
  get systemId(): string {
    return `song:${this.spec.id}`;
  }

  /**
   * The song actor's state, derived from the actor: its state value while it lives; once stopped,
   * `ended`/`failed` if it got there, else `released`.
   */
  get state(): SongState {
    const snapshot = this.actor?.getSnapshot() as { status?: string; value?: unknown } | undefined;
    if (!snapshot) return 'idle';
    const value = typeof snapshot.value === 'string' ? snapshot.value : Object.keys(snapshot.value as object)[0];
    if (snapshot.status === 'stopped' && value !== 'ended' && value !== 'failed') return 'released';
    return value;
  }

  /** Has the song been handed to the mixer (and not released)? */
  get registered(): boolean {
    return this.status !== null;
  }

  /**
   * Streaming: keeps what the loader said about each stem and makes its buffers.
   *
   * @throws SampleRateMismatchError when a stem is not delivered at the output rate.
   */
  buildStreaming(infos: readonly StemInfo[], memory: SongMemory): void {
    this.mode = 'streaming';
    infos.forEach((info, i) => {
      if (info.outputSampleRate !== memory.sampleRate) throw new SampleRateMismatchError(this.spec.id, this.stems[i].spec.id, info.outputSampleRate, memory.sampleRate);
    });
    this.totalFrames = Math.max(0, ...infos.map((info) => info.totalFrames));
    this.chunkFrames = Math.max(1, ...infos.map((info) => info.chunkFrames));
    this.stems.forEach((stem, i) => {
      const info = infos[i];
      stem.info = info;
      stem.buffer = memory.createBuffer({
        channels: info.channels,
        totalFrames: info.totalFrames,
        chunkFrames: info.chunkFrames,
        capacityChunks: memory.capacityChunks,
        shared: memory.shared,
      });
    });
    this.pcm = this.stems.map((stem) => (stem.buffer as NonNullable<StemRuntime['buffer']>).pcm);
    this.makeStatus(memory.shared);
    this.buildTimeline(memory.sampleRate, memory.shared, memory.capacityChunks > 2 ? (memory.capacityChunks - 2) * this.chunkFrames : 0);
  }

  /** Legacy: the stems decoded whole play from memory. Re-registering keeps the mixer's position and counters. */
  buildLegacy(wholes: readonly WholeStem[], shared: boolean, sampleRate?: number): void {
    this.mode = 'legacy';
    this.totalFrames = Math.max(0, ...wholes.map((w) => w.totalFrames));
    this.chunkFrames = Math.max(1, this.totalFrames);
    for (const stem of this.stems) {
      stem.buffer = null;
      stem.failed = false;
    }
    this.pcm = wholes.map((w) => ({ kind: 'whole', channels: shared ? sharedCopy(w.channelData) : w.channelData }));
    this.legacyBytes = wholes.reduce((sum, w) => sum + w.totalFrames * w.channelData.length * 4, 0);
    if (!this.status) this.makeStatus(shared);
    if (sampleRate !== undefined) this.buildTimeline(sampleRate, shared, this.totalFrames);
  }

  /**
   * The song's timeline (its musical fields on its frames, checked against its length) and its
   * count-in: the first bars of its click stem when it has one that the window holds from the
   * start (`windowFrames`), else a generated click in memory the mixer can read.
   */
  private buildTimeline(sampleRate: number, shared: boolean, windowFrames: Frames): void {
    try {
      this.timeline = SongTimeline.of(this.spec, { sampleRate, lengthFrames: this.totalFrames });
      this.timelineProblem = null;
    } catch (error) {
      // The song still plays; jumps, loops and count-in are refused with the reason.
      this.timeline = SongTimeline.of({ id: this.spec.id }, { sampleRate, lengthFrames: this.totalFrames });
      this.timelineProblem = reasonOf(error);
    }
    const frames = this.timeline.countInFrames();
    const click = clickStemIndex(this.spec.stems);
    if (frames === 0) this.countIn = null;
    else if (click !== null && frames <= windowFrames) this.countIn = { frames, from: { kind: 'stem', stem: click } };
    else {
      const { bpm, beatsPerBar } = (this.timeline.tempo as NonNullable<SongTimeline['tempo']>).initialTempo;
      const pcm = renderCountInClick({ bars: this.timeline.countInBars, bpm, beatsPerBar, sampleRate });
      this.countIn = { frames, from: { kind: 'click', pcm: { kind: 'whole', channels: shared ? sharedCopy([pcm]) : [pcm] } } };
    }
  }

  /** Frames of count-in the song plays before its first frame when started from there (0 = none). */
  get countInFrames(): Frames {
    return this.countIn?.frames ?? 0;
  }

  /** The loop the mixer will wrap (none once released at its end). */
  get wrappingLoop(): WrappingLoop | null {
    return this.loop && !this.loop.releasing ? { start: this.loop.start, end: this.loop.end } : null;
  }

  /** What the mixer needs to play the song: plain data and the shared memory, handed over once. */
  registration(): SongRegistration {
    if (!this.status) throw new Error(`song ${this.spec.id} has no audio to register yet`);
    return {
      instance: this.instance,
      songId: this.spec.id,
      totalFrames: this.totalFrames,
      status: this.status.buffer,
      stems: this.stems.map((stem, i) => ({
        channels: stem.info?.channels ?? (this.pcm[i].kind === 'whole' ? this.pcm[i].channels.length : 1),
        totalFrames: this.pcm[i].kind === 'whole' ? (this.pcm[i].channels[0]?.length ?? 0) : (stem.info?.totalFrames ?? 0),
        gain: dbToGain(stem.gainDb),
        muted: stem.muted,
        solo: stem.solo,
        pcm: this.pcm[i],
      })),
      ...(this.countIn ? { countIn: this.countIn } : {}),
    };
  }

  /** The mixer's counters of this song as last published (or as kept when it was released). */
  counters(): SongCounters {
    if (this.final) return this.final;
    const status = this.status;
    if (!status || !this.statusValues)
      return { position: this.startPosition, underrunQuanta: 0, firstAudioAtOutputFrame: -1, transitionGapFrames: 0, countInLeft: 0, loopWraps: 0, stemStarvedQuanta: this.stems.map(() => 0) };
    const v = status.snapshot(this.statusValues);
    return {
      position: v[SongStatusField.position],
      underrunQuanta: v[SongStatusField.underrunQuanta],
      firstAudioAtOutputFrame: v[SongStatusField.firstAudioAtOutputFrame],
      transitionGapFrames: v[SongStatusField.transitionGapFrames],
      countInLeft: v[SongStatusField.countInLeft],
      loopWraps: v[SongStatusField.loopWraps],
      stemStarvedQuanta: this.stems.map((_, i) => v[SongStatusField.stemBase + 2 * i]),
    };
  }

  /** Control thread: the play position — the mixer's once it started the song, else where it will start. */
  get position(): Frames {
    return this.started ? this.counters().position : this.startPosition;
  }

  /** Underruns counted by the mixer (kept when the song is released). */
  get underruns(): number {
    return this.counters().underrunQuanta;
  }

  /** Solo wins: while any stem is soloed exactly the soloed stems play; failed and silent stems never do. */
  isAudible(stem: StemRuntime): boolean {
    if (stem.failed || !(dbToGain(stem.gainDb) > 0)) return false;
    return this.stems.some((s) => s.solo) ? stem.solo : !stem.muted;
  }

  /** Does every audible stem hold `frames` (clipped to its end) from `position`? Legacy songs hold everything. */
  holds(position: Frames, frames: Frames): boolean {
    if (this.mode === 'legacy') return this.registered;
    return this.stems.every((stem) => {
      const info = stem.info;
      if (!info || !stem.buffer || !this.isAudible(stem) || position >= info.totalFrames) return true;
      return stem.buffer.framesAvailableAt(position) >= Math.min(frames, info.totalFrames - position);
    });
  }

  /**
   * Does every audible stem hold the next `frames` of playback — along the playback path, across a
   * scheduled jump or a loop's wrap — and, during a count-in from the click stem, the count-in's
   * next frames? (What an offline render waits for.)
   */
  holdsAhead(frames: Frames): boolean {
    const counters = this.counters();
    const countIn = this.countIn;
    if (counters.countInLeft > 0 && countIn?.from.kind === 'stem') {
      const stem = this.stems[countIn.from.stem];
      const from = countIn.frames - counters.countInLeft;
      if (stem.buffer && !stem.failed && stem.buffer.framesAvailableAt(from) < Math.min(frames, counters.countInLeft)) return false;
    }
    const position = this.seekLanding ?? this.position;
    if (position >= this.totalFrames) return true;
    const path = playbackPath(
      { totalFrames: this.totalFrames, chunkFrames: this.chunkFrames, firstFrames: 0 },
      { position, seekTarget: null, fadingFrom: null, jump: this.jump && { landing: this.jump.landing, target: this.jump.target }, loop: this.wrappingLoop },
      Number.POSITIVE_INFINITY,
    );
    let left = frames;
    for (const segment of path) {
      const n = Math.min(left, segment.to - segment.from);
      if (!this.holds(segment.from, n)) return false;
      left -= n;
      if (left <= 0) break;
    }
    return true;
  }

  /** Bytes of PCM held by this song now. */
  bufferBytes(): number {
    if (this.mode === 'legacy') return this.legacyBytes;
    let bytes = 0;
    for (const stem of this.stems) bytes += stem.bufferBytes;
    return bytes;
  }

  /** Per-stem buffer state for metrics. */
  stemFill(sampleRate: number): Record<string, StemFill> {
    const starved = this.counters().stemStarvedQuanta;
    const fill: Record<string, StemFill> = {};
    for (const stem of this.stems) {
      const whole = this.mode === 'legacy' ? this.pcm[stem.index] : undefined;
      const frames = whole?.kind === 'whole' ? (whole.channels[0]?.length ?? 0) : (stem.buffer?.heldFrames ?? 0);
      fill[stem.spec.id] = {
        bufferedFrames: frames,
        bufferedSeconds: frames / sampleRate,
        bytes: whole?.kind === 'whole' ? frames * whole.channels.length * 4 : stem.bufferBytes,
        underruns: starved[stem.index] ?? 0,
        fromCache: stem.counters.fromCache,
        decoded: stem.counters.decoded,
        loadFailures: stem.counters.failures,
        failed: stem.failed,
      };
    }
    return fill;
  }

  /** For inspection snapshots: a few numbers, never audio. */
  summary(): Record<string, unknown> {
    return {
      song: this.spec.id,
      instance: this.instance,
      mode: this.mode,
      state: this.state,
      totalFrames: this.totalFrames,
      position: this.position,
      bufferBytes: this.bufferBytes(),
      stems: this.stems.length,
    };
  }

  /**
   * Frees the song's audio (the mixer let go of it): every buffer and whole decode. The mixer's
   * counters are kept for metrics.
   */
  release(): void {
    if (this.status) this.final = this.counters();
    this.status = null;
    this.statusValues = null;
    this.pcm = [];
    for (const stem of this.stems) stem.buffer = null;
    this.legacyBytes = 0;
  }

  private makeStatus(shared: boolean): void {
    this.status = StatusBlock.create(songStatusCount(this.stems.length), shared);
    this.statusValues = new Float64Array(this.status.values.length);
    this.status.values[SongStatusField.firstAudioAtOutputFrame] = -1;
  }
}
