import type { InspectMessage, UnstampedMessage } from '@trax/engine-machines';
import { SessionLog } from './SessionLog.js';

/** Builds a session by hand: each message gets the next seq and the time given (ms). */
export class SessionBuilder {
  readonly log = new SessionLog();
  private seq = 0;

  add(t: number, message: UnstampedMessage): this {
    this.log.append([{ ...message, t, seq: ++this.seq } as InspectMessage]);
    return this;
  }

  created(t: number, sessionId: string, systemId: string, parentId?: string, machineId?: string): this {
    return this.add(t, { type: 'actor.created', sessionId, id: systemId, systemId, rootId: 'x:0', ...(parentId ? { parentId } : {}), ...(machineId ? { machine: { id: machineId, digest: '00000000' } } : {}) });
  }

  snapshot(t: number, sessionId: string, value: unknown, context: unknown = {}, status = 'active'): this {
    return this.add(t, { type: 'snapshot', sessionId, value, status, context, event: 'x' });
  }

  event(t: number, target: string, event: Record<string, unknown>, source?: string): this {
    return this.add(t, { type: 'event', sessionId: target, event, ...(source ? { sourceId: source } : {}) });
  }

  stopped(t: number, sessionId: string, status = 'done'): this {
    return this.add(t, { type: 'actor.stopped', sessionId, status });
  }

  metrics(t: number, songs: unknown[], currentSong = 'a'): this {
    return this.add(t, { type: 'metrics', metrics: { at: t, currentSong, songs } });
  }
}

/** A small engine: engine → song:a → two stem loaders (with fetchers) and one seek. */
export function smallEngine(): SessionBuilder {
  return new SessionBuilder()
    .created(1000, 'x:0', 'engine', undefined, 'engine')
    .snapshot(1000, 'x:0', 'idle')
    .created(1010, 'x:1', 'song:a', 'x:0', 'song')
    .snapshot(1010, 'x:1', 'opening')
    .created(1020, 'x:2', 'song:a/stem:bass', 'x:1', 'stemLoader')
    .created(1020, 'x:3', 'song:a/stem:drums', 'x:1', 'stemLoader')
    .snapshot(1020, 'x:2', 'idle')
    .snapshot(1020, 'x:3', 'idle');
}
