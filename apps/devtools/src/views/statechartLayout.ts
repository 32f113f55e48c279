import ElkBundled from 'elkjs/lib/elk.bundled.js';
import type { ChartGraph } from './statechartGraph.js';

export interface PlacedNode {
  readonly id: string;
  readonly label: string;
  /** Position relative to its parent (as @xyflow/react's sub-flows expect). */
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly parent: string | null;
  readonly compound: boolean;
  readonly final: boolean;
}

export interface PlacedChart {
  readonly nodes: PlacedNode[];
  readonly width: number;
  readonly height: number;
}

interface ElkNode {
  id: string;
  width?: number;
  height?: number;
  x?: number;
  y?: number;
  children?: ElkNode[];
  layoutOptions?: Record<string, string>;
}

// elkjs is CommonJS: the default import is the constructor at run time (Node and Vite), while its
// types describe it as `exports.default`. Take whichever is there.
const ELK = ((ElkBundled as unknown as { default?: unknown }).default ?? ElkBundled) as typeof ElkBundled.default;
const elk = new ELK();
const CHAR_PX = 7.2;

/**
 * Lays a chart out with ELK's layered algorithm, compound states as nested boxes (edges across
 * hierarchy levels included), parents before children in the result.
 */
export async function layoutStatechart(graph: ChartGraph): Promise<PlacedChart> {
  const byId = new Map<string, ElkNode>();
  const roots: ElkNode[] = [];
  for (const node of graph.nodes) {
    const elkNode: ElkNode = node.compound
      ? { id: node.id, children: [], layoutOptions: { 'elk.padding': '[top=30,left=12,bottom=12,right=12]' } }
      : { id: node.id, width: Math.max(80, node.label.length * CHAR_PX + 24), height: 36 };
    byId.set(node.id, elkNode);
    const parent = node.parent ? byId.get(node.parent) : undefined;
    (parent?.children ?? roots).push(elkNode);
  }
  const result = (await elk.layout({
    id: 'root',
    layoutOptions: { 'elk.algorithm': 'layered', 'elk.direction': 'DOWN', 'elk.hierarchyHandling': 'INCLUDE_CHILDREN', 'elk.layered.spacing.nodeNodeBetweenLayers': '50', 'elk.spacing.nodeNode': '30' },
    children: roots,
    edges: graph.edges.map((e) => ({ id: e.id, sources: [e.source], targets: [e.target] })),
  } as never)) as unknown as ElkNode & { width: number; height: number };
  const info = new Map(graph.nodes.map((n) => [n.id, n]));
  const placed: PlacedNode[] = [];
  const walk = (nodes: ElkNode[] | undefined, parent: string | null) => {
    for (const n of nodes ?? []) {
      const meta = info.get(n.id);
      if (!meta) continue;
      placed.push({ id: n.id, label: meta.label, x: n.x ?? 0, y: n.y ?? 0, width: n.width ?? 80, height: n.height ?? 36, parent, compound: meta.compound, final: meta.final });
      walk(n.children, n.id);
    }
  };
  walk(result.children, null);
  return { nodes: placed, width: result.width, height: result.height };
}
