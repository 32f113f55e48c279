import { FrameReader } from '../protocol/FrameReader.js';
import { AudioTimeline } from '../views/audioTimeline.js';
import { TriggerEvaluator, type Bookmark, type Trigger } from '../views/triggers.js';
import { recordingHeader, recordingLines, recordingMessages, RecordingReader, type ParsedRecording } from './recording.js';
import { SessionLog } from './SessionLog.js';

/**
 * One session the devtools show: a live stream or an opened recording. Owns the log and what is
 * derived from it as messages arrive (audio timelines, trigger bookmarks). Framework-free: the UI
 * subscribes to `log` and reads the rest.
 */
export class DevtoolsSession {
  readonly log = new SessionLog();
  readonly timeline = new AudioTimeline(this.log);
  readonly bookmarks: Bookmark[] = [];
  triggers: Trigger[] = [];
  /** Machine definitions sent by `@statelyai/inspect` streams (JSON), by machine id. */
  readonly definitions = new Map<string, string>();
  /** Told when a trigger whose action is `pause` fires. */
  onPauseRequested: ((bookmark: Bookmark) => void) | null = null;
  private reader = new FrameReader();
  private evaluator = new TriggerEvaluator(this.log);
  private recordingFrom: number | null = null;

  constructor(
    readonly mode: 'live' | 'replay',
    /** The endpoint URL or the recording's file name. */
    readonly source: string,
  ) {}

  /** A new connection (or reconnection): frames are numbered afresh. */
  connectionOpened(): void {
    const definitions = this.reader.definitions;
    this.reader = new FrameReader();
    for (const [id, json] of definitions) this.reader.definitions.set(id, json);
  }

  receiveFrame(data: unknown): void {
    const { messages, problems } = this.reader.read(data);
    for (const [id, json] of this.reader.definitions) this.definitions.set(id, json);
    this.log.addProblems(problems);
    this.log.append(messages);
    this.derive();
  }

  /** Sets the triggers and evaluates them over the whole session again (bookmarks by hand stay). */
  setTriggers(triggers: Trigger[]): void {
    this.triggers = triggers;
    this.evaluator = new TriggerEvaluator(this.log);
    const byHand = this.bookmarks.filter((b) => b.triggerId === null);
    this.bookmarks.length = 0;
    this.bookmarks.push(...byHand, ...this.evaluator.evaluate(triggers));
    this.bookmarks.sort((a, b) => a.index - b.index);
    this.log.touch();
  }

  /** Adds a bookmark by hand (at a log index). */
  addBookmark(index: number, label: string): void {
    const t = this.log.times[index] ?? 0;
    this.bookmarks.push({ triggerId: null, index, t, label, action: 'bookmark' });
    this.bookmarks.sort((a, b) => a.index - b.index);
    this.log.touch();
  }

  get recording(): boolean {
    return this.recordingFrom !== null;
  }

  startRecording(): void {
    this.recordingFrom = this.log.size;
  }

  /** Stops recording and returns the recording's text (JSON lines). */
  stopRecording(now = Date.now()): string {
    const from = this.recordingFrom ?? 0;
    this.recordingFrom = null;
    return this.recordingText(from, now);
  }

  /** The whole session (or from `from`) as a recording. */
  recordingText(from = 0, now = Date.now()): string {
    return recordingLines(recordingHeader(this.source, now, this.definitions), recordingMessages(this.log, from)).join('');
  }

  /** A session replaying a recording read by `reader`. */
  static fromRecording(name: string, parsed: ParsedRecording): DevtoolsSession {
    const session = new DevtoolsSession('replay', name);
    for (const [id, json] of Object.entries(parsed.header?.definitions ?? {})) session.definitions.set(id, json);
    if (parsed.warning) session.log.addProblems([{ kind: 'frame', detail: parsed.warning }]);
    if (parsed.firstBadLine) session.log.addProblems([{ kind: 'malformed', detail: `${parsed.badLines} bad line(s) skipped; the first is line ${parsed.firstBadLine.line}: ${parsed.firstBadLine.reason}` }]);
    session.log.append(parsed.messages);
    session.derive();
    return session;
  }

  /** Reads a recording from a stream of text (e.g. a File's stream through a TextDecoderStream). */
  static async readRecording(name: string, chunks: AsyncIterable<string> | ReadableStream<string>, onProgress?: (chars: number) => void): Promise<DevtoolsSession> {
    const reader = new RecordingReader();
    let chars = 0;
    for await (const chunk of chunks as AsyncIterable<string>) {
      reader.push(chunk);
      chars += chunk.length;
      onProgress?.(chars);
    }
    return DevtoolsSession.fromRecording(name, reader.end());
  }

  private derive(): void {
    this.timeline.catchUp();
    const fired = this.evaluator.evaluate(this.triggers);
    if (fired.length === 0) return;
    this.bookmarks.push(...fired);
    for (const bookmark of fired) if (bookmark.action === 'pause' && this.mode === 'live') this.onPauseRequested?.(bookmark);
  }
}
