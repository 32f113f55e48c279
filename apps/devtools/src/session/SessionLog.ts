import type { ActorCreatedMessage, MachineIdentity, SnapshotMessage } from '@trax/engine-machines';
import type { CheckedMessage, MessageProblem } from '../protocol/validateMessage.js';
import { countAtMost, lastAtMost } from './sortedIndex.js';

/** Everything known about one actor, as indexes into the log (so any cursor is a binary search). */
export interface ActorRecord {
  readonly sessionId: string;
  id: string;
  systemId: string | undefined;
  parentId: string | undefined;
  machine: MachineIdentity | undefined;
  /** Made up from a message about an actor the stream had not announced; its actor.created fills it in. */
  placeholder: boolean;
  readonly createdIndex: number;
  stoppedIndex: number | null;
  stoppedStatus: string | null;
  readonly snapshotIndexes: number[];
  /** Events it received. */
  readonly eventIndexes: number[];
  readonly microstepIndexes: number[];
  lastSnapshotSeq: number;
}

export interface CountedProblem extends MessageProblem {
  count: number;
  /** Time (ms since the epoch) the first one was seen. */
  readonly firstAt: number;
}

/**
 * The session: every message in arrival order, with per-actor indexes, problems counted by kind.
 * Append-only and mutable on purpose: a 1-hour session is ~10⁵–10⁶ messages, which an immutable
 * store would copy on every batch. Views read it through `version` (bumped on every change) and
 * compute what they show for a cursor (an index into `messages`).
 */
export class SessionLog {
  readonly messages: CheckedMessage[] = [];
  /** Per message: its time, never decreasing (a clock step back is clamped), for time ↔ index. */
  readonly times: number[] = [];
  readonly actors = new Map<string, ActorRecord>();
  /** Actors in creation order. */
  readonly actorOrder: ActorRecord[] = [];
  readonly metricsIndexes: number[] = [];
  readonly problems = new Map<string, CountedProblem>();
  version = 0;
  private readonly listeners = new Set<() => void>();

  append(messages: readonly CheckedMessage[]): void {
    if (messages.length === 0) return;
    for (const message of messages) this.add(message);
    this.changed();
  }

  addProblems(problems: readonly MessageProblem[], now = Date.now()): void {
    if (problems.length === 0) return;
    for (const p of problems) {
      const key = `${p.kind}:${p.detail}`;
      const known = this.problems.get(key);
      if (known) known.count++;
      else this.problems.set(key, { ...p, count: 1, firstAt: now });
    }
    this.changed();
  }

  /** Tells the views something derived from the log changed (triggers, bookmarks). */
  touch(): void {
    this.changed();
  }

  get size(): number {
    return this.messages.length;
  }

  /** The last index whose time is ≤ t (−1 before the first message). */
  indexAtTime(t: number): number {
    return countAtMost(this.times, t) - 1;
  }

  /** The actor's latest snapshot at or before `cursor`. */
  snapshotAt(sessionId: string, cursor: number): SnapshotMessage | undefined {
    const actor = this.actors.get(sessionId);
    const index = actor ? lastAtMost(actor.snapshotIndexes, cursor) : undefined;
    return index === undefined ? undefined : (this.messages[index] as SnapshotMessage);
  }

  /** The actor's snapshot just before `index` (for "before/after" of an event). */
  snapshotBefore(sessionId: string, index: number): SnapshotMessage | undefined {
    return this.snapshotAt(sessionId, index - 1);
  }

  /** The actor's first snapshot after `index` (the one an event at `index` caused). */
  snapshotAfter(sessionId: string, index: number): SnapshotMessage | undefined {
    const actor = this.actors.get(sessionId);
    if (!actor) return undefined;
    const next = actor.snapshotIndexes[countAtMost(actor.snapshotIndexes, index)];
    return next === undefined ? undefined : (this.messages[next] as SnapshotMessage);
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getVersion = (): number => this.version;

  private changed(): void {
    this.version++;
    for (const listener of this.listeners) listener();
  }

  /** Server sessions seen: a restarted server numbers its actors (x:0, x:1…) and messages afresh. */
  private epoch = 0;
  private maxSeq = 0;

  private add(incoming: CheckedMessage): void {
    if (incoming.type === 'hello' && incoming.seq < this.maxSeq) this.serverRestarted(incoming.t);
    const message = this.epoch === 0 ? incoming : renamed(incoming, this.epoch);
    if (message.type !== 'hello') this.maxSeq = Math.max(this.maxSeq, message.seq);
    else this.maxSeq = message.seq;
    // A reconnect's greeting repeats live actors and their latest snapshots: keep them once.
    const known = message.type === 'actor.created' ? this.actors.get(message.sessionId) : undefined;
    if (message.type === 'actor.created' && known?.placeholder) {
      Object.assign(known, { id: message.id, systemId: message.systemId, parentId: message.parentId, machine: message.machine, placeholder: false });
      return;
    }
    if (known && known.stoppedIndex === null) return;
    if (message.type === 'snapshot') {
      const actor = this.actors.get(message.sessionId);
      if (actor && message.seq <= actor.lastSnapshotSeq) return;
      if (actor) actor.lastSnapshotSeq = message.seq;
    }
    const index = this.messages.length;
    this.messages.push(message);
    const previous = this.times.length > 0 ? this.times[this.times.length - 1] : -Infinity;
    this.times.push(Math.max(previous, message.t));
    switch (message.type) {
      case 'actor.created':
        this.created(message, index);
        return;
      case 'actor.stopped': {
        const actor = this.actors.get(message.sessionId);
        if (actor && actor.stoppedIndex === null) {
          actor.stoppedIndex = index;
          actor.stoppedStatus = message.status;
        }
        return;
      }
      case 'snapshot':
        this.actorFor(message.sessionId, index).snapshotIndexes.push(index);
        return;
      case 'event':
        this.actorFor(message.sessionId, index).eventIndexes.push(index);
        return;
      case 'microstep':
        this.actorFor(message.sessionId, index).microstepIndexes.push(index);
        return;
      case 'metrics':
        this.metricsIndexes.push(index);
        return;
      default:
        return;
    }
  }

  /**
   * A `hello` numbered below what was seen: the endpoint is a new server (e.g. `trax play` run
   * again on the same port). The old server's live actors are ended as `lost`, and the new
   * server's session ids are kept apart (`x:0@1`).
   */
  private serverRestarted(t: number): void {
    for (const actor of this.actorOrder) {
      if (actor.stoppedIndex !== null) continue;
      const index = this.messages.length;
      this.messages.push({ type: 'actor.stopped', t, seq: 0, sessionId: actor.sessionId, status: 'lost' });
      this.times.push(Math.max(this.times.at(-1) ?? -Infinity, t));
      actor.stoppedIndex = index;
      actor.stoppedStatus = 'lost';
    }
    this.epoch++;
    this.maxSeq = 0;
  }

  private created(message: ActorCreatedMessage, index: number, placeholder = false): ActorRecord {
    const record: ActorRecord = {
      placeholder,
      sessionId: message.sessionId,
      id: message.id,
      systemId: message.systemId,
      parentId: message.parentId,
      machine: message.machine,
      createdIndex: index,
      stoppedIndex: null,
      stoppedStatus: null,
      snapshotIndexes: [],
      eventIndexes: [],
      microstepIndexes: [],
      lastSnapshotSeq: 0,
    };
    this.actors.set(message.sessionId, record);
    this.actorOrder.push(record);
    return record;
  }

  /** The actor a message is about; one the stream never announced (joined late) is made up from it. */
  private actorFor(sessionId: string, index: number): ActorRecord {
    const known = this.actors.get(sessionId);
    if (known) return known;
    return this.created({ type: 'actor.created', t: this.times[index], seq: 0, sessionId, id: sessionId, rootId: sessionId }, index, true);
  }
}

/** A message of server session `epoch` with its session ids made distinct from earlier sessions'. */
function renamed(m: CheckedMessage, epoch: number): CheckedMessage {
  const id = (s: string) => `${s}@${epoch}`;
  switch (m.type) {
    case 'actor.created':
      return { ...m, sessionId: id(m.sessionId), rootId: id(m.rootId), ...(m.parentId ? { parentId: id(m.parentId) } : {}) };
    case 'event':
      return { ...m, sessionId: id(m.sessionId), ...(m.sourceId ? { sourceId: id(m.sourceId) } : {}) };
    case 'actor.stopped':
    case 'snapshot':
    case 'microstep':
    case 'action':
      return { ...m, sessionId: id(m.sessionId) };
    default:
      return m;
  }
}
