import { describe, expect, it } from '@jest/globals';
import { actorTree } from './actorTree.js';
import { smallEngine } from './messages.fixture.js';
import { parseRecording, recordingHeader, recordingLines, recordingMessages, RecordingReader } from './recording.js';
import { SessionLog } from './SessionLog.js';

describe('recordings', () => {
  it('round-trips a session: same messages, same tree', () => {
    const original = smallEngine().event(1100, 'x:2', { type: 'STEM.PRIME', priority: 'urgent' }, 'x:1').log;
    const text = recordingLines(recordingHeader('ws://127.0.0.1:9/', 5, new Map([['stately:t', '{"id":"t"}']])), original.messages).join('');
    const parsed = parseRecording(text);
    expect(parsed).toMatchObject({ badLines: 0, firstBadLine: null, warning: null, header: { format: 'trax-devtools-recording', version: 1, protocol: 2, source: 'ws://127.0.0.1:9/', recordedAt: 5, definitions: { 'stately:t': '{"id":"t"}' } } });
    expect(parsed.messages).toEqual(original.messages);
    const reopened = new SessionLog();
    reopened.append(parsed.messages);
    expect(actorTree(reopened, reopened.size - 1)).toEqual(actorTree(original, original.size - 1));
  });

  it('reads the same whatever the chunking (lines split across chunks, CRLF)', () => {
    const text = recordingLines(recordingHeader(undefined, 1), smallEngine().log.messages).join('').replace(/\n/g, '\r\n');
    const reader = new RecordingReader();
    for (let i = 0; i < text.length; i += 7) reader.push(text.slice(i, i + 7));
    expect(reader.end().messages).toEqual(parseRecording(text).messages);
    expect(parseRecording(text).messages).toHaveLength(smallEngine().log.size);
  });

  it('opens what it can of a corrupt recording and names the first bad line', () => {
    const lines = recordingLines(recordingHeader(undefined, 1), smallEngine().log.messages);
    lines.splice(3, 0, '{"type":"snapshot", trunc\n', '{"type":"warp","t":1}\n');
    lines.push('{"type":"metrics","t":9,"me'); // cut off mid-write, no newline
    const parsed = parseRecording(lines.join(''));
    expect(parsed.messages).toHaveLength(smallEngine().log.size);
    expect(parsed.badLines).toBe(3);
    expect(parsed.firstBadLine).toEqual({ line: 4, reason: 'not JSON ({"type":"snapshot", trunc)' });
  });

  it('says when the first line is not a recording header, or a newer version', () => {
    expect(parseRecording('{"type":"metrics","t":1,"metrics":{}}\n')).toMatchObject({ messages: [{ type: 'metrics' }], warning: 'line 1 is not a trax-devtools-recording header: reading the lines as protocol messages' });
    expect(parseRecording('{"format":"trax-devtools-recording","version":9,"protocol":2,"recordedAt":0}\n').warning).toMatch(/version 9 is newer/);
    expect(parseRecording('').warning).toBe('the file is empty');
  });

  it('starts a recording made mid-session with the live actors, so it opens with the whole tree', () => {
    const b = smallEngine().snapshot(1100, 'x:2', 'loading').created(1150, 'x:7', 'song:a/seek:1', 'x:1', 'seek').stopped(1160, 'x:7');
    const from = b.log.size;
    b.event(1200, 'x:2', { type: 'FETCH.LOADED' }).snapshot(1200, 'x:2', 'buffered');
    const reopened = new SessionLog();
    reopened.append(parseRecording(recordingLines(recordingHeader(undefined, 0), recordingMessages(b.log, from)).join('')).messages);
    const labels = (log: SessionLog) => JSON.stringify(actorTree(log, log.size - 1).map(function strip(n): unknown {
      return [n.label, n.state, n.children.filter((c) => !c.stopped).map(strip)];
    }));
    expect(labels(reopened)).toEqual(labels(b.log));
    expect(reopened.messages.filter((m) => m.type === 'actor.created')).toHaveLength(4); // the stopped seek is not carried over
  });
});
