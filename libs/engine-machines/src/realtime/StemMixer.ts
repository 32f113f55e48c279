import type { Frames } from '../units.js';
import { MAX_STEM_CHANNELS } from './mixerLimits.js';
import { MixerEventKind } from './MixerEvent.js';
import type { MixSong } from './MixSong.js';
import type { Voice } from './Voice.js';
import { fillEqualPowerRamp } from './gain.js';

/** Where the stem mixer reports a stem starving or fed again (the mixer's event ring). */
export interface StarvationSink {
  emit(kind: MixerEventKind, song: number, id: number, outputFrame: Frames, value: number): void;
}

/**
 * The sample loops of the mixer: one voice's stems into a stereo output (gain, downmix matrix,
 * equal-power ramp), a count-in's click, and whether a song holds the data a quantum needs.
 * Audio thread; scratch buffers are made once, so nothing here allocates.
 */
export class StemMixer {
  private readonly scratch: Float32Array[];
  private readonly ramp: Float32Array;

  constructor(maxQuantumFrames: Frames) {
    this.scratch = Array.from({ length: MAX_STEM_CHANNELS }, () => new Float32Array(maxQuantumFrames));
    this.ramp = new Float32Array(maxQuantumFrames);
  }

  /**
   * Does every audible stem hold `frames` (clipped to the song) from `position`? Stems that are
   * not heard do not hold a start back (they would play as silence anyway).
   */
  hasData(song: MixSong, position: Frames, frames: Frames): boolean {
    const need = Math.min(frames, song.totalFrames - position);
    if (need <= 0) return true;
    const stems = song.stems;
    for (let s = 0; s < stems.length; s++) {
      const stem = stems[s];
      if (song.isAudible(stem) && position < stem.totalFrames && stem.reader.framesAvailableAt(position) < Math.min(need, stem.totalFrames - position)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Adds `frames` frames of `voice` into `out` from `offset`; returns whether any audible stem
   * missed data. `counts`: the main voice counts underruns and starvation (reported to `events`
   * at `outputFrame`); a fading one does not.
   */
  mixVoice(voice: Voice, out: Float32Array[], offset: number, frames: Frames, counts: boolean, events: StarvationSink, outputFrame: Frames): boolean {
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
          events.emit(MixerEventKind.StemFed, song.instance, s, outputFrame, 0);
        }
        continue;
      }
      const missing = stem.reader.read(voice.position, length, this.scratch, 0);
      if (counts) {
        const starved = missing > 0;
        if (starved) {
          stem.starvedQuanta++;
          anyStarved = true;
        }
        if (starved !== stem.starved) {
          stem.starved = starved;
          events.emit(starved ? MixerEventKind.StemStarved : MixerEventKind.StemFed, song.instance, s, outputFrame, missing);
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

  /** Adds `frames` of the song's count-in, from count-in frame `from`, at the stem's gain (heard whatever the mutes and solos). */
  mixCountIn(song: MixSong, from: Frames, out: Float32Array[], offset: number, frames: Frames): void {
    const stem = song.countInStem;
    if (stem === null) return;
    stem.reader.read(from, frames, this.scratch, 0);
    const left = out[0];
    const right = out.length > 1 ? out[1] : null;
    for (let ch = 0; ch < stem.channels; ch++) {
      const src = this.scratch[ch];
      const l = stem.matrix[ch * 2] * stem.gain;
      const r = stem.matrix[ch * 2 + 1] * stem.gain;
      if (l !== 0) for (let i = 0; i < frames; i++) left[offset + i] += src[i] * l;
      if (r !== 0 && right !== null) for (let i = 0; i < frames; i++) right[offset + i] += src[i] * r;
    }
  }
}
