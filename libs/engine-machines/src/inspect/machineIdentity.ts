import type { MachineIdentity } from './inspectProtocol.js';

/** The parts of an XState state node the digest reads (present on every v5 StateNode). */
interface StateNodeLike {
  readonly id: string;
  readonly type: string;
  readonly states: Readonly<Record<string, StateNodeLike>>;
  readonly transitions: ReadonlyMap<string, readonly TransitionLike[]>;
  readonly always?: readonly TransitionLike[];
}

interface TransitionLike {
  readonly eventType: string;
  readonly target?: readonly { readonly id: string }[];
}

/** The shape of an XState machine (actor logic) the identity needs. */
export interface MachineLike {
  readonly id: string;
  readonly root: unknown;
}

function isMachineLike(logic: unknown): logic is MachineLike {
  const l = logic as Partial<MachineLike> | null;
  return typeof l === 'object' && l !== null && typeof l.id === 'string' && typeof l.root === 'object' && l.root !== null;
}

/** Every state, its type and its transitions (event → target ids), in document order, as text. */
function describe(node: StateNodeLike, out: string[]): void {
  const transitions = [...node.transitions.values()].flat().concat(node.always ?? []);
  const edges = transitions.map((t) => `${t.eventType}>${(t.target ?? []).map((n) => n.id).join(',')}`);
  out.push(`${node.id}:${node.type}[${edges.join(';')}]`);
  for (const child of Object.values(node.states)) describe(child, out);
}

/** FNV-1a, 32 bits: tiny, stable, runs anywhere (no node:crypto); collisions don't matter for a "same chart?" check. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

const cache = new WeakMap<object, MachineIdentity>();

/**
 * The identity of a machine definition: its id and a digest of its states and transitions, the
 * same for the engine's live logic and for the definition a devtools build imports — so a viewer
 * can tell whether the chart it draws is the one the engine runs. Undefined for non-machine logic
 * (promise, callback actors).
 *
 * @example
 * machineIdentity(stemLoaderMachine); // { id: 'stemLoader', digest: '1f0c…' }
 */
export function machineIdentity(logic: unknown): MachineIdentity | undefined {
  if (!isMachineLike(logic)) return undefined;
  const known = cache.get(logic);
  if (known) return known;
  const lines: string[] = [];
  describe(logic.root as StateNodeLike, lines);
  const identity = { id: logic.id, digest: fnv1a(lines.join('\n')) };
  cache.set(logic, identity);
  return identity;
}
