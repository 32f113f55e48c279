import { describe, expect, it } from '@jest/globals';
import { createInspector } from '@statelyai/inspect';
import { createActor, createMachine } from 'xstate';
import { FrameReader, MAX_FRAME_CHARS } from './FrameReader.js';
import { MAX_CONTEXT_CHARS } from './validateMessage.js';

const batch = (messages: unknown[], protocol?: number) => JSON.stringify({ type: 'batch', ...(protocol === undefined ? {} : { protocol }), messages });

describe('FrameReader', () => {
  it('reads a protocol 2 batch as it is', () => {
    const reader = new FrameReader();
    const messages = [
      { type: 'hello', t: 1, seq: 0, protocol: 2, source: 'trax play' },
      { type: 'actor.created', t: 1, seq: 1, sessionId: 'x:0', id: 'engine', systemId: 'engine', rootId: 'x:0', machine: { id: 'engine', digest: 'abcd0123' } },
      { type: 'microstep', t: 2, seq: 2, sessionId: 'x:0', value: 'idle', event: 'GO', transitions: [{ source: 'engine.a', targets: ['engine.b'], event: 'GO' }] },
    ];
    expect(reader.read(batch(messages, 2))).toEqual({ messages, problems: [] });
  });

  it('numbers protocol 1 messages, which have no seq', () => {
    const reader = new FrameReader();
    const { messages } = reader.read(batch([{ type: 'metrics', t: 5, metrics: {} }, { type: 'metrics', t: 6, metrics: {} }]));
    expect(messages.map((m) => m.seq)).toEqual([1, 2]);
    expect(reader.read(batch([{ type: 'metrics', t: 7, metrics: {} }])).messages[0].seq).toBe(3);
  });

  it('keeps the good messages of a batch and names the bad ones', () => {
    const reader = new FrameReader();
    const { messages, problems } = reader.read(
      batch([{ type: 'metrics', t: 1, seq: 1, metrics: {} }, { type: 'teleport', t: 1 }, { type: 'snapshot', t: 2, seq: 2 }, 'junk', { type: 'event', seq: 3, sessionId: 'x:1', event: {} }, { type: 'metrics', t: 3, seq: 4, metrics: {} }]),
    );
    expect(messages.map((m) => m.seq)).toEqual([1, 4]);
    expect(problems.map((p) => [p.kind, p.detail])).toEqual([
      ['unknown-type', 'unknown message type "teleport"'],
      ['malformed', 'snapshot without a sessionId'],
      ['malformed', 'a message without a type'],
      ['malformed', 'event without a time (t)'],
    ]);
  });

  it('survives frames that are not JSON, not batches, binary or huge', () => {
    const reader = new FrameReader();
    expect(reader.read('{"type":"batch","messages":[').problems[0].kind).toBe('malformed');
    expect(reader.read('null').problems[0].kind).toBe('unknown-type');
    expect(reader.read(JSON.stringify({ type: 'batch' })).problems[0].detail).toBe('a batch without a messages list');
    expect(reader.read(new ArrayBuffer(4)).problems[0].kind).toBe('frame');
    expect(reader.read(' '.repeat(MAX_FRAME_CHARS + 1)).problems[0].kind).toBe('oversized');
  });

  it('says once that a newer protocol is read as far as it can be', () => {
    const reader = new FrameReader();
    const first = reader.read(batch([{ type: 'metrics', t: 1, seq: 1, metrics: {} }], 3));
    expect(first.messages).toHaveLength(1);
    expect(first.problems).toEqual([{ kind: 'unknown-protocol', detail: 'protocol 3 is newer than this devtools knows (2): showing what it can read' }]);
    expect(reader.read(batch([{ type: 'metrics', t: 2, seq: 2, metrics: {} }], 3)).problems).toEqual([]);
  });

  it('replaces a huge snapshot context by its size', () => {
    const reader = new FrameReader();
    const context = { blob: 'x'.repeat(MAX_CONTEXT_CHARS + 10) };
    const { messages } = reader.read(batch([{ type: 'snapshot', t: 1, seq: 1, sessionId: 'x:0', value: 'a', status: 'active', context, event: 'e' }], 2));
    expect(messages[0]).toMatchObject({ type: 'snapshot', value: 'a', context: { truncated: JSON.stringify(context).length } });
  });

  it('reads the events of a plain @statelyai/inspect stream, as that library sends them', async () => {
    const sent: string[] = [];
    const inspector = createInspector({ send: (event) => sent.push(JSON.stringify(event)) }, { autoStart: true });
    const toggle = createMachine({ id: 'toggle', initial: 'off', context: { flips: 0 }, states: { off: { on: { FLIP: 'on' } }, on: { on: { FLIP: 'off' } } } });
    const actor = createActor(toggle, { inspect: inspector.inspect }).start();
    actor.send({ type: 'FLIP' });
    await new Promise((resolve) => setTimeout(resolve, 200)); // the library sends from an idle callback
    actor.stop();
    expect(sent.length).toBeGreaterThan(2);

    const reader = new FrameReader();
    const messages = sent.flatMap((frame) => {
      const { messages: m, problems } = reader.read(frame);
      expect(problems).toEqual([]);
      return m;
    });
    expect(messages[0]).toMatchObject({ type: 'actor.created', sessionId: actor.sessionId, id: 'toggle', machine: { id: 'stately:toggle' } });
    expect(messages).toContainEqual(expect.objectContaining({ type: 'event', sessionId: actor.sessionId, event: { type: 'FLIP' } }));
    expect(messages.filter((m) => m.type === 'snapshot').at(-1)).toMatchObject({ value: 'on', context: { flips: 0 } });
    expect(JSON.parse(reader.definitions.get('stately:toggle')!)).toMatchObject({ id: 'toggle', states: { off: {}, on: {} } });
    expect(messages.map((m) => m.seq)).toEqual(messages.map((_, i) => i + 1));
  });
});
