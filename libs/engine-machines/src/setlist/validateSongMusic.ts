import type { SectionMark, SongMusic, TempoChange, Transition } from './setlistTypes.js';

/** Reports one problem at a JSON path. */
export type ReportProblem = (jsonPath: string, problem: string) => void;

/** Tempo bounds: anything outside is a typo, not music. */
const MIN_BPM = 1;
const MAX_BPM = 999;
const MAX_BEATS_PER_BAR = 64;
const BEAT_UNITS = [1, 2, 4, 8, 16, 32];
const MAX_COUNT_IN_BARS = 64;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const seconds = (s: number) => `${Number(s.toFixed(6))} s`;

/**
 * Pure validation of a song's musical fields — `tempo`, `timeSignature`, `tempoMap`, `sections`,
 * `countIn`, `transition` — in a setlist song object or a folder song's `song.json`. `at` is the
 * JSON path of the object (`$.songs[2]`, or `$` in a song.json). Every problem is reported; the
 * result holds the fields that were valid. Checks that need the song's length (an `at` beyond
 * the end) are `songTimingProblems`', once the stems are opened.
 */
export function validateSongMusic(song: Record<string, unknown>, at: string, report: ReportProblem): SongMusic {
  const tempoMap = validateTempo(song, at, report);
  const sections = song.sections === undefined ? undefined : validateSections(song.sections, `${at}.sections`, report);
  const countIn = validateCountIn(song.countIn, `${at}.countIn`, tempoMap !== undefined || song.tempo !== undefined || song.tempoMap !== undefined, report);
  const transition = song.transition === undefined ? undefined : validateTransition(song.transition, `${at}.transition`, report);
  return {
    ...(tempoMap ? { tempoMap } : {}),
    ...(sections ? { sections } : {}),
    ...(countIn !== undefined ? { countIn } : {}),
    ...(transition ? { transition } : {}),
  };
}

function validateTempo(song: Record<string, unknown>, at: string, report: ReportProblem): TempoChange[] | undefined {
  if (song.tempoMap !== undefined) {
    if (song.tempo !== undefined) report(`${at}.tempoMap`, 'give either "tempo" (with "timeSignature") or "tempoMap", not both');
    if (song.timeSignature !== undefined) report(`${at}.timeSignature`, 'does not go with "tempoMap": give "beatsPerBar" (and "beatUnit") in each tempo map entry');
    return validateTempoMap(song.tempoMap, `${at}.tempoMap`, report);
  }
  if (song.tempo === undefined) {
    if (song.timeSignature !== undefined) report(`${at}.timeSignature`, 'needs a "tempo" (beats per minute)');
    return undefined;
  }
  const bpm = validateBpm(song.tempo, `${at}.tempo`, report);
  const signature = song.timeSignature === undefined ? { beatsPerBar: 4, beatUnit: 4 } : parseTimeSignature(song.timeSignature, `${at}.timeSignature`, report);
  if (bpm === undefined || signature === undefined) return undefined;
  return [{ at: 0, bpm, ...signature }];
}

function validateBpm(value: unknown, at: string, report: ReportProblem): number | undefined {
  if (isFiniteNumber(value) && value >= MIN_BPM && value <= MAX_BPM) return value;
  report(at, `must be a number of beats per minute from ${MIN_BPM} to ${MAX_BPM}`);
  return undefined;
}

function validateBeatsPerBar(value: unknown, at: string, report: ReportProblem): number | undefined {
  if (Number.isInteger(value) && (value as number) >= 1 && (value as number) <= MAX_BEATS_PER_BAR) return value as number;
  report(at, `must be a whole number of beats from 1 to ${MAX_BEATS_PER_BAR}`);
  return undefined;
}

function validateBeatUnit(value: unknown, at: string, report: ReportProblem): number | undefined {
  if (BEAT_UNITS.includes(value as number)) return value as number;
  report(at, `must be one of ${BEAT_UNITS.join(', ')} (the note value of a beat)`);
  return undefined;
}

/** `"7/8"` → 7 beats of an eighth note. */
function parseTimeSignature(value: unknown, at: string, report: ReportProblem): { beatsPerBar: number; beatUnit: number } | undefined {
  const match = typeof value === 'string' ? /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(value) : null;
  if (!match) {
    report(at, 'must be a string such as "4/4", "3/4" or "6/8"');
    return undefined;
  }
  const beatsPerBar = validateBeatsPerBar(Number(match[1]), at, (p, m) => report(p, `numerator ${match[1]}: ${m}`));
  const beatUnit = validateBeatUnit(Number(match[2]), at, (p, m) => report(p, `denominator ${match[2]}: ${m}`));
  return beatsPerBar === undefined || beatUnit === undefined ? undefined : { beatsPerBar, beatUnit };
}

function validateTempoMap(value: unknown, at: string, report: ReportProblem): TempoChange[] | undefined {
  if (!Array.isArray(value) || value.length === 0) {
    report(at, 'must be a non-empty array of { "at": seconds, "bpm": number, "beatsPerBar": number }');
    return undefined;
  }
  const changes: TempoChange[] = [];
  let valid = true;
  let previous: { at: number; bpm: number } | undefined;
  value.forEach((entry: unknown, i: number) => {
    const entryAt = `${at}[${i}]`;
    if (!isObject(entry)) {
      report(entryAt, 'must be an object { "at": seconds, "bpm": number, "beatsPerBar": number }');
      valid = false;
      return;
    }
    const time = validateTime(entry.at, `${entryAt}.at`, report);
    const bpm = validateBpm(entry.bpm, `${entryAt}.bpm`, report);
    const beatsPerBar = validateBeatsPerBar(entry.beatsPerBar, `${entryAt}.beatsPerBar`, report);
    const beatUnit = entry.beatUnit === undefined ? 4 : validateBeatUnit(entry.beatUnit, `${entryAt}.beatUnit`, report);
    if (time === undefined || bpm === undefined || beatsPerBar === undefined || beatUnit === undefined) {
      valid = false;
      previous = undefined;
      return;
    }
    if (i === 0 && time !== 0) {
      report(`${entryAt}.at`, 'must be 0: the first tempo map entry starts bar 1 at the start of the song');
      valid = false;
    }
    // A tempo change starts a new bar; one closer than a beat after the previous change would
    // leave a bar with no beat in it.
    if (previous && time < previous.at + 60 / previous.bpm) {
      const problem =
        time <= previous.at
          ? `must be after the previous entry (at ${seconds(previous.at)}): entries are sorted by time`
          : `must be at least one beat (${seconds(60 / previous.bpm)} at ${previous.bpm} BPM) after the previous entry (at ${seconds(previous.at)})`;
      report(`${entryAt}.at`, problem);
      valid = false;
    }
    previous = { at: time, bpm };
    changes.push({ at: time, bpm, beatsPerBar, beatUnit });
  });
  return valid ? changes : undefined;
}

function validateTime(value: unknown, at: string, report: ReportProblem): number | undefined {
  if (isFiniteNumber(value) && value >= 0) return value;
  report(at, 'must be a number of seconds >= 0');
  return undefined;
}

function validateSections(value: unknown, at: string, report: ReportProblem): SectionMark[] | undefined {
  if (!Array.isArray(value)) {
    report(at, 'must be an array of { "name": string, "at": seconds }');
    return undefined;
  }
  const sections: SectionMark[] = [];
  const names = new Set<string>();
  let valid = true;
  let previousAt: number | undefined;
  value.forEach((entry: unknown, i: number) => {
    const entryAt = `${at}[${i}]`;
    if (!isObject(entry)) {
      report(entryAt, 'must be an object { "name": string, "at": seconds }');
      valid = false;
      return;
    }
    const name = validateSectionName(entry.name, `${entryAt}.name`, names, report);
    const time = validateTime(entry.at, `${entryAt}.at`, report);
    const sorted = time === undefined || previousAt === undefined || time > previousAt;
    if (!sorted) report(`${entryAt}.at`, `must be after the previous section (at ${seconds(previousAt as number)}): sections are sorted by time`);
    if (typeof entry.name === 'string') names.add(entry.name);
    if (time !== undefined) previousAt = time;
    if (name === undefined || time === undefined || !sorted) valid = false;
    else sections.push({ name, at: time });
  });
  return valid ? sections : undefined;
}

function validateSectionName(value: unknown, at: string, seen: ReadonlySet<string>, report: ReportProblem): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') report(at, 'must be a non-empty string');
  // eslint-disable-next-line no-control-regex
  else if (/[\u0000-\u001f\u007f]/.test(value)) report(at, `${JSON.stringify(value)} contains a control character`);
  else if (seen.has(value)) report(at, `duplicate section name ${JSON.stringify(value)}: jumps name sections, so names must be unique`);
  else return value;
  return undefined;
}

function validateCountIn(value: unknown, at: string, hasTempo: boolean, report: ReportProblem): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > MAX_COUNT_IN_BARS) {
    report(at, `must be a whole number of bars from 0 to ${MAX_COUNT_IN_BARS}`);
    return undefined;
  }
  if ((value as number) > 0 && !hasTempo) {
    report(at, 'needs a tempo: add "tempo" (and "timeSignature") or "tempoMap" to the song');
    return undefined;
  }
  return value as number;
}

const TRANSITION_SHAPES = 'must be "gapless", "stop", { "gap": seconds } or { "crossfade": seconds }';

function validateTransition(value: unknown, at: string, report: ReportProblem): Transition | undefined {
  if (value === 'gapless' || value === 'stop') return { kind: value };
  if (!isObject(value)) {
    report(at, TRANSITION_SHAPES);
    return undefined;
  }
  const keys = Object.keys(value);
  if (keys.length !== 1 || (keys[0] !== 'gap' && keys[0] !== 'crossfade')) {
    report(at, TRANSITION_SHAPES);
    return undefined;
  }
  const kind = keys[0];
  const length = value[kind];
  if (kind === 'gap') {
    if (isFiniteNumber(length) && length >= 0) return { kind, seconds: length };
    report(`${at}.gap`, 'must be a number of seconds >= 0');
    return undefined;
  }
  if (isFiniteNumber(length) && length > 0) return { kind: 'crossfade', seconds: length };
  report(`${at}.crossfade`, 'must be a number of seconds > 0');
  return undefined;
}
