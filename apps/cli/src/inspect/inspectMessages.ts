import type { AnyActorRef, InspectionEvent } from 'xstate';
import { summarize } from '@trax/engine-machines';

/** The WebSocket message format (documented in apps/cli/README.md; the devtools app consumes it). */
export type InspectMessage =
  | { type: 'actor.created'; t: number; sessionId: string; id: string; systemId?: string; parentId?: string; rootId: string }
  | { type: 'actor.stopped'; t: number; sessionId: string; status: string }
  | { type: 'snapshot'; t: number; sessionId: string; value: unknown; status: string; context: unknown; event: string }
  | { type: 'event'; t: number; sessionId: string; sourceId?: string; event: unknown }
  | { type: 'metrics'; t: number; metrics: unknown };

interface LiveActor {
  ref: Partial<AnyActorRef> & { systemId?: string };
  created: Extract<InspectMessage, { type: 'actor.created' }>;
  announced: boolean;
  snapshot?: Extract<InspectMessage, { type: 'snapshot' }>;
}

/**
 * Maps XState inspection events to summary messages and remembers the live actor tree, so a
 * client that connects mid-session first receives every live actor with its latest snapshot.
 */
export class InspectionRecorder {
  private readonly live = new Map<string, LiveActor>();

  constructor(
    private readonly emit: (message: InspectMessage) => void,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** An XState `inspect` observer: pass it to createActor(…, { inspect }). */
  readonly observe = (event: InspectionEvent): void => {
    const t = this.now();
    const actor = event.actorRef as Partial<AnyActorRef> & { sessionId: string; systemId?: string };
    switch (event.type) {
      case '@xstate.actor': {
        const created: LiveActor['created'] = {
          type: 'actor.created',
          t,
          sessionId: actor.sessionId,
          id: actor.id ?? actor.sessionId,
          rootId: event.rootId,
        };
        if (actor._parent) created.parentId = actor._parent.sessionId;
        const entry: LiveActor = { ref: actor, created, announced: false };
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
        const message: LiveActor['snapshot'] = {
          type: 'snapshot',
          t,
          sessionId: actor.sessionId,
          value: summarize(snapshot.value) ?? null,
          status,
          context: summarize(snapshot.context) ?? null,
          event: event.event.type,
        };
        this.emit(message);
        if (status === 'active') {
          if (entry) entry.snapshot = message;
        } else if (this.live.delete(actor.sessionId)) {
          this.emit({ type: 'actor.stopped', t, sessionId: actor.sessionId, status });
        }
        return;
      }
      case '@xstate.event': {
        const message: InspectMessage = { type: 'event', t, sessionId: actor.sessionId, event: summarize(event.event) };
        if (event.sourceRef) message.sourceId = event.sourceRef.sessionId;
        this.emit(message);
        return;
      }
      default:
        return; // microsteps, actions and transitions are too chatty for a live view
    }
  };

  private announce(entry: LiveActor): void {
    if (entry.announced) return;
    entry.announced = true;
    if (typeof entry.ref.systemId === 'string') entry.created.systemId = entry.ref.systemId;
    this.emit(entry.created);
  }

  /** Every live actor and its latest snapshot, in creation order. */
  liveActors(): InspectMessage[] {
    return [...this.live.values()].flatMap((a) => (a.snapshot ? [a.created, a.snapshot] : [a.created]));
  }
}
