import type { JumpWhen, LoopRelease, LoopRequest } from '@trax/engine-machines';
import { readFile } from 'node:fs/promises';

/** One timed action of a `--script` file (a contract; see apps/cli/README.md: fields are added, never renamed). */
export type ScriptAction =
  | { at: number; do: 'seek'; to: number }
  | { at: number; do: 'play-song'; song: string }
  | { at: number; do: 'pause' | 'play' }
  | { at: number; do: 'mute' | 'unmute' | 'solo' | 'unsolo'; stem: string }
  | { at: number; do: 'gain'; stem: string; db: number }
  | { at: number; do: 'jump'; to: string | number; when: JumpWhen }
  | { at: number; do: 'cancel-jump' }
  | { at: number; do: 'loop'; loop: LoopRequest }
  | { at: number; do: 'release'; when: LoopRelease };

const ACTIONS = ['seek', 'play-song', 'pause', 'play', 'mute', 'unmute', 'solo', 'unsolo', 'gain', 'jump', 'cancel-jump', 'loop', 'release'] as const;
const WHENS = ['now', 'nextBeat', 'nextBar', 'sectionEnd'] as const;

/** A jump's `when`: one of {@link WHENS} or `{ "afterBars": n }` (n a whole number >= 1); undefined when invalid. */
function jumpWhen(value: unknown): JumpWhen | undefined {
  if (value === undefined) return 'now';
  if (typeof value === 'string') return (WHENS as readonly string[]).includes(value) ? (value as JumpWhen) : undefined;
  if (typeof value === 'object' && value !== null && Object.keys(value).length === 1) {
    const bars = (value as { afterBars?: unknown }).afterBars;
    if (Number.isSafeInteger(bars) && (bars as number) >= 1) return { afterBars: bars as number };
  }
  return undefined;
}

/** A script file that cannot be used: names the file, the action and the problem. */
export class ScriptError extends Error {
  constructor(
    readonly file: string,
    readonly where: string,
    readonly problem: string,
  ) {
    super(`${file}: ${where}: ${problem}`);
    this.name = 'ScriptError';
  }
}

const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isNonEmptyString = (v: unknown): v is string => typeof v === 'string' && v !== '';

/** Validates script JSON (pure): a list of `{ at, do, ... }` objects; returns them sorted by `at`, ties in file order. */
export function parseScript(data: unknown, file: string): ScriptAction[] {
  if (!Array.isArray(data)) throw new ScriptError(file, '$', 'must be a JSON list of actions');
  const actions = data.map((raw: unknown, i): ScriptAction => {
    const where = `$[${i}]`;
    if (typeof raw !== 'object' || raw === null) throw new ScriptError(file, where, 'must be an object like { "at": 5, "do": "seek", "to": 90 }');
    const a = raw as Record<string, unknown>;
    if (!isFiniteNumber(a.at) || a.at < 0) throw new ScriptError(file, `${where}.at`, 'must be a number of seconds of output >= 0');
    const kind = a.do;
    if (typeof kind !== 'string' || !(ACTIONS as readonly string[]).includes(kind)) {
      throw new ScriptError(file, `${where}.do`, `must be one of ${ACTIONS.join(', ')}`);
    }
    const need = (field: string, ok: (v: unknown) => boolean, what: string) => {
      if (!ok(a[field])) throw new ScriptError(file, `${where}.${field}`, `"${kind}" needs ${what}`);
    };
    switch (kind) {
      case 'seek':
        need('to', (v) => isFiniteNumber(v) && v >= 0, '"to": seconds >= 0');
        return { at: a.at, do: 'seek', to: a.to as number };
      case 'play-song':
        need('song', isNonEmptyString, '"song": a song id');
        return { at: a.at, do: 'play-song', song: a.song as string };
      case 'pause':
      case 'play':
        return { at: a.at, do: kind };
      case 'gain':
        need('stem', isNonEmptyString, '"stem": a stem id');
        need('db', isFiniteNumber, '"db": a number of decibels');
        return { at: a.at, do: 'gain', stem: a.stem as string, db: a.db as number };
      case 'jump': {
        need('to', (v) => isNonEmptyString(v) || (isFiniteNumber(v) && v >= 0), '"to": a section name or seconds >= 0');
        const when = jumpWhen(a.when);
        if (when === undefined) throw new ScriptError(file, `${where}.when`, `must be one of ${WHENS.map((w) => `"${w}"`).join(', ')} or { "afterBars": n } (n a whole number >= 1)`);
        return { at: a.at, do: 'jump', to: a.to as string | number, when };
      }
      case 'cancel-jump':
        return { at: a.at, do: 'cancel-jump' };
      case 'loop': {
        if (a.section !== undefined) {
          need('section', isNonEmptyString, '"section": a section name (or "from" and "to" in seconds)');
          return { at: a.at, do: 'loop', loop: { section: a.section as string } };
        }
        need('from', (v) => isFiniteNumber(v) && v >= 0, '"section", or "from" and "to": seconds >= 0');
        need('to', (v) => isFiniteNumber(v) && v > (a.from as number), '"to": seconds after "from"');
        return { at: a.at, do: 'loop', loop: { from: a.from as number, to: a.to as number } };
      }
      case 'release': {
        const when = a.when ?? 'atLoopEnd';
        if (when !== 'now' && when !== 'atLoopEnd') throw new ScriptError(file, `${where}.when`, 'must be "now" or "atLoopEnd"');
        return { at: a.at, do: 'release', when };
      }
      default:
        need('stem', isNonEmptyString, '"stem": a stem id');
        return { at: a.at, do: kind as 'mute' | 'unmute' | 'solo' | 'unsolo', stem: a.stem as string };
    }
  });
  return actions.map((action, order) => ({ action, order })).sort((x, y) => x.action.at - y.action.at || x.order - y.order).map((x) => x.action);
}

export async function readScript(file: string): Promise<ScriptAction[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ScriptError(file, '$', `cannot be read (${(error as NodeJS.ErrnoException).code})`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ScriptError(file, '$', `is not valid JSON: ${(error as Error).message}`);
  }
  return parseScript(data, file);
}
