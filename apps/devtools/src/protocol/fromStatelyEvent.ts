import type { InspectMessage, UnstampedMessage } from '@trax/engine-machines';

/**
 * A `@statelyai/inspect` event (one per WebSocket message: `@xstate.actor`, `@xstate.event`,
 * `@xstate.snapshot`, each with `sessionId`, `rootId`, `createdAt` as a string of ms) as protocol
 * messages. Such streams carry no microsteps, actions or sequence numbers; `@xstate.actor` carries
 * the machine's JSON definition, kept in `definitions` so the statechart view can draw it.
 */
export function fromStatelyEvent(raw: Record<string, unknown>, definitions: Map<string, string>): UnstampedStately[] {
  const t = Number(raw.createdAt);
  const time = Number.isFinite(t) ? t : Date.now();
  const sessionId = typeof raw.sessionId === 'string' ? raw.sessionId : undefined;
  if (!sessionId) return [];
  switch (raw.type) {
    case '@xstate.actor': {
      const name = typeof raw.name === 'string' ? raw.name : sessionId;
      const definition = typeof raw.definition === 'string' ? raw.definition : undefined;
      let machineId: string | undefined;
      if (definition) {
        try {
          const parsed = JSON.parse(definition) as { id?: unknown; states?: unknown };
          if (typeof parsed.id === 'string' && parsed.states) {
            machineId = `stately:${parsed.id}`;
            definitions.set(machineId, definition);
          }
        } catch {
          // not a machine definition (or a URL): the actor is shown without a chart
        }
      }
      const snapshot = (raw.snapshot ?? {}) as { value?: unknown; status?: string; context?: unknown };
      const created: UnstampedStately = {
        type: 'actor.created',
        t: time,
        sessionId,
        id: name,
        rootId: typeof raw.rootId === 'string' ? raw.rootId : sessionId,
        ...(typeof raw.parentId === 'string' ? { parentId: raw.parentId } : {}),
        ...(machineId ? { machine: { id: machineId, digest: '' } } : {}),
      };
      return [created, { type: 'snapshot', t: time, sessionId, value: snapshot.value ?? null, status: snapshot.status ?? 'active', context: snapshot.context ?? null, event: 'xstate.init' }];
    }
    case '@xstate.event':
      return [{ type: 'event', t: time, sessionId, event: raw.event ?? null, ...(typeof raw.sourceId === 'string' ? { sourceId: raw.sourceId } : {}) }];
    case '@xstate.snapshot': {
      const snapshot = (raw.snapshot ?? {}) as { value?: unknown; status?: string; context?: unknown };
      const event = (raw.event ?? {}) as { type?: unknown };
      const status = snapshot.status ?? 'active';
      const out: UnstampedStately[] = [{ type: 'snapshot', t: time, sessionId, value: snapshot.value ?? null, status, context: snapshot.context ?? null, event: typeof event.type === 'string' ? event.type : '' }];
      if (status !== 'active') out.push({ type: 'actor.stopped', t: time, sessionId, status });
      return out;
    }
    default:
      return [];
  }
}

/** A protocol message with a time but no sequence number yet. */
export type UnstampedStately = UnstampedMessage & Pick<InspectMessage, 't'>;
