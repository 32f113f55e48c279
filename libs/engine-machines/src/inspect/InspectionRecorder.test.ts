import { describe, expect, it } from '@jest/globals';
import { assign, createActor, createMachine, sendTo, setup } from 'xstate';
import { INSPECT_PROTOCOL_VERSION, type InspectMessage } from './inspectProtocol.js';
import { InspectionRecorder } from './InspectionRecorder.js';
import { machineIdentity } from './machineIdentity.js';
import { summarizingInspector } from './summarize.js';

const child = createMachine({ id: 'child', initial: 'on', states: { on: { on: { OFF: 'off' } }, off: { type: 'final' } } });
const parent = setup({ actors: { child }, actions: { note: () => undefined } }).createMachine({
  id: 'parent',
  context: { pcm: new Float32Array(48_000), label: 'song' },
  initial: 'running',
  invoke: { src: 'child', id: 'kid', systemId: 'song:a/stem:b' },
  states: { running: { on: { STOP_CHILD: { actions: [sendTo('kid', { type: 'OFF' }), { type: 'note', params: { why: 'test' } }] } } } },
});

function record(inspectThroughSummaries = false) {
  const messages: InspectMessage[] = [];
  const recorder = new InspectionRecorder((m) => messages.push(m), { now: () => 42, source: 'test' });
  const actor = createActor(parent, { inspect: inspectThroughSummaries ? summarizingInspector(recorder.observe) : recorder.observe }).start();
  return { messages, recorder, actor };
}

describe('InspectionRecorder', () => {
  it('reports actors created and stopped, snapshots as summaries, and events', () => {
    const { messages, recorder, actor } = record();
    const created = messages.filter((m) => m.type === 'actor.created');
    expect(created.map((m) => m.id)).toEqual(expect.arrayContaining(['kid']));
    const kid = created.find((m) => m.id === 'kid')!;
    expect(kid).toMatchObject({ systemId: 'song:a/stem:b', parentId: actor.sessionId, t: 42 });

    // Audio buffers never travel: the context's Float32Array becomes a description.
    const parentSnapshot = messages.find((m) => m.type === 'snapshot' && m.sessionId === actor.sessionId)!;
    expect(parentSnapshot).toMatchObject({ value: 'running', status: 'active', context: { pcm: { typedArray: 'Float32Array', length: 48_000 }, label: 'song' } });
    expect(JSON.stringify(messages).length).toBeLessThan(5_000);

    actor.send({ type: 'STOP_CHILD' });
    expect(messages).toContainEqual(expect.objectContaining({ type: 'actor.stopped', t: 42, sessionId: kid.sessionId, status: 'done' }));
    expect(messages).toContainEqual(expect.objectContaining({ type: 'event', sessionId: kid.sessionId, sourceId: actor.sessionId, event: { type: 'OFF' } }));

    // A late client sees a hello, then only live actors with their latest snapshot.
    const greeting = recorder.greeting();
    expect(greeting[0]).toMatchObject({ type: 'hello', protocol: INSPECT_PROTOCOL_VERSION, source: 'test', seq: messages.at(-1)!.seq });
    expect(greeting.some((m) => 'sessionId' in m && m.sessionId === kid.sessionId)).toBe(false);
    expect(greeting).toContainEqual(expect.objectContaining({ type: 'snapshot', sessionId: actor.sessionId, value: 'running' }));
    actor.stop();
  });

  it('numbers messages 1, 2, 3… with no gap', () => {
    const { messages, actor } = record();
    actor.send({ type: 'STOP_CHILD' });
    expect(messages.map((m) => m.seq)).toEqual(messages.map((_, i) => i + 1));
    actor.stop();
  });

  it.each([false, true])('reports microsteps with the transitions taken and actions with params (through summaries: %s)', (summaries) => {
    const { messages, actor } = record(summaries);
    actor.send({ type: 'STOP_CHILD' });
    const kid = messages.find((m) => m.type === 'actor.created' && m.id === 'kid')!;
    expect(messages).toContainEqual(
      expect.objectContaining({ type: 'microstep', sessionId: kid.type === 'actor.created' ? kid.sessionId : '', value: 'off', event: 'OFF', transitions: [{ source: 'child.on', targets: ['child.off'], event: 'OFF' }] }),
    );
    expect(messages).toContainEqual(expect.objectContaining({ type: 'action', sessionId: actor.sessionId, action: { type: 'note', params: { why: 'test' } } }));
    actor.stop();
  });

  it.each([false, true])("names each actor's machine definition (through summaries: %s)", async (summaries) => {
    const { messages, actor } = record(summaries);
    await Promise.resolve();
    const byId = Object.fromEntries(messages.filter((m) => m.type === 'actor.created').map((m) => [m.id, m.machine]));
    expect(byId.kid).toEqual(machineIdentity(child));
    expect(byId.kid?.id).toBe('child');
    expect(byId[actor.id]).toEqual(machineIdentity(parent));
    actor.stop();
  });

  it('stamps messages it is given to publish', () => {
    const messages: InspectMessage[] = [];
    const recorder = new InspectionRecorder((m) => messages.push(m), { now: () => 7 });
    recorder.publish({ type: 'metrics', metrics: { underruns: 0 } });
    recorder.publish({ type: 'metrics', metrics: { underruns: 1 } });
    expect(messages).toEqual([
      { type: 'metrics', metrics: { underruns: 0 }, t: 7, seq: 1 },
      { type: 'metrics', metrics: { underruns: 1 }, t: 7, seq: 2 },
    ]);
  });

  it('announces a spawned actor before any message about it, with its systemId', () => {
    const quick = createMachine({ id: 'quick', initial: 'requested', states: { requested: { always: 'working' }, working: {} } });
    const spawner = setup({ actors: { quick } }).createMachine({
      id: 'spawner',
      context: { child: null as unknown },
      on: { GO: { actions: assign({ child: ({ spawn }) => spawn('quick', { id: 'q', systemId: 'song:a/seek:1' }) }) } },
    });
    const messages: InspectMessage[] = [];
    const recorder = new InspectionRecorder((m) => messages.push(m));
    const actor = createActor(spawner, { inspect: summarizingInspector(recorder.observe) }).start();
    actor.send({ type: 'GO' });
    const created = messages.find((m) => m.type === 'actor.created' && m.id === 'q')!;
    expect(created).toMatchObject({ systemId: 'song:a/seek:1', machine: machineIdentity(quick) });
    const first = messages.findIndex((m) => m.type !== 'actor.created' && 'sessionId' in m && m.sessionId === (created.type === 'actor.created' ? created.sessionId : ''));
    expect(first).toBeGreaterThan(messages.indexOf(created));
    actor.stop();
  });
});
