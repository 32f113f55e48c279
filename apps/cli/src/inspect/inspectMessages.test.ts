import { describe, expect, it } from '@jest/globals';
import { createActor, createMachine, sendTo, setup } from 'xstate';
import { InspectionRecorder, type InspectMessage } from './inspectMessages.js';

const child = createMachine({ id: 'child', initial: 'on', states: { on: { on: { OFF: 'off' } }, off: { type: 'final' } } });
const parent = setup({ actors: { child } }).createMachine({
  id: 'parent',
  context: { pcm: new Float32Array(48_000), label: 'song' },
  initial: 'running',
  invoke: { src: 'child', id: 'kid', systemId: 'song:a/stem:b' },
  states: { running: { on: { STOP_CHILD: { actions: sendTo('kid', { type: 'OFF' }) } } } },
});

describe('InspectionRecorder', () => {
  it('reports actors created and stopped, snapshots as summaries, and events', () => {
    const messages: InspectMessage[] = [];
    const recorder = new InspectionRecorder((m) => messages.push(m), () => 42);
    const actor = createActor(parent, { inspect: recorder.observe }).start();

    const created = messages.filter((m) => m.type === 'actor.created');
    expect(created.map((m) => m.id)).toEqual(expect.arrayContaining(['kid']));
    const kid = created.find((m) => m.id === 'kid')!;
    expect(kid).toMatchObject({ systemId: 'song:a/stem:b', parentId: actor.sessionId, t: 42 });

    // Audio buffers never travel: the context's Float32Array becomes a description.
    const parentSnapshot = messages.find((m) => m.type === 'snapshot' && m.sessionId === actor.sessionId)!;
    expect(parentSnapshot).toMatchObject({ value: 'running', status: 'active', context: { pcm: { typedArray: 'Float32Array', length: 48_000 }, label: 'song' } });
    expect(JSON.stringify(messages).length).toBeLessThan(5_000);

    actor.send({ type: 'STOP_CHILD' });
    expect(messages).toContainEqual({ type: 'actor.stopped', t: 42, sessionId: kid.sessionId, status: 'done' });
    expect(messages).toContainEqual(expect.objectContaining({ type: 'event', sessionId: kid.sessionId, event: { type: 'OFF' } }));

    // A late client sees only live actors with their latest snapshot.
    const live = recorder.liveActors();
    expect(live.some((m) => 'sessionId' in m && m.sessionId === kid.sessionId)).toBe(false);
    expect(live).toContainEqual(expect.objectContaining({ type: 'snapshot', sessionId: actor.sessionId, value: 'running' }));
    actor.stop();
  });
});
