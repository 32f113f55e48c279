import type { AnyEventObject, InspectionEvent } from 'xstate';
import type { MachineIdentity } from './inspectProtocol.js';
import { machineIdentity } from './machineIdentity.js';

/** Limits of a summary: enough to read in devtools, never an audio buffer. */
const MAX_DEPTH = 4;
const MAX_ITEMS = 32;
const MAX_STRING = 200;

/** An object that knows how to show itself in inspection snapshots. */
export interface Summarizable {
  summary(): unknown;
}

function isSummarizable(value: object): value is Summarizable {
  return typeof (value as Partial<Summarizable>).summary === 'function';
}

/**
 * A JSON-safe summary of any value: typed arrays become `{ typedArray, length }`, actor refs
 * `{ actor: sessionId }`, observables `"[observable]"`, objects with a `summary()` method their
 * summary, other class instances `{ class: Name }`; depth, arrays and strings are capped.
 */
export function summarize(value: unknown, depth = 0): unknown {
  if (value === null || value === undefined || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'string') return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'function') return '[function]';
  if (typeof value !== 'object') return String(value);
  if (ArrayBuffer.isView(value)) return { typedArray: value.constructor.name, length: (value as unknown as { length?: number }).length ?? value.byteLength };
  if (value instanceof ArrayBuffer) return { arrayBuffer: value.byteLength };
  const record = value as Record<string, unknown>;
  if (typeof record.sessionId === 'string' && typeof record.send === 'function') return { actor: record.sessionId };
  if (typeof record.subscribe === 'function' && typeof record.pipe === 'function') return '[observable]';
  if (isSummarizable(value)) return depth >= MAX_DEPTH ? '[summary]' : summarize(value.summary(), depth + 1);
  if (depth >= MAX_DEPTH) return Array.isArray(value) ? `[array(${value.length})]` : '[object]';
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ITEMS).map((item) => summarize(item, depth + 1));
    if (value.length > MAX_ITEMS) items.push(`… ${value.length - MAX_ITEMS} more`);
    return items;
  }
  if (value instanceof Map) return { map: value.size };
  if (value instanceof Set) return { set: value.size };
  if (value instanceof Error) return { error: value.name, message: value.message };
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return { class: (proto as { constructor?: { name?: string } }).constructor?.name ?? 'object' };
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(record)) out[key] = summarize(item, depth + 1);
  return out;
}

/**
 * What an observer may know of an actor: its names and parent, read live (XState sets `systemId`
 * after announcing the actor), a summarised snapshot, and `send`.
 */
export interface ActorHandle {
  readonly id: string;
  readonly sessionId: string;
  readonly systemId: string | undefined;
  readonly _parent: ActorHandle | undefined;
  /** The machine definition it runs (undefined for promise/callback actors). */
  readonly machine: MachineIdentity | undefined;
  getSnapshot(): SnapshotSummary;
  send(event: AnyEventObject): void;
}

/** A snapshot as an inspection observer sees it. */
export interface SnapshotSummary {
  readonly status: string | undefined;
  readonly value: unknown;
  readonly context: unknown;
  readonly output?: unknown;
  readonly error?: unknown;
}

interface LiveRef {
  id: string;
  sessionId: string;
  systemId?: string;
  _parent?: LiveRef;
  logic?: unknown;
  getSnapshot(): unknown;
  send(event: AnyEventObject): void;
}

/** Snapshot → summary: state value, status, summarised context (and output/error). */
export function summarizeSnapshot(snapshot: unknown): SnapshotSummary {
  const s = (snapshot ?? {}) as { value?: unknown; status?: string; context?: unknown; output?: unknown; error?: unknown };
  return {
    value: summarize(s.value),
    status: s.status,
    context: summarize(s.context),
    ...(s.output === undefined ? {} : { output: summarize(s.output) }),
    ...(s.error === undefined ? {} : { error: summarize(s.error) }),
  };
}

const handles = new WeakMap<object, ActorHandle>();

/** A stand-in for a live actor ref that exposes its names but not its snapshot (which holds the engine's live objects). */
function handleOf(ref: unknown): ActorHandle | undefined {
  if (ref === null || typeof ref !== 'object') return undefined;
  let handle = handles.get(ref);
  if (!handle) {
    const live = ref as LiveRef;
    handle = {
      get id() {
        return live.id;
      },
      get sessionId() {
        return live.sessionId;
      },
      get systemId() {
        return live.systemId;
      },
      get _parent() {
        return handleOf(live._parent);
      },
      get machine() {
        return machineIdentity(live.logic);
      },
      getSnapshot: () => summarizeSnapshot(live.getSnapshot()),
      send: (e) => live.send(e),
    };
    handles.set(ref, handle);
  }
  return handle;
}

/**
 * Wraps an XState inspection observer so that it only ever sees summaries: snapshots become
 * `{ value, status, context: summary, output?, error? }` and events are summarized, so nothing it
 * keeps or serialises can hold an audio buffer or a live object of the engine (NOTES: inspection
 * events arrive synchronously with live objects). Actor refs become {@link ActorHandle}s: names
 * and parent only.
 */
export function summarizingInspector(observer: (event: InspectionEvent) => void): (event: InspectionEvent) => void {
  return (raw) => {
    const event = { ...raw, actorRef: handleOf(raw.actorRef) as ActorHandle } as InspectionEvent;
    switch (event.type) {
      case '@xstate.snapshot':
      case '@xstate.transition':
      case '@xstate.microstep': {
        observer({ ...event, event: summarize(event.event) as typeof event.event, snapshot: summarizeSnapshot(event.snapshot) as typeof event.snapshot });
        return;
      }
      case '@xstate.event':
        observer({ ...event, sourceRef: handleOf(event.sourceRef) as typeof event.sourceRef, event: summarize(event.event) as typeof event.event });
        return;
      case '@xstate.action':
        observer({ ...event, action: { type: event.action.type, params: summarize(event.action.params) } });
        return;
      default:
        observer(event);
    }
  };
}
