import { decayFactor, noteHz, sine } from './oscillators.js';
import { deriveSeed, seededRandom } from './random.js';

/** The kinds of material a synthetic stem can hold. */
export type StemKind = 'chords' | 'bass' | 'noise' | 'drums' | 'click' | 'sparse';
export const STEM_KINDS: readonly StemKind[] = ['chords', 'bass', 'drums', 'click', 'noise', 'sparse'];

/** What all stems of a song share, so they sound like one piece (and line up for mixing tests). */
export interface Groove {
  readonly sampleRate: number;
  readonly channels: number;
  readonly tempoBpm: number;
  /** Root of the key, Hz (the chord progression is built on it). */
  readonly rootHz: number;
}

/** Produces a stem's samples in order; `render` may be called with any block sizes, the result is the same. */
export interface StemRenderer {
  /** Writes the next `count` frames into `out[channel][0, count)` as floats in [-1, 1]. */
  render(out: Float64Array[], count: number): void;
}

// I–V–vi–IV in semitones above the root, one chord per bar of 4 beats.
const PROGRESSION = [
  [0, 4, 7],
  [7, 11, 14],
  [9, 12, 16],
  [5, 9, 12],
];
const PENTATONIC = [0, 2, 4, 7, 9, 12, 14, 16];
/** Envelope level under which a decaying sound is cut to exact digital silence (about -100 dB). */
const SILENT = 1e-5;

export function createRenderer(kind: StemKind, groove: Groove, seed: number): StemRenderer {
  switch (kind) {
    case 'chords':
      return chords(groove, seed);
    case 'bass':
      return bass(groove);
    case 'noise':
      return noise(groove, seed);
    case 'drums':
      return drums(groove, seed);
    case 'click':
      return click(groove);
    case 'sparse':
      return sparse(groove, seed);
  }
}

/** Sustained 4-voice chords, a new one each bar with a 50 ms attack; channels slightly detuned. */
function chords(groove: Groove, seed: number): StemRenderer {
  const { sampleRate, channels, tempoBpm, rootHz } = groove;
  const framesPerBar = (4 * 60 * sampleRate) / tempoBpm;
  const octaveShift = seed % 2; // voicing varies by stem
  const phases = new Float64Array(4 * channels);
  const steps = new Float64Array(4 * channels);
  const attack = 1 / (0.05 * sampleRate);
  let frame = 0;
  let nextBar = 0;
  let bar = 0;
  let envelope = 0;
  return {
    render(out, count) {
      for (let i = 0; i < count; i++, frame++) {
        if (frame >= nextBar) {
          const chord = PROGRESSION[bar % PROGRESSION.length];
          const notes = [chord[0] - 12, chord[0], chord[1], chord[2] + 12 * octaveShift];
          for (let v = 0; v < 4; v++) {
            for (let c = 0; c < channels; c++) steps[v * channels + c] = (noteHz(rootHz, notes[v]) * (1 + 0.0015 * c)) / sampleRate;
          }
          envelope = 0;
          bar++;
          nextBar = Math.round(bar * framesPerBar);
        }
        if (envelope < 1) envelope = Math.min(1, envelope + attack);
        for (let c = 0; c < channels; c++) {
          let sum = 0;
          for (let v = 0; v < 4; v++) {
            const k = v * channels + c;
            sum += sine(phases[k]);
            phases[k] += steps[k];
            if (phases[k] >= 1) phases[k] -= 1;
          }
          out[c][i] = 0.15 * envelope * sum;
        }
      }
    },
  };
}

/** Plucked bass on eighth notes following the chord roots; identical in every channel (a centred source). */
function bass(groove: Groove): StemRenderer {
  const { sampleRate, channels, tempoBpm, rootHz } = groove;
  const framesPerEighth = (30 * sampleRate) / tempoBpm;
  const decay = decayFactor(0.18, sampleRate);
  let frame = 0;
  let step = 0;
  let nextStep = 0;
  let phase = 0;
  let increment = 0;
  let envelope = 0;
  return {
    render(out, count) {
      for (let i = 0; i < count; i++, frame++) {
        if (frame >= nextStep) {
          const chord = PROGRESSION[Math.floor(step / 8) % PROGRESSION.length];
          increment = noteHz(rootHz / 2, chord[step % 4 === 3 ? 2 : 0] % 12) / sampleRate;
          envelope = 1;
          step++;
          nextStep = Math.round(step * framesPerEighth);
        }
        const doubled = phase * 2;
        const value = 0.5 * envelope * (sine(phase) + 0.3 * sine(doubled >= 1 ? doubled - 1 : doubled));
        phase += increment;
        if (phase >= 1) phase -= 1;
        envelope *= decay;
        for (let c = 0; c < channels; c++) out[c][i] = value;
      }
    },
  };
}

/** Low-passed noise with a slow swell over 8 bars; independent per channel (a wide source). */
function noise(groove: Groove, seed: number): StemRenderer {
  const { sampleRate, channels, tempoBpm } = groove;
  const randoms = Array.from({ length: channels }, (_, c) => seededRandom(deriveSeed(seed, `noise${c}`)));
  const filtered = new Float64Array(channels);
  const swellStep = tempoBpm / (60 * 32 * sampleRate); // one cycle per 8 bars of 4 beats
  const smoothing = 0.08; // one-pole low-pass coefficient: about 600 Hz at 48 kHz
  let swell = 0;
  return {
    render(out, count) {
      for (let i = 0; i < count; i++) {
        const level = 0.9 * (0.6 + 0.4 * sine(swell));
        swell += swellStep;
        if (swell >= 1) swell -= 1;
        for (let c = 0; c < channels; c++) {
          filtered[c] += smoothing * (2 * randoms[c]() - 1 - filtered[c]);
          out[c][i] = level * filtered[c];
        }
      }
    },
  };
}

/** Kick on beats 1 and 3, snare on 2 and 4, hi-hat on eighths (some bars without, by seed), hat panned right. */
function drums(groove: Groove, seed: number): StemRenderer {
  const { sampleRate, channels, tempoBpm } = groove;
  const random = seededRandom(deriveSeed(seed, 'drums'));
  const framesPerEighth = (30 * sampleRate) / tempoBpm;
  const kickDecay = decayFactor(0.25, sampleRate);
  const kickSweepDecay = decayFactor(0.04, sampleRate);
  const snareDecay = decayFactor(0.12, sampleRate);
  const hatDecay = decayFactor(0.025, sampleRate);
  let frame = 0;
  let step = 0;
  let nextStep = 0;
  let hatsThisBar = true;
  let kick = 0;
  let kickSweep = 0;
  let kickPhase = 0;
  let snare = 0;
  let snarePhase = 0;
  let hat = 0;
  let lastNoise = 0;
  return {
    render(out, count) {
      for (let i = 0; i < count; i++, frame++) {
        if (frame >= nextStep) {
          const inBar = step % 8;
          if (inBar === 0) hatsThisBar = random() < 0.75;
          if (inBar === 0 || inBar === 4) {
            kick = 1;
            kickSweep = 1;
            kickPhase = 0;
          }
          if (inBar === 2 || inBar === 6) snare = 1;
          if (hatsThisBar) hat = 1;
          step++;
          nextStep = Math.round(step * framesPerEighth);
        }
        const white = 2 * random() - 1;
        let value = 0;
        if (kick > SILENT) {
          value += 0.7 * kick * sine(kickPhase);
          kickPhase += (45 + 75 * kickSweep) / sampleRate;
          if (kickPhase >= 1) kickPhase -= 1;
          kick *= kickDecay;
          kickSweep *= kickSweepDecay;
        }
        if (snare > SILENT) {
          value += 0.4 * snare * (white + 0.3 * sine(snarePhase));
          snarePhase += 185 / sampleRate;
          if (snarePhase >= 1) snarePhase -= 1;
          snare *= snareDecay;
        }
        let hatValue = 0;
        if (hat > SILENT) {
          hatValue = 0.12 * hat * (white - lastNoise); // first difference: a crude high-pass
          hat *= hatDecay;
        }
        lastNoise = white;
        out[0][i] = value + 0.6 * hatValue;
        for (let c = 1; c < channels; c++) out[c][i] = value + hatValue;
      }
    },
  };
}

/** Metronome: a 20 ms blip per beat, 1.5 kHz on the downbeat, 1 kHz otherwise; exact silence between. */
function click(groove: Groove): StemRenderer {
  const { sampleRate, channels, tempoBpm } = groove;
  const framesPerBeat = (60 * sampleRate) / tempoBpm;
  const decay = decayFactor(0.006, sampleRate);
  let frame = 0;
  let beat = 0;
  let nextBeat = 0;
  let phase = 0;
  let increment = 0;
  let envelope = 0;
  return {
    render(out, count) {
      for (let i = 0; i < count; i++, frame++) {
        if (frame >= nextBeat) {
          increment = (beat % 4 === 0 ? 1500 : 1000) / sampleRate;
          phase = 0;
          envelope = 1;
          beat++;
          nextBeat = Math.round(beat * framesPerBeat);
        }
        let value = 0;
        if (envelope > SILENT) {
          value = 0.5 * envelope * sine(phase);
          phase += increment;
          if (phase >= 1) phase -= 1;
          envelope *= decay;
        }
        for (let c = 0; c < channels; c++) out[c][i] = value;
      }
    },
  };
}

/** Mostly silence: one bar of pentatonic melody every 8 bars (which bar depends on the seed), digital zero otherwise. */
function sparse(groove: Groove, seed: number): StemRenderer {
  const { sampleRate, channels, tempoBpm, rootHz } = groove;
  const random = seededRandom(deriveSeed(seed, 'sparse'));
  const framesPerEighth = (30 * sampleRate) / tempoBpm;
  const playingBar = seed % 8;
  const decay = decayFactor(0.15, sampleRate);
  let frame = 0;
  let step = 0;
  let nextStep = 0;
  let phase = 0;
  let increment = 0;
  let envelope = 0;
  return {
    render(out, count) {
      for (let i = 0; i < count; i++, frame++) {
        if (frame >= nextStep) {
          if (Math.floor(step / 8) % 8 === playingBar) {
            increment = noteHz(rootHz * 2, PENTATONIC[Math.floor(random() * PENTATONIC.length)]) / sampleRate;
            envelope = 1;
          }
          step++;
          nextStep = Math.round(step * framesPerEighth);
        }
        let value = 0;
        if (envelope > SILENT) {
          value = 0.4 * envelope * sine(phase);
          phase += increment;
          if (phase >= 1) phase -= 1;
          envelope *= decay;
        }
        // Slightly left of centre so the channels differ.
        out[0][i] = value;
        for (let c = 1; c < channels; c++) out[c][i] = 0.7 * value;
      }
    },
  };
}
