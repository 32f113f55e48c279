import type { CheckedMessage } from '../protocol/validateMessage.js';
import type { SessionLog } from '../session/SessionLog.js';

/** A condition that bookmarks the timeline (or pauses the view) when it becomes true. */
export type TriggerCondition =
  | { readonly kind: 'buffer-below'; readonly seconds: number }
  | { readonly kind: 'seek-over'; readonly ms: number }
  | { readonly kind: 'underrun' };

export interface Trigger {
  readonly id: number;
  readonly condition: TriggerCondition;
  readonly action: 'bookmark' | 'pause';
}

export interface Bookmark {
  readonly triggerId: number | null;
  readonly index: number;
  readonly t: number;
  readonly label: string;
  readonly action: 'bookmark' | 'pause';
}

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);

export function describeCondition(c: TriggerCondition): string {
  switch (c.kind) {
    case 'buffer-below':
      return `a stem's buffer under ${c.seconds} s`;
    case 'seek-over':
      return `a seek over ${c.ms} ms`;
    case 'underrun':
      return 'an underrun';
  }
}

/**
 * Evaluates triggers over the log's messages as they arrive. Edge-triggered: "buffer under N s"
 * fires when a stem goes below (not again until it has been above), "seek over N ms" once per seek
 * when it lands, "underrun" whenever a stem's underrun count grows. Only a playing song's stems
 * count for buffers (a preloading song's empty buffers are expected).
 */
export class TriggerEvaluator {
  private applied = 0;
  private readonly below = new Map<string, boolean>();
  private readonly underruns = new Map<string, number>();
  private readonly seeksSeen = new Set<string>();

  constructor(private readonly log: SessionLog) {}

  /** Bookmarks fired by the messages not evaluated yet. */
  evaluate(triggers: readonly Trigger[]): Bookmark[] {
    const fired: Bookmark[] = [];
    for (; this.applied < this.log.messages.length; this.applied++) this.apply(this.log.messages[this.applied], this.applied, triggers, fired);
    return fired;
  }

  private apply(m: CheckedMessage, index: number, triggers: readonly Trigger[], fired: Bookmark[]): void {
    const fire = (trigger: Trigger, label: string) => fired.push({ triggerId: trigger.id, index, t: m.t, label, action: trigger.action });
    if (m.type === 'metrics' && isRec(m.metrics) && Array.isArray(m.metrics.songs)) {
      for (const song of m.metrics.songs) {
        if (!isRec(song) || !isRec(song.stems)) continue;
        const playing = song.state === 'playing';
        for (const [stem, fill] of Object.entries(song.stems)) {
          if (!isRec(fill)) continue;
          const key = `${String(song.song)}#${String(song.instance)}/${stem}`;
          const seconds = typeof fill.bufferedSeconds === 'number' ? fill.bufferedSeconds : Infinity;
          for (const t of triggers) {
            if (t.condition.kind !== 'buffer-below') continue;
            const k = `${t.id}:${key}`;
            const isBelow = playing && seconds < t.condition.seconds;
            if (isBelow && !this.below.get(k)) fire(t, `${stem} buffer ${seconds.toFixed(2)} s < ${t.condition.seconds} s`);
            this.below.set(k, isBelow);
          }
          const count = typeof fill.underruns === 'number' ? fill.underruns : 0;
          const before = this.underruns.get(key) ?? 0;
          if (count > before) for (const t of triggers) if (t.condition.kind === 'underrun') fire(t, `underrun: ${stem} (+${count - before})`);
          this.underruns.set(key, count);
        }
      }
      return;
    }
    if (m.type === 'snapshot' && isRec(m.context) && typeof m.context.latencyMs === 'number' && !this.seeksSeen.has(m.sessionId)) {
      const actor = this.log.actors.get(m.sessionId);
      if (actor?.machine?.id !== 'seek' && !/\/seek:/.test(actor?.systemId ?? '')) return;
      this.seeksSeen.add(m.sessionId);
      const latency = m.context.latencyMs;
      for (const t of triggers) if (t.condition.kind === 'seek-over' && latency > t.condition.ms) fire(t, `${actor?.systemId ?? 'seek'} took ${Math.round(latency)} ms`);
    }
  }
}

/** The time between two bookmarks, as text ("182 ms", "3.40 s"). */
export function timeBetween(a: Bookmark, b: Bookmark): string {
  const ms = Math.abs(b.t - a.t);
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}
