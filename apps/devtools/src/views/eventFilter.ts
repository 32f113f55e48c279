import type { CheckedMessage } from '../protocol/validateMessage.js';
import type { SessionLog } from '../session/SessionLog.js';

export interface LogFilter {
  /** Only messages about this actor (target, source or subject). */
  readonly actor?: string | null;
  /** Only events whose type contains this. */
  readonly type?: string;
  /** Only messages whose text contains this. */
  readonly text?: string;
  /** Show snapshots, microsteps and actions too (events only by default). */
  readonly everything?: boolean;
}

const summaryOf = (m: CheckedMessage): string => (m.type === 'event' ? JSON.stringify(m.event) : m.type === 'snapshot' ? JSON.stringify(m.value) : m.type === 'action' ? m.action.type : '');

/** The type shown for a message in the log (an event's own type, else the message kind). */
export function messageLabel(m: CheckedMessage): string {
  switch (m.type) {
    case 'event': {
      const e = m.event as { type?: unknown } | null;
      return typeof e?.type === 'string' ? e.type : '?';
    }
    case 'action':
      return `action ${m.action.type}`;
    case 'microstep':
      return `microstep ${m.event}`;
    case 'snapshot':
      return `snapshot ← ${m.event}`;
    default:
      return m.type;
  }
}

/** A one-line payload summary (at most `max` characters). */
export function payloadSummary(m: CheckedMessage, max = 160): string {
  let text: string;
  if (m.type === 'event' && typeof m.event === 'object' && m.event !== null) {
    const { type: _type, ...rest } = m.event as Record<string, unknown>;
    text = Object.keys(rest).length > 0 ? JSON.stringify(rest) : '';
  } else if (m.type === 'snapshot') text = `${JSON.stringify(m.value)} (${m.status})`;
  else if (m.type === 'microstep') text = m.transitions.map((t) => `${t.source} → ${t.targets.join(', ')}`).join('; ');
  else if (m.type === 'action') text = JSON.stringify(m.action.params) ?? '';
  else if (m.type === 'actor.created') text = m.systemId ?? m.id;
  else if (m.type === 'actor.stopped') text = m.status;
  else text = '';
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/**
 * Indexes of the log's messages up to `cursor` that pass the filter, in order. Scans from
 * `fromIndex` so a live log can extend a previous result instead of filtering everything again.
 */
export function filterLog(log: SessionLog, cursor: number, filter: LogFilter, fromIndex = 0, into: number[] = []): number[] {
  const type = filter.type?.trim().toLowerCase() ?? '';
  const text = filter.text?.trim().toLowerCase() ?? '';
  const end = Math.min(cursor, log.messages.length - 1);
  for (let i = fromIndex; i <= end; i++) {
    const m = log.messages[i];
    if (!filter.everything && m.type !== 'event' && m.type !== 'actor.created' && m.type !== 'actor.stopped') continue;
    if (m.type === 'hello' || m.type === 'metrics') continue;
    if (filter.actor && !('sessionId' in m && (m.sessionId === filter.actor || (m.type === 'event' && m.sourceId === filter.actor)))) continue;
    if (type && !messageLabel(m).toLowerCase().includes(type)) continue;
    if (text && !summaryOf(m).toLowerCase().includes(text) && !messageLabel(m).toLowerCase().includes(text)) continue;
    into.push(i);
  }
  return into;
}
