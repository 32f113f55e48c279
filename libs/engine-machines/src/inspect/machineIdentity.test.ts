import { describe, expect, it } from '@jest/globals';
import { createMachine, fromPromise } from 'xstate';
import { seekMachine } from '../machines/seekMachine.js';
import { songMachine } from '../machines/songMachine.js';
import { stemLoaderMachine } from '../machines/stemLoaderMachine.js';
import { machineIdentity } from './machineIdentity.js';

const config = { id: 'toggle', initial: 'off', states: { off: { on: { FLIP: 'on' } }, on: { on: { FLIP: 'off' } } } } as const;

describe('machineIdentity', () => {
  it('is the same for two machines built from the same definition', () => {
    expect(machineIdentity(createMachine(config))).toEqual(machineIdentity(createMachine(config)));
    expect(machineIdentity(createMachine(config))?.digest).toMatch(/^[0-9a-f]{8}$/);
  });

  it('changes when a transition target, an event or a state changes', () => {
    const base = machineIdentity(createMachine(config))!.digest;
    const retargeted = createMachine({ ...config, states: { off: { on: { FLIP: 'off' } }, on: { on: { FLIP: 'off' } } } });
    const renamedEvent = createMachine({ ...config, states: { off: { on: { TOGGLE: 'on' } }, on: { on: { FLIP: 'off' } } } });
    const extraState = createMachine({ ...config, states: { ...config.states, broken: {} } });
    const eventless = createMachine({ ...config, states: { off: { on: { FLIP: 'on' } }, on: { always: 'off' } } });
    const digests = [retargeted, renamedEvent, extraState, eventless].map((m) => machineIdentity(m)!.digest);
    expect(new Set([base, ...digests]).size).toBe(5);
  });

  it('tells the engine machines apart by id', () => {
    expect([songMachine, stemLoaderMachine, seekMachine].map((m) => machineIdentity(m)!.id)).toEqual(['song', 'stemLoader', 'seek']);
  });

  it('is undefined for actor logic that is not a machine', () => {
    expect(machineIdentity(fromPromise(async () => 1))).toBeUndefined();
    expect(machineIdentity(undefined)).toBeUndefined();
  });
});
