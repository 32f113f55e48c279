import type { SessionLog } from '../session/SessionLog.js';

export interface SequenceArrow {
  /** Log index of the event. */
  readonly index: number;
  readonly t: number;
  readonly from: number;
  readonly to: number;
  readonly label: string;
}

export interface SequenceDiagram {
  /** Lane labels (actors; lane 0 is "outside" for events with no source). */
  readonly lanes: string[];
  readonly laneIds: (string | null)[];
  readonly arrows: SequenceArrow[];
  /** Events in the window left out because of `maxArrows`. */
  readonly omitted: number;
}

const eventType = (event: unknown): string => (typeof event === 'object' && event !== null && typeof (event as { type?: unknown }).type === 'string' ? (event as { type: string }).type : '?');

/**
 * The events between two log indexes as a sequence diagram: one lane per actor taking part (in
 * order of first appearance, "outside" first when an event has no source), one arrow per event
 * from its source to its target. `only` keeps the events touching these actors.
 */
export function sequenceDiagram(log: SessionLog, fromIndex: number, toIndex: number, options: { maxArrows?: number; only?: ReadonlySet<string> } = {}): SequenceDiagram {
  const maxArrows = options.maxArrows ?? 400;
  const lanes: string[] = [];
  const laneIds: (string | null)[] = [];
  const laneOf = new Map<string | null, number>();
  const lane = (sessionId: string | null): number => {
    let i = laneOf.get(sessionId);
    if (i === undefined) {
      i = lanes.length;
      laneOf.set(sessionId, i);
      laneIds.push(sessionId);
      const actor = sessionId ? log.actors.get(sessionId) : undefined;
      lanes.push(sessionId === null ? 'outside' : (actor?.systemId ?? actor?.id ?? sessionId));
    }
    return i;
  };
  const arrows: SequenceArrow[] = [];
  let omitted = 0;
  const end = Math.min(toIndex, log.messages.length - 1);
  for (let index = Math.max(0, fromIndex); index <= end; index++) {
    const m = log.messages[index];
    if (m.type !== 'event') continue;
    const source = m.sourceId ?? null;
    if (options.only && !options.only.has(m.sessionId) && !(source && options.only.has(source))) continue;
    if (arrows.length >= maxArrows) {
      omitted++;
      continue;
    }
    arrows.push({ index, t: m.t, from: lane(source), to: lane(m.sessionId), label: eventType(m.event) });
  }
  return { lanes, laneIds, arrows, omitted };
}
