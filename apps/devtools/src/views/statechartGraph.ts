import type { AnyStateMachine } from 'xstate';
import { toDirectedGraph, type DirectedGraphNode } from 'xstate/graph';

export interface ChartNode {
  readonly id: string;
  readonly label: string;
  readonly parent: string | null;
  readonly compound: boolean;
  readonly final: boolean;
}

export interface ChartEdge {
  readonly id: string;
  readonly source: string;
  readonly target: string;
  /** The event (`FETCH.LOADED`), `after 100ms`, or `always`. */
  readonly label: string;
}

export interface ChartGraph {
  readonly machineId: string;
  readonly nodes: ChartNode[];
  readonly edges: ChartEdge[];
}

/** `xstate.after.retryDelay.stemLoader.retrying` → `after retryDelay`. */
export function edgeLabel(eventType: string): string {
  const after = /^xstate\.after\.([^.]+)\./.exec(eventType);
  if (after) return `after ${after[1]}`;
  if (eventType.startsWith('xstate.done.actor.')) return `done ${eventType.slice(18).split('.')[0]}`;
  if (eventType.startsWith('xstate.error.actor.')) return `error ${eventType.slice(19).split('.')[0]}`;
  return eventType === '' ? 'always' : eventType;
}

/**
 * The states and transitions of a machine definition, for drawing: xstate's `toDirectedGraph` for
 * the structure, plus the eventless (`always`) transitions it leaves out — they carry the stem
 * loader's loading → buffered ⇄ refilling.
 */
export function statechartGraph(machine: AnyStateMachine): ChartGraph {
  const nodes: ChartNode[] = [];
  const edges: ChartEdge[] = [];
  const seen = new Set<string>();
  const edge = (source: string, target: string, label: string) => {
    const id = `${source}->${target}:${label}`;
    if (seen.has(id)) return;
    seen.add(id);
    edges.push({ id, source, target, label });
  };
  const visit = (node: DirectedGraphNode, parent: string | null) => {
    const stateNode = node.stateNode;
    if (parent !== null) nodes.push({ id: node.id, label: stateNode.key, parent: parent === machine.id ? null : parent, compound: node.children.length > 0, final: stateNode.type === 'final' });
    for (const e of node.edges) edge(e.source.id, e.target.id, edgeLabel(e.transition.eventType));
    for (const t of stateNode.always ?? []) for (const target of t.target ?? []) edge(node.id, target.id, 'always');
    for (const child of node.children) visit(child, node.id);
  };
  visit(toDirectedGraph(machine), null);
  // Transitions declared on the root (`on` of the machine itself) start from the whole chart: drop them, they would point from nowhere.
  return { machineId: machine.id, nodes, edges: edges.filter((e) => e.source !== machine.id && nodes.some((n) => n.id === e.target)) };
}
