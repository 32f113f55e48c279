import { Background, ReactFlow, type Edge, type Node } from '@xyflow/react';
import { useEffect, useMemo, useState } from 'react';
import { activeStateIds } from '../session/formatStateValue.js';
import type { SessionLog } from '../session/SessionLog.js';
import { countAtMost } from '../session/sortedIndex.js';
import { statechartGraph } from '../views/statechartGraph.js';
import { layoutStatechart, type PlacedChart } from '../views/statechartLayout.js';
import { resolveMachine } from './machineDefinitions.js';

interface Props {
  readonly log: SessionLog;
  readonly cursor: number;
  readonly version: number;
  readonly selected: string | null;
  readonly definitions: ReadonlyMap<string, string>;
}

/** How long a transition taken stays highlighted after it happened (ms of session time). */
const FLASH_MS = 1_000;

/**
 * View 2: the selected actor's machine definition, drawn offline (xstate/graph + ELK + React Flow),
 * its active states highlighted at the cursor and the transitions it just took flashing. "All
 * siblings" shows one chart for every actor of the same machine under the same parent (the 30 stem
 * loaders of a song) with a count of actors per state.
 */
export function StatechartView({ log, cursor, version, selected, definitions }: Props) {
  const [siblings, setSiblings] = useState(false);
  const actor = selected ? log.actors.get(selected) : undefined;
  const resolved = useMemo(() => resolveMachine(actor?.machine, definitions), [actor?.machine, definitions, version]);
  const graph = useMemo(() => (resolved ? statechartGraph(resolved.machine) : null), [resolved]);
  const [placed, setPlaced] = useState<PlacedChart | null>(null);
  useEffect(() => {
    let live = true;
    setPlaced(null);
    if (graph) void layoutStatechart(graph).then((p) => live && setPlaced(p));
    return () => {
      live = false;
    };
  }, [graph]);

  // The actors of the same machine under the same parent that exist at the cursor: the live ones,
  // or (once they have all stopped, e.g. the song closed) their final states.
  const family = useMemo(() => {
    if (!actor) return [];
    const created = log.actorOrder.filter((a) => a.parentId === actor.parentId && a.machine?.id === actor.machine?.id && a.createdIndex <= cursor);
    const alive = created.filter((a) => a.stoppedIndex === null || a.stoppedIndex > cursor);
    return alive.length > 0 ? alive : created;
  }, [log, actor, cursor, version]);
  const group = actor ? (siblings ? family : [actor]) : [];

  const { counts, flashing } = useMemo(() => {
    const counts = new Map<string, number>();
    const flashing = new Set<string>();
    if (!resolved) return { counts, flashing };
    const now = log.times[cursor] ?? 0;
    for (const a of group) {
      const snapshot = log.snapshotAt(a.sessionId, cursor);
      if (snapshot) for (const id of activeStateIds(resolved.machine.id, snapshot.value)) counts.set(id, (counts.get(id) ?? 0) + 1);
      for (let i = countAtMost(a.microstepIndexes, cursor) - 1; i >= 0; i--) {
        const m = log.messages[a.microstepIndexes[i]];
        if (m.type !== 'microstep' || now - m.t > FLASH_MS) break;
        for (const t of m.transitions) for (const target of t.targets) flashing.add(`${t.source}->${target}`);
      }
    }
    return { counts, flashing };
  }, [log, group, resolved, cursor, version]);

  const { nodes, edges } = useMemo(() => {
    if (!placed || !graph) return { nodes: [] as Node[], edges: [] as Edge[] };
    const nodes: Node[] = placed.nodes.map((n) => {
      const count = counts.get(n.id) ?? 0;
      return {
        id: n.id,
        position: { x: n.x, y: n.y },
        ...(n.parent ? { parentId: n.parent, extent: 'parent' as const } : {}),
        data: { label: group.length > 1 && count > 0 ? `${n.label} ×${count}` : n.label },
        style: { width: n.width, height: n.height },
        className: `state${n.compound ? ' compound' : ''}${n.final ? ' final' : ''}${count > 0 ? ' active' : ''}`,
        draggable: false,
        selectable: false,
      };
    });
    const edges: Edge[] = graph.edges.map((e) => ({
      id: e.id,
      source: e.source,
      target: e.target,
      label: e.label,
      labelBgPadding: [3, 1] as [number, number],
      animated: flashing.has(`${e.source}->${e.target}`),
      className: flashing.has(`${e.source}->${e.target}`) ? 'taken' : '',
    }));
    return { nodes, edges };
  }, [placed, graph, counts, flashing, group.length]);

  if (!actor) return <p className="empty">Select an actor in the tree to see its statechart.</p>;
  if (!resolved) return <p className="empty">{actor.systemId ?? actor.id} runs no machine this devtools can draw (a promise or callback actor, or a definition it was not sent).</p>;
  return (
    <div className="chart-view">
      <div className="toolbar">
        <strong>{resolved.machine.id}</strong>
        <span className="muted">{actor.systemId ?? actor.id}</span>
        {!resolved.matches && <span className="warning">The engine runs another version of this machine than this devtools build: the chart may be out of date.</span>}
        <label>
          <input type="checkbox" checked={siblings} onChange={(e) => setSiblings(e.target.checked)} /> all {actor.machine?.id} actors of its parent ({family.length})
        </label>
      </div>
      <div className="chart" data-testid="statechart">
        {placed ? (
          <ReactFlow nodes={nodes} edges={edges} fitView nodesDraggable={false} nodesConnectable={false} proOptions={{ hideAttribution: true }} minZoom={0.1}>
            <Background />
          </ReactFlow>
        ) : (
          <p className="empty">laying out…</p>
        )}
      </div>
    </div>
  );
}
