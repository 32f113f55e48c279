/**
 * The inspection protocol served by `trax play --inspect-port` (and the desktop app), read by the
 * devtools: types and pure message builders, shared by every side. Documented in apps/cli/README.md.
 *
 * Version history: 1 (no `seq`, no microsteps/actions, no machine identities, no `protocol` on
 * batches); 2 adds them and keeps every field of version 1.
 */

/** The protocol version this build speaks. */
export const INSPECT_PROTOCOL_VERSION = 2;

/** Which machine definition an actor runs: its id and a digest of its states and transitions. */
export interface MachineIdentity {
  readonly id: string;
  /** 8 hex digits (see machineIdentity.ts): equal digests mean the same chart. */
  readonly digest: string;
}

/** A transition taken in a microstep: state node ids (`stemLoader.buffered`). */
export interface TakenTransition {
  readonly source: string;
  readonly targets: readonly string[];
  /** The transition's event descriptor (`FETCH.LOADED`, `xstate.after.…`), or '' for eventless. */
  readonly event: string;
}

interface Stamped {
  /** Ms since the epoch when the message was built. */
  readonly t: number;
  /** Increases by 1 per message of one server session (from 1); a gap means lost messages. */
  readonly seq: number;
}

/** The first message of every greeting batch. */
export interface HelloMessage extends Stamped {
  readonly type: 'hello';
  readonly protocol: number;
  /** Who serves it, e.g. `trax play`. */
  readonly source: string;
}

export interface ActorCreatedMessage extends Stamped {
  readonly type: 'actor.created';
  readonly sessionId: string;
  readonly id: string;
  readonly systemId?: string;
  readonly parentId?: string;
  readonly rootId: string;
  readonly machine?: MachineIdentity;
}

export interface ActorStoppedMessage extends Stamped {
  readonly type: 'actor.stopped';
  readonly sessionId: string;
  readonly status: string;
}

export interface SnapshotMessage extends Stamped {
  readonly type: 'snapshot';
  readonly sessionId: string;
  readonly value: unknown;
  readonly status: string;
  readonly context: unknown;
  /** Type of the event that caused it. */
  readonly event: string;
}

export interface EventMessage extends Stamped {
  readonly type: 'event';
  /** The target. */
  readonly sessionId: string;
  readonly sourceId?: string;
  /** A summary of the event (`{ type, ... }`). */
  readonly event: unknown;
}

export interface MicrostepMessage extends Stamped {
  readonly type: 'microstep';
  readonly sessionId: string;
  /** State value after the microstep. */
  readonly value: unknown;
  /** Type of the event being processed. */
  readonly event: string;
  readonly transitions: readonly TakenTransition[];
}

export interface ActionMessage extends Stamped {
  readonly type: 'action';
  readonly sessionId: string;
  readonly action: { readonly type: string; readonly params: unknown };
}

export interface MetricsMessage extends Stamped {
  readonly type: 'metrics';
  readonly metrics: unknown;
}

export type InspectMessage =
  | HelloMessage
  | ActorCreatedMessage
  | ActorStoppedMessage
  | SnapshotMessage
  | EventMessage
  | MicrostepMessage
  | ActionMessage
  | MetricsMessage;

export type InspectMessageType = InspectMessage['type'];

/** One WebSocket frame: a batch of messages. */
export interface InspectBatch {
  readonly type: 'batch';
  readonly protocol: number;
  readonly messages: readonly InspectMessage[];
}

/** The fields of a message before it is stamped. */
export type UnstampedMessage<M extends InspectMessage = InspectMessage> = M extends InspectMessage ? Omit<M, 't' | 'seq'> : never;

/**
 * Stamps messages with a time and the next sequence number. One per server session; the sequence
 * starts at 1.
 *
 * @example
 * const stamp = messageStamper();
 * stamp({ type: 'metrics', metrics }); // { type: 'metrics', metrics, t: Date.now(), seq: 1 }
 */
export function messageStamper(now: () => number = () => Date.now()): <M extends UnstampedMessage>(message: M) => M & Stamped {
  let seq = 0;
  return (message) => ({ ...message, t: now(), seq: ++seq });
}

/** The greeting's first message. */
export function helloMessage(source: string): UnstampedMessage<HelloMessage> {
  return { type: 'hello', protocol: INSPECT_PROTOCOL_VERSION, source };
}

/** A WebSocket frame for `messages`. */
export function inspectBatch(messages: readonly InspectMessage[]): InspectBatch {
  return { type: 'batch', protocol: INSPECT_PROTOCOL_VERSION, messages };
}

/** XState's transition definitions → plain taken transitions (state node ids, no live objects). */
export function takenTransitions(transitions: readonly unknown[]): TakenTransition[] {
  return transitions.map((raw) => {
    const t = raw as { source?: { id?: string }; target?: readonly { id?: string }[] | undefined; eventType?: string };
    return { source: t.source?.id ?? '', targets: (t.target ?? []).map((n) => n.id ?? ''), event: t.eventType ?? '' };
  });
}
