import { engineMachine, machineIdentity, seekMachine, songMachine, stemLoaderMachine, type MachineIdentity } from '@trax/engine-machines';
import { createMachine, type AnyStateMachine } from 'xstate';

/** The engine's machine definitions this build knows, by machine id. */
const ENGINE_MACHINES: ReadonlyMap<string, AnyStateMachine> = new Map<string, AnyStateMachine>(
  [engineMachine, songMachine, stemLoaderMachine, seekMachine].map((m) => [m.id, m as AnyStateMachine]),
);

export interface ResolvedMachine {
  readonly machine: AnyStateMachine;
  /** False when the engine runs a definition with another digest than this build's (the chart may be out of date). */
  readonly matches: boolean;
}

const fromJson = new Map<string, AnyStateMachine | null>();

/** The definition to draw for an actor's machine: the engine's own, or one a Stately stream sent. */
export function resolveMachine(identity: MachineIdentity | undefined, definitions: ReadonlyMap<string, string>): ResolvedMachine | null {
  if (!identity) return null;
  const known = ENGINE_MACHINES.get(identity.id);
  if (known) return { machine: known, matches: machineIdentity(known)?.digest === identity.digest };
  const json = definitions.get(identity.id);
  if (!json) return null;
  if (!fromJson.has(json)) {
    try {
      // A Stately definition has its functions replaced by { type: name }: the structure is all a chart needs.
      fromJson.set(json, createMachine(JSON.parse(json) as never) as AnyStateMachine);
    } catch {
      fromJson.set(json, null);
    }
  }
  const machine = fromJson.get(json);
  return machine ? { machine, matches: true } : null;
}
