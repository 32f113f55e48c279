import type { InspectionEvent } from 'xstate';
import type { ActorCreatedMessage, InspectMessage, MachineIdentity, SnapshotMessage, UnstampedMessage } from './inspectProtocol.js';
import { helloMessage, messageStamper, takenTransitions } from './inspectProtocol.js';
import { machineIdentity } from './machineIdentity.js';
import { summarize } from './summarize.js';

/** What the recorder reads of an actor ref: a live one or a summarizingInspector handle. */
interface ActorLike {
  readonly id?: string;
  readonly sessionId: string;
  readonly systemId?: string;
  readonly _parent?: { readonly sessionId: string };
  readonly machine?: MachineIdentity;
  readonly logic?: unknown;
}

interface LiveActor {
  readonly ref: ActorLike;
  created: UnstampedMessage<ActorCreatedMessage>;
  announced?: ActorCreatedMessage;
  snapshot?: SnapshotMessage;
}

export interface InspectionRecorderOptions {
  /** Clock for the messages' `t` (ms since the epoch). */
  readonly now?: () => number;
  /** Named in the greeting's `hello` message. */
  readonly source?: string;
}

/**
 * Maps XState inspection events to protocol messages (stamped with time and sequence number) and
 * remembers the live actor tree, so a client that connects mid-session is first greeted with a
 * `hello` and every live actor with its latest snapshot.
 */
export class InspectionRecorder {
  private readonly live = new Map<string, LiveActor>();
  private readonly stamp: ReturnType<typeof messageStamper>;
  private readonly source: string;
  private readonly now: () => number;
  private lastSeq = 0;

  constructor(
    private readonly emit: (message: InspectMessage) => void,
    options: InspectionRecorderOptions = {},
  ) {
    this.now = options.now ?? (() => Date.now());
    this.stamp = messageStamper(this.now);
    this.source = options.source ?? 'trax';
  }

  /** An XState `inspect` observer: pass it to createActor(…, { inspect }) or createEngine. */
  readonly observe = (event: InspectionEvent): void => {
    const actor = event.actorRef as unknown as ActorLike;
    switch (event.type) {
      case '@xstate.actor': {
        const created: LiveActor['created'] = { type: 'actor.created', sessionId: actor.sessionId, id: actor.id ?? actor.sessionId, rootId: event.rootId };
        const entry: LiveActor = { ref: actor, created };
        this.live.set(actor.sessionId, entry);
        // XState sends this event before it assigns the actor's systemId: announce the actor just
        // before its first snapshot (or on the next microtask), when the systemId is known.
        queueMicrotask(() => this.announce(entry));
        return;
      }
      case '@xstate.snapshot': {
        const entry = this.live.get(actor.sessionId);
        if (entry) this.announce(entry);
        const snapshot = event.snapshot as { status?: string; value?: unknown; context?: unknown };
        const status = snapshot.status ?? 'active';
        const message = this.send({
          type: 'snapshot',
          sessionId: actor.sessionId,
          value: summarize(snapshot.value) ?? null,
          status,
          context: summarize(snapshot.context) ?? null,
          event: event.event.type,
        });
        if (status === 'active') {
          if (entry) entry.snapshot = message;
        } else if (this.live.delete(actor.sessionId)) {
          this.send({ type: 'actor.stopped', sessionId: actor.sessionId, status });
        }
        return;
      }
      case '@xstate.event': {
        this.announceIfNew(actor.sessionId);
        const sourceId = event.sourceRef?.sessionId;
        this.send({ type: 'event', sessionId: actor.sessionId, event: summarize(event.event), ...(sourceId ? { sourceId } : {}) });
        return;
      }
      case '@xstate.microstep': {
        this.announceIfNew(actor.sessionId);
        const snapshot = event.snapshot as { value?: unknown };
        this.send({ type: 'microstep', sessionId: actor.sessionId, value: summarize(snapshot.value) ?? null, event: event.event.type, transitions: takenTransitions(event._transitions) });
        return;
      }
      case '@xstate.action':
        this.announceIfNew(actor.sessionId);
        this.send({ type: 'action', sessionId: actor.sessionId, action: { type: event.action.type, params: summarize(event.action.params) ?? null } });
        return;
      default:
        return; // @xstate.transition repeats what the microsteps say
    }
  };

  /** Stamps and emits a message that is not an inspection event (e.g. metrics). */
  publish(message: UnstampedMessage): InspectMessage {
    return this.send(message);
  }

  private send<M extends UnstampedMessage>(message: M): M & { t: number; seq: number } {
    const stamped = this.stamp(message);
    this.lastSeq = stamped.seq;
    this.emit(stamped as unknown as InspectMessage);
    return stamped;
  }

  /**
   * An actor's first message of any kind announces it: a spawned machine takes eventless
   * transitions (microsteps, actions) and receives events before its first snapshot.
   */
  private announceIfNew(sessionId: string): void {
    const entry = this.live.get(sessionId);
    if (entry && !entry.announced) this.announce(entry);
  }

  private announce(entry: LiveActor): void {
    if (entry.announced) return;
    const { ref } = entry;
    const machine = ref.machine ?? machineIdentity(ref.logic);
    entry.announced = this.send({
      ...entry.created,
      ...(typeof ref.systemId === 'string' ? { systemId: ref.systemId } : {}),
      ...(ref._parent ? { parentId: ref._parent.sessionId } : {}),
      ...(machine ? { machine } : {}),
    });
  }

  /**
   * The greeting for a client that connects now: a `hello` whose `seq` is the last one sent (the
   * next live message is `seq + 1`), then every live actor's `actor.created` and latest `snapshot`
   * as they were sent (their own `seq`), in creation order.
   */
  greeting(): InspectMessage[] {
    const hello: InspectMessage = { ...helloMessage(this.source), t: this.now(), seq: this.lastSeq };
    const actors = [...this.live.values()].flatMap((a) => [a.announced, a.snapshot].filter((m): m is NonNullable<typeof m> => m !== undefined));
    return [hello, ...actors];
  }
}
