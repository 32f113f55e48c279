import { INSPECT_PROTOCOL_VERSION } from '@trax/engine-machines';
import { fromStatelyEvent } from './fromStatelyEvent.js';
import { isProblem, validateMessage, type CheckedMessage, type MessageProblem } from './validateMessage.js';

/** A frame larger than this is refused whole (a hostile or broken server must not freeze the page). */
export const MAX_FRAME_CHARS = 64 * 1024 * 1024;

export interface FrameResult {
  readonly messages: CheckedMessage[];
  readonly problems: MessageProblem[];
}

/**
 * Reads WebSocket frames of either stream: Trax batches (`{ type: 'batch', protocol?, messages }`,
 * protocol 1 or 2) or single `@statelyai/inspect` events. Never throws: whatever it cannot use
 * becomes a problem and the rest goes on. One reader per connection (it numbers messages that
 * arrive without `seq`, and keeps Stately machine definitions).
 */
export class FrameReader {
  /** Machine definitions (JSON) sent by a `@statelyai/inspect` stream, by machine id. */
  readonly definitions = new Map<string, string>();
  private seq = 0;
  private warnedProtocol = false;

  read(data: unknown): FrameResult {
    if (typeof data !== 'string') return { messages: [], problems: [{ kind: 'frame', detail: 'a binary frame (expected JSON text)' }] };
    if (data.length > MAX_FRAME_CHARS) return { messages: [], problems: [{ kind: 'oversized', detail: `a frame of ${(data.length / 1e6).toFixed(1)} MB refused` }] };
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      return { messages: [], problems: [{ kind: 'malformed', detail: `a frame that is not JSON: ${data.slice(0, 60)}` }] };
    }
    const frame = parsed as { type?: unknown; protocol?: unknown; messages?: unknown };
    if (frame?.type === 'batch') return this.readBatch(frame, data.length);
    if (typeof frame?.type === 'string' && frame.type.startsWith('@xstate.')) return this.readStately(parsed as Record<string, unknown>);
    return { messages: [], problems: [{ kind: 'unknown-type', detail: `unknown frame type "${String(frame?.type).slice(0, 40)}"` }] };
  }

  /** The next local sequence number, for messages that come without one. */
  private readonly nextSeq = (): number => ++this.seq;

  private readBatch(frame: { protocol?: unknown; messages?: unknown }, chars: number): FrameResult {
    const problems: MessageProblem[] = [];
    const protocol = frame.protocol ?? 1;
    if (typeof protocol !== 'number' || protocol > INSPECT_PROTOCOL_VERSION) {
      if (!this.warnedProtocol) problems.push({ kind: 'unknown-protocol', detail: `protocol ${String(protocol)} is newer than this devtools knows (${INSPECT_PROTOCOL_VERSION}): showing what it can read` });
      this.warnedProtocol = true;
    }
    if (!Array.isArray(frame.messages)) return { messages: [], problems: [...problems, { kind: 'malformed', detail: 'a batch without a messages list' }] };
    const messages: CheckedMessage[] = [];
    for (const raw of frame.messages) {
      const checked = validateMessage(raw, this.nextSeq, chars);
      if (isProblem(checked)) problems.push(checked);
      else {
        if (checked.seq > this.seq) this.seq = checked.seq;
        messages.push(checked);
      }
    }
    return { messages, problems };
  }

  private readStately(raw: Record<string, unknown>): FrameResult {
    const messages: CheckedMessage[] = [];
    const problems: MessageProblem[] = [];
    for (const unstamped of fromStatelyEvent(raw, this.definitions)) {
      const checked = validateMessage(unstamped, this.nextSeq);
      if (isProblem(checked)) problems.push(checked);
      else messages.push(checked);
    }
    if (messages.length === 0 && problems.length === 0) problems.push({ kind: 'malformed', detail: `${String(raw.type)} without a sessionId` });
    return { messages, problems };
  }
}
