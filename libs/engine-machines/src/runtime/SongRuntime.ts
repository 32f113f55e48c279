import type { AnyActorRef } from 'xstate';
import { SampleRateMismatchError } from '../errors.js';
import type { StemFill } from '../metrics/SongMetrics.js';
import { SongMetricsRecorder } from '../metrics/SongMetrics.js';
import type { StemInfo } from '../ports/ChunkSource.js';
import type { WholeStem } from '../ports/WholeStemDecoder.js';
import { BUFFER_SETS, MixSong, MixStem } from '../realtime/MixSong.js';
import type { StemBufferFactory } from '../realtime/StemBuffer.js';
import { WholePcmReader } from '../realtime/WholePcmReader.js';
import { dbToGain } from '../realtime/gain.js';
import type { SongSpec } from '../setlist/setlistTypes.js';
import type { Frames } from '../units.js';
import { StemRuntime } from './StemRuntime.js';

/**
 * One loaded song instance on the control thread: its stems, its mix layout for the mixer, and
 * which buffer set holds what. The song actor owns it; the engine registers it by instance id so
 * the mixer's events (which name the MixSong) find their way back.
 *
 * Buffer sets: every stem has {@link BUFFER_SETS} buffers. `activeSet` is the one the playing
 * position reads; a seek outside it loads into a free set (`loadingSet`) and, when it lands, the
 * old set keeps playing the fading position (`fadingSets`) until the mixer releases it.
 */
export class SongRuntime {
  readonly stems: StemRuntime[];
  readonly metrics = new SongMetricsRecorder();
  mode: 'streaming' | 'legacy' = 'streaming';
  mix: MixSong | null = null;
  totalFrames: Frames = 0;
  chunkFrames: Frames = 0;
  activeSet = 0;
  loadingSet = -1;
  readonly fadingSets = new Set<number>();
  /** The song actor that owns this runtime (the playback driver sends it the mixer's events). */
  actor: AnyActorRef | null = null;
  /** The song actor's state, for metrics (kept after the actor is gone: 'released'). */
  state = 'idle';
  /** A seek is loading its target (the offline sink waits for it before rendering on). */
  seekLoading = false;
  /** Bytes held by legacy whole decodes. */
  legacyBytes = 0;

  constructor(
    /** Unique per load of a song; also the MixSong id. */
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
   * Streaming: keeps what the loader said about each stem, makes its buffers and the mix layout.
   *
   * @throws SampleRateMismatchError when a stem is not delivered at `sampleRate`.
   */
  buildStreaming(infos: readonly StemInfo[], sampleRate: number, createBuffer: StemBufferFactory, bufferChunks: number): void {
    this.mode = 'streaming';
    infos.forEach((info, i) => {
      if (info.outputSampleRate !== sampleRate) throw new SampleRateMismatchError(this.spec.id, this.stems[i].spec.id, info.outputSampleRate, sampleRate);
    });
    this.totalFrames = Math.max(0, ...infos.map((info) => info.totalFrames));
    this.chunkFrames = Math.max(1, ...infos.map((info) => info.chunkFrames));
    this.stems.forEach((stem, i) => {
      const info = infos[i];
      stem.info = info;
      stem.buffers = Array.from({ length: BUFFER_SETS }, () =>
        // The plan's window exactly: entering chunk N+1 frees chunk N before chunk N+4 is asked for.
        createBuffer({ channels: info.channels, totalFrames: info.totalFrames, chunkFrames: info.chunkFrames, capacityChunks: bufferChunks }),
      );
    });
    this.mix = new MixSong(
      this.instance,
      this.spec.id,
      this.totalFrames,
      this.stems.map((stem, i) => new MixStem(i, infos[i].channels, stem.buffers, infos[i].totalFrames, dbToGain(stem.gainDb), stem.muted, stem.solo)),
    );
  }

  /** Legacy: the stems decoded whole play from memory (every buffer set reads the same data). */
  buildLegacy(wholes: readonly WholeStem[]): void {
    // A song that falls back while playing resumes where it was (and keeps its underrun count).
    const position = this.mix?.position ?? 0;
    const underruns = this.mix?.underrunQuanta ?? 0;
    this.mode = 'legacy';
    this.totalFrames = Math.max(0, ...wholes.map((w) => w.totalFrames));
    this.chunkFrames = Math.max(1, this.totalFrames);
    this.activeSet = 0;
    this.loadingSet = -1;
    this.fadingSets.clear();
    const readers = wholes.map((w) => new WholePcmReader(w.channelData));
    this.stems.forEach((stem) => {
      for (const buffer of stem.buffers) buffer.release();
      stem.buffers = [];
      stem.failed = false;
    });
    this.mix = new MixSong(
      this.instance,
      this.spec.id,
      this.totalFrames,
      this.stems.map((stem, i) => {
        const reader = readers[i];
        const sets = Array.from({ length: BUFFER_SETS }, () => reader);
        return new MixStem(i, wholes[i].channelData.length, sets, wholes[i].totalFrames, dbToGain(stem.gainDb), stem.muted, stem.solo);
      }),
    );
    this.mix.position = Math.min(position, this.totalFrames);
    this.mix.underrunQuanta = underruns;
    this.legacyBytes = wholes.reduce((sum, w) => sum + w.totalFrames * w.channelData.length * 4, 0);
  }

  /** A buffer set no voice reads any more: drop its audio (unless it is playing or being loaded). */
  releaseSet(set: number): void {
    this.fadingSets.delete(set);
    if (set === this.activeSet || set === this.loadingSet) return;
    for (const stem of this.stems) stem.buffers[set]?.release();
  }

  /** A set to load a seek into: neither playing nor fading (one always exists with three sets). */
  freeSet(): number {
    for (let set = 0; set < BUFFER_SETS; set++) {
      if (set !== this.activeSet && !this.fadingSets.has(set)) return set;
    }
    return (this.activeSet + 1) % BUFFER_SETS;
  }

  /** Does every audible, playable stem hold `frames` (clipped to its end) from `position` in `set`? */
  holds(set: number, position: Frames, frames: Frames): boolean {
    const mix = this.mix;
    if (!mix) return false;
    return mix.stems.every((mixStem) => {
      if (!mix.isAudible(mixStem) || position >= mixStem.totalFrames) return true;
      return mixStem.sets[set].framesAvailableAt(position) >= Math.min(frames, mixStem.totalFrames - position);
    });
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
    const fill: Record<string, StemFill> = {};
    for (const stem of this.stems) {
      const mixStem = this.mix?.stems[stem.index];
      const frames = this.mode === 'legacy' ? (mixStem?.totalFrames ?? 0) : stem.buffers.reduce((sum, b) => sum + b.heldFrames, 0);
      fill[stem.spec.id] = {
        bufferedFrames: frames,
        bufferedSeconds: frames / sampleRate,
        bytes: this.mode === 'legacy' ? frames * (mixStem?.channels ?? 0) * 4 : stem.bufferBytes,
        underruns: mixStem?.starvedQuanta ?? this.finalStemUnderruns[stem.index] ?? 0,
        fromCache: stem.counters.fromCache,
        decoded: stem.counters.decoded,
        loadFailures: stem.counters.failures,
        failed: stem.failed,
      };
    }
    return fill;
  }

  /** For inspection snapshots: a few numbers, never audio. */
  /** Control thread: the play position the mixer has reached (frames). */
  get position(): Frames {
    return this.mix?.position ?? 0;
  }

  summary(): Record<string, unknown> {
    return {
      song: this.spec.id,
      instance: this.instance,
      mode: this.mode,
      state: this.state,
      totalFrames: this.totalFrames,
      position: this.position,
      activeSet: this.activeSet,
      loadingSet: this.loadingSet,
      fadingSets: [...this.fadingSets],
      bufferBytes: this.bufferBytes(),
      stems: this.stems.length,
    };
  }

  /** Gives back every stem buffer's memory (streaming is abandoned or the song closed). */
  releaseBuffers(): void {
    for (const stem of this.stems) for (const buffer of stem.buffers) buffer.release();
  }

  /** Underruns counted by the mixer (kept when the song is released). */
  get underruns(): number {
    return this.mix?.underrunQuanta ?? this.finalUnderruns;
  }

  private finalUnderruns = 0;
  private finalStemUnderruns: number[] = [];

  /**
   * Frees the song's audio (it was closed): every buffer, and the mix layout with its readers (a
   * legacy song's whole decode lives there). The mixer's counters are kept for metrics; a voice
   * still fading in the mixer holds its own reference until it is released.
   */
  release(): void {
    this.releaseBuffers();
    if (this.mix) {
      this.finalUnderruns = this.mix.underrunQuanta;
      this.finalStemUnderruns = this.mix.stems.map((s) => s.starvedQuanta);
      this.mix = null;
    }
    this.legacyBytes = 0;
  }
}
