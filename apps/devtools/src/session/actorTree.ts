import { formatStateValue } from './formatStateValue.js';
import type { ActorRecord, SessionLog } from './SessionLog.js';
import { countAtMost } from './sortedIndex.js';

/** One actor as the tree shows it at a cursor. */
export interface ActorNode {
  readonly sessionId: string;
  /** systemId when it has one (`song:a/stem:bass`), else its id. */
  readonly label: string;
  readonly machineId: string | undefined;
  readonly state: string;
  /** The snapshot status (`active`, `done`, `error`, `stopped`). */
  readonly status: string;
  /** Stopped at or before the cursor: shown greyed with its end status. */
  readonly stopped: boolean;
  /** Events it received up to the cursor. */
  readonly eventCount: number;
  readonly children: ActorNode[];
}

const labelOf = (a: ActorRecord): string => a.systemId ?? a.id;

/**
 * The actor tree at `cursor` (an index into the log): actors created by then, nested by parent,
 * in creation order, each with its state and status at the cursor. With `filter`, only actors whose
 * label contains it (case-insensitive) and their ancestors.
 */
export function actorTree(log: SessionLog, cursor: number, filter = ''): ActorNode[] {
  const needle = filter.trim().toLowerCase();
  const nodes = new Map<string, ActorNode & { parentId: string | undefined; matches: boolean }>();
  for (const actor of log.actorOrder) {
    if (actor.createdIndex > cursor) break;
    const snapshot = log.snapshotAt(actor.sessionId, cursor);
    const stopped = actor.stoppedIndex !== null && actor.stoppedIndex <= cursor;
    nodes.set(actor.sessionId, {
      sessionId: actor.sessionId,
      label: labelOf(actor),
      machineId: actor.machine?.id,
      state: snapshot ? formatStateValue(snapshot.value) : '—',
      status: stopped ? (actor.stoppedStatus ?? 'stopped') : (snapshot?.status ?? 'active'),
      stopped,
      eventCount: countAtMost(actor.eventIndexes, cursor),
      children: [],
      parentId: actor.parentId,
      matches: needle === '' || labelOf(actor).toLowerCase().includes(needle),
    });
  }
  const roots: ActorNode[] = [];
  const keep = new Set<string>();
  for (const node of nodes.values()) {
    if (!node.matches) continue;
    for (let id: string | undefined = node.sessionId; id !== undefined && !keep.has(id); id = nodes.get(id)?.parentId) keep.add(id);
  }
  for (const node of nodes.values()) {
    if (!keep.has(node.sessionId)) continue;
    const parent = node.parentId ? nodes.get(node.parentId) : undefined;
    const { parentId: _parentId, matches: _matches, ...plain } = node;
    if (parent && keep.has(parent.sessionId)) parent.children.push(plain);
    else roots.push(plain);
  }
  return roots;
}
