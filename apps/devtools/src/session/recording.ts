import { INSPECT_PROTOCOL_VERSION } from '@trax/engine-machines';
import { isProblem, validateMessage, type CheckedMessage } from '../protocol/validateMessage.js';
import type { SessionLog } from './SessionLog.js';

/** The recording format: JSON lines, a header line then one protocol message per line. */
export const RECORDING_FORMAT = 'trax-devtools-recording';
export const RECORDING_VERSION = 1;

export interface RecordingHeader {
  readonly format: typeof RECORDING_FORMAT;
  readonly version: number;
  /** Protocol version of the messages. */
  readonly protocol: number;
  /** Where it was recorded from (an endpoint URL), if known. */
  readonly source?: string;
  /** Ms since the epoch when recording started. */
  readonly recordedAt: number;
  /** Machine definitions (JSON) sent by a `@statelyai/inspect` stream, by machine id. */
  readonly definitions?: Readonly<Record<string, string>>;
}

export function recordingHeader(source: string | undefined, recordedAt: number, definitions?: ReadonlyMap<string, string>): RecordingHeader {
  return {
    format: RECORDING_FORMAT,
    version: RECORDING_VERSION,
    protocol: INSPECT_PROTOCOL_VERSION,
    ...(source ? { source } : {}),
    recordedAt,
    ...(definitions && definitions.size > 0 ? { definitions: Object.fromEntries(definitions) } : {}),
  };
}

/** The header's line and each message's line (each ends with '\n'): join or stream them to a file. */
export function recordingLines(header: RecordingHeader, messages: readonly CheckedMessage[]): string[] {
  return [`${JSON.stringify(header)}\n`, ...messages.map((m) => `${JSON.stringify(m)}\n`)];
}

/** The first line a reader could not use, named for the user. */
export interface BadLine {
  readonly line: number;
  readonly reason: string;
}

export interface ParsedRecording {
  readonly header: RecordingHeader | null;
  readonly messages: CheckedMessage[];
  readonly badLines: number;
  readonly firstBadLine: BadLine | null;
  /** A problem with the whole file (not a recording, a newer version). */
  readonly warning: string | null;
}

/**
 * Reads a recording in pieces (a 1-hour session is hundreds of MB: feed it the file's text chunks
 * as they are read). Opens what it can: a line that is not JSON or not a valid message is counted
 * and skipped, and the first one is named.
 */
export class RecordingReader {
  private carry = '';
  private line = 0;
  private seq = 0;
  private header: RecordingHeader | null = null;
  private warning: string | null = null;
  private badLines = 0;
  private firstBadLine: BadLine | null = null;
  private readonly messages: CheckedMessage[] = [];

  push(chunk: string): void {
    const text = this.carry + chunk;
    let start = 0;
    for (let end = text.indexOf('\n', start); end !== -1; end = text.indexOf('\n', start)) {
      this.readLine(text.slice(start, end));
      start = end + 1;
    }
    this.carry = text.slice(start);
  }

  end(): ParsedRecording {
    if (this.carry.length > 0) this.readLine(this.carry);
    this.carry = '';
    if (this.line === 0) this.warning = 'the file is empty';
    return { header: this.header, messages: this.messages, badLines: this.badLines, firstBadLine: this.firstBadLine, warning: this.warning };
  }

  private bad(reason: string): void {
    this.badLines++;
    this.firstBadLine ??= { line: this.line, reason };
  }

  private readonly nextSeq = () => ++this.seq;

  private readLine(raw: string): void {
    this.line++;
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (text.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      this.bad(`not JSON (${text.length > 40 ? `${text.slice(0, 40)}…` : text})`);
      return;
    }
    if (this.line === 1) {
      const header = value as Partial<RecordingHeader> | null;
      if (header?.format === RECORDING_FORMAT) {
        this.header = header as RecordingHeader;
        if (typeof header.version !== 'number' || header.version > RECORDING_VERSION) this.warning = `recording version ${String(header.version)} is newer than this devtools reads (${RECORDING_VERSION}): showing what it can`;
        return;
      }
      this.warning = `line 1 is not a ${RECORDING_FORMAT} header: reading the lines as protocol messages`;
    }
    const checked = validateMessage(value, this.nextSeq);
    if (isProblem(checked)) this.bad(checked.detail);
    else {
      if (checked.seq > this.seq) this.seq = checked.seq;
      this.messages.push(checked);
    }
  }
}

/** Reads a whole recording held in memory. */
export function parseRecording(text: string): ParsedRecording {
  const reader = new RecordingReader();
  reader.push(text);
  return reader.end();
}

/**
 * The messages of a recording of `log` from index `from` to `to`: first each actor alive at `from`
 * with its latest snapshot (as a server greets a client that joins), then the messages themselves
 * — so a recording started mid-session opens with the whole tree.
 */
export function recordingMessages(log: SessionLog, from: number, to = log.size - 1): CheckedMessage[] {
  const prefix: CheckedMessage[] = [];
  for (const actor of log.actorOrder) {
    if (actor.createdIndex >= from) break;
    if (actor.stoppedIndex !== null && actor.stoppedIndex < from) continue;
    prefix.push(log.messages[actor.createdIndex]);
    const snapshot = log.snapshotAt(actor.sessionId, from - 1);
    if (snapshot) prefix.push(snapshot);
  }
  return [...prefix, ...log.messages.slice(Math.max(0, from), to + 1)];
}
