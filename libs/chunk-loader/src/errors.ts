import type { Frames, Priority } from './types.js';

/** Why a request was withdrawn before it could be delivered. */
export type CancelReason = 'cancelled' | 'song-closed' | 'stopped';

/** Where a request pointed, carried by every request error. */
export interface RequestContext {
  readonly song: string;
  readonly stem: string;
  readonly chunkIndex: number;
  readonly startFrame: Frames;
  readonly frameCount: Frames;
  readonly priority: Priority;
}

/** What a withdrawn request pointed at; only song and stem when no request was involved. */
export type CancelContext = Pick<RequestContext, 'song' | 'stem'> & Partial<RequestContext>;

/**
 * A request was withdrawn — `cancel()` (e.g. after a seek), `closeSong()` or `stop()` — so its
 * result is not delivered. Expected in normal operation; not a failure.
 *
 * @example
 * ```ts
 * loader.request(ref, 3, 'normal').catch((e) => { if (!(e instanceof CancelledError)) throw e; });
 * ```
 */
export class CancelledError extends Error {
  override readonly name: string = 'CancelledError';
  readonly song: string;
  readonly stem: string;
  readonly chunkIndex: number | undefined;
  readonly startFrame: Frames | undefined;
  readonly frameCount: Frames | undefined;
  readonly priority: Priority | undefined;

  constructor(
    readonly reason: CancelReason,
    context: CancelContext,
  ) {
    super(`${describeTarget(context)}: ${describeReason(reason)}`);
    this.song = context.song;
    this.stem = context.stem;
    this.chunkIndex = context.chunkIndex;
    this.startFrame = context.startFrame;
    this.frameCount = context.frameCount;
    this.priority = context.priority;
  }
}

/** The loader was stopped while this request was pending, or was used after `stop()`. */
export class LoaderStoppedError extends CancelledError {
  override readonly name = 'LoaderStoppedError';
  constructor(context: CancelContext) {
    super('stopped', context);
  }
}

function describeTarget(context: CancelContext): string {
  const stem = `${context.song}/${context.stem}`;
  if (context.chunkIndex === undefined) return stem;
  return `${stem} chunk #${context.chunkIndex} (frames ${context.startFrame}+${context.frameCount}, ${context.priority})`;
}

function describeReason(reason: CancelReason): string {
  switch (reason) {
    case 'cancelled':
      return 'request cancelled (superseded, e.g. by a seek); its audio is not delivered';
    case 'song-closed':
      return 'song closed while the request was pending';
    case 'stopped':
      return 'the chunk loader was stopped; start a new one to load audio';
  }
}

/**
 * A chunk could not be loaded after every retry: a terminal error for this request of the stem
 * (also reported on `metrics$` as a `stem.failed` event). The engine decides what to do, e.g.
 * play the stem as silence and tell the performer which file is broken.
 */
export class ChunkLoadError extends Error {
  override readonly name = 'ChunkLoadError';
  readonly song: string;
  readonly stem: string;
  readonly chunkIndex: number;
  readonly startFrame: Frames;
  readonly frameCount: Frames;
  readonly priority: Priority;

  constructor(
    context: RequestContext,
    readonly path: string,
    readonly attempts: number,
    override readonly cause: unknown,
  ) {
    super(
      `${context.song}/${context.stem}: chunk #${context.chunkIndex} of ${path} failed after ${attempts} attempt${attempts === 1 ? '' : 's'}: ` +
        `${cause instanceof Error ? cause.message : String(cause)}. Check that the file is readable and a valid FLAC file (\`flac -t\`).`,
    );
    this.song = context.song;
    this.stem = context.stem;
    this.chunkIndex = context.chunkIndex;
    this.startFrame = context.startFrame;
    this.frameCount = context.frameCount;
    this.priority = context.priority;
  }
}

/** `request()` named a stem that was never opened with `openStem()` (or whose song was closed). */
export class UnknownStemError extends Error {
  override readonly name = 'UnknownStemError';
  constructor(
    readonly song: string,
    readonly stem: string,
  ) {
    super(`${song}/${stem}: stem not open; call openStem({ song, stem, path }) before requesting its chunks`);
  }
}

/** `request()` asked for frames outside the stem or for more than one chunk at once. */
export class InvalidSpanError extends Error {
  override readonly name = 'InvalidSpanError';
  constructor(
    readonly song: string,
    readonly stem: string,
    readonly span: unknown,
    readonly problem: string,
  ) {
    super(`${song}/${stem}: invalid chunk span ${JSON.stringify(span)}: ${problem}`);
  }
}

/**
 * A decode worker died (uncaught error, out of memory, exit) while it held work. The pool replaces
 * the worker; the loader retries the work once, then reports it as the cause of a ChunkLoadError.
 */
export class WorkerCrashedError extends Error {
  override readonly name = 'WorkerCrashedError';
  constructor(
    readonly workerId: number,
    readonly detail: string,
  ) {
    super(`decode worker #${workerId} crashed: ${detail}`);
  }
}

/**
 * A decode failed inside a worker. Errors cannot cross threads as class instances, so the worker
 * sends the original error's name, message and context, kept here.
 */
export class RemoteDecodeError extends Error {
  override readonly name = 'RemoteDecodeError';
  constructor(
    /** The original error's class name, e.g. `FlacFormatError`. */
    readonly remoteName: string,
    message: string,
    /** The original error's own enumerable fields (file, offset, feature...). */
    readonly context: Readonly<Record<string, unknown>>,
  ) {
    super(`${remoteName}: ${message}`);
  }
}
