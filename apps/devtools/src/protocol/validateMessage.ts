import type { InspectMessage, InspectMessageType } from '@trax/engine-machines';

/** A message whose fields are checked; `seq` may be filled in by the reader (protocol 1 has none). */
export type CheckedMessage = InspectMessage;

/** Why a message was dropped or changed; one per kind, counted. */
export interface MessageProblem {
  readonly kind: 'malformed' | 'unknown-type' | 'oversized' | 'unknown-protocol' | 'frame';
  readonly detail: string;
}

/** A snapshot context larger than this (as JSON) is replaced by a note: it would stall every view. */
export const MAX_CONTEXT_CHARS = 256 * 1024;

const KNOWN: ReadonlySet<string> = new Set<InspectMessageType>(['hello', 'actor.created', 'actor.stopped', 'snapshot', 'event', 'microstep', 'action', 'metrics']);
const NEEDS_SESSION: ReadonlySet<string> = new Set(['actor.created', 'actor.stopped', 'snapshot', 'event', 'microstep', 'action']);

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks one message of the protocol (any version up to 2): known type, required fields of the
 * right kind, a finite time. A snapshot context over {@link MAX_CONTEXT_CHARS} is replaced by
 * `{ truncated: chars }` (measured only when `frameChars` says the frame is big enough to hold one).
 * Returns the message (with `seq` from `nextSeq()` when it has none) or the problem.
 */
export function validateMessage(raw: unknown, nextSeq: () => number, frameChars = Infinity): CheckedMessage | MessageProblem {
  if (!isRecord(raw) || typeof raw.type !== 'string') return { kind: 'malformed', detail: 'a message without a type' };
  if (!KNOWN.has(raw.type)) return { kind: 'unknown-type', detail: `unknown message type "${raw.type.slice(0, 40)}"` };
  if (typeof raw.t !== 'number' || !Number.isFinite(raw.t)) return { kind: 'malformed', detail: `${raw.type} without a time (t)` };
  if (NEEDS_SESSION.has(raw.type) && typeof raw.sessionId !== 'string') return { kind: 'malformed', detail: `${raw.type} without a sessionId` };
  if (raw.type === 'actor.created' && typeof raw.id !== 'string') return { kind: 'malformed', detail: 'actor.created without an id' };
  if (raw.type === 'microstep' && !Array.isArray(raw.transitions)) return { kind: 'malformed', detail: 'microstep without transitions' };
  if (raw.type === 'action' && !(isRecord(raw.action) && typeof raw.action.type === 'string')) return { kind: 'malformed', detail: 'action without an action type' };
  const message = (typeof raw.seq === 'number' && Number.isFinite(raw.seq) ? raw : { ...raw, seq: nextSeq() }) as unknown as CheckedMessage;
  if (message.type === 'snapshot' && frameChars > MAX_CONTEXT_CHARS) {
    const chars = JSON.stringify(message.context ?? null).length;
    if (chars > MAX_CONTEXT_CHARS) return { ...message, context: { truncated: chars } };
  }
  return message;
}

export function isProblem(value: CheckedMessage | MessageProblem): value is MessageProblem {
  return 'kind' in value && 'detail' in value && !('t' in value);
}
