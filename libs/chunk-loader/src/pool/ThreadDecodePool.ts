import { RemoteDecodeError, WorkerCrashedError } from '../errors.js';
import type { DecodeOutcome, DecodePool, DecodeTask, StemHeader } from '../ports/DecodePool.js';
// Type only: the logger port's values live in @trax/streaming-cache's Node entry, which a page must not load.
import type { Logger } from '../ports/Logger.js';
import type { DecoderFactory, DecoderOptions } from '../ports/StemDecoder.js';
import type { StemSource } from '../types.js';
import { headerOf } from './DecoderRegistry.js';
import { decodeRequest, openRequest, releaseSongRequest } from './workerProtocol.js';
import type { FromWorker, ToWorker, WorkerConfig } from './workerProtocol.js';

/** Replacement threads that may die before becoming ready, in a row, before the pool gives up. */
const MAX_FAILED_STARTS = 3;

/** One decode thread as the pool sees it, whatever runs it (a Web Worker, a `worker_threads` Worker). */
export interface DecodeThread {
  post(message: ToWorker): void;
  /** Ends the thread; no event is reported for it afterwards. */
  terminate(): Promise<void>;
}

/** What a thread reports to the pool. */
export interface DecodeThreadEvents {
  message(message: FromWorker): void;
  /** The thread is gone or unusable (crashed, failed to load); `detail` says why. Report it once. */
  died(detail: string): void;
}

/** Starts a decode thread running `serveDecodeRequests` with `config`. */
export type SpawnDecodeThread = (config: WorkerConfig, events: DecodeThreadEvents) => DecodeThread;

export interface ThreadDecodePoolOptions {
  /** Threads (at least 1). */
  readonly workers: number;
  /**
   * Tasks handed to one thread at once (default 2): the next task waits inside the thread, so it
   * starts the moment the previous one ends instead of a message round trip later. The price:
   * work already handed over cannot be overtaken by urgent work.
   */
  readonly tasksPerWorker?: number;
  readonly decoderOptions: DecoderOptions;
  /**
   * Opens a decoder on the calling thread, used only when no thread could open a stem, to throw
   * the decoder's own typed error (which cannot cross threads as such). Without it, that error
   * arrives as a `RemoteDecodeError` carrying its name, message and fields.
   */
  readonly probeFactory?: DecoderFactory;
  readonly logger?: Logger;
}

interface Pending<T> {
  readonly resolve: (value: T) => void;
  readonly reject: (error: unknown) => void;
}

interface Slot {
  readonly index: number;
  readonly workerId: number;
  readonly thread: DecodeThread;
  readonly ready: Promise<void>;
  isReady: boolean;
  /** Decodes handed to this thread, by message id (at most `tasksPerWorker`). */
  readonly tasks: Map<number, Pending<DecodeOutcome>>;
  /** Opens and releases sent to this thread, by message id (they queue behind its decodes). */
  readonly calls: Map<number, Pending<never>>;
}

/**
 * A {@link DecodePool} of message-driven decode threads, whatever runs them: each keeps its
 * stems' decoders open between tasks and moves PCM back in transfer lists. A thread that dies is
 * replaced at once and its tasks reject with `WorkerCrashedError` (the loader retries each once);
 * threads that die before becoming ready three times in a row make the pool fail all work.
 * Running tasks are not interrupted: `stop()` rejects them and ends the threads. Subclasses
 * supply the threads (`WebWorkerDecodePool`). Called on the loader's thread.
 */
export class ThreadDecodePool implements DecodePool {
  /** Tasks it runs at once: threads × tasks per thread. */
  readonly size: number;
  readonly workers: number;
  private readonly tasksPerWorker: number;
  private readonly slots: Slot[] = [];
  private readonly backlog: { task: DecodeTask; pending: Pending<DecodeOutcome> }[] = [];
  private readonly logger: Logger | undefined;
  private nextWorkerId = 0;
  private nextMessageId = 0;
  private stopping = false;
  private failedStarts = 0;
  private broken: WorkerCrashedError | undefined;

  protected constructor(
    private readonly options: ThreadDecodePoolOptions,
    private readonly spawnThread: SpawnDecodeThread,
  ) {
    this.workers = Math.max(1, options.workers);
    this.tasksPerWorker = Math.max(1, options.tasksPerWorker ?? 2);
    this.size = this.workers * this.tasksPerWorker;
    this.logger = options.logger;
    for (let index = 0; index < this.workers; index++) this.slots.push(this.spawn(index));
  }

  /** Resolves when every thread has loaded its code; on failure the pool is stopped and the error thrown. */
  protected async whenReady(): Promise<this> {
    try {
      await Promise.all(this.slots.map((slot) => slot.ready));
    } catch (error) {
      await this.stop();
      throw error;
    }
    return this;
  }

  /**
   * Every thread opens the stem's decoder now (kept for its decodes); the first header to arrive
   * answers. If no thread can open it, the error comes from `probeFactory` (the decoder's own) or
   * from the first thread.
   */
  async probe(stem: StemSource): Promise<StemHeader> {
    if (this.stopping) throw new Error('decode pool stopped');
    try {
      return await Promise.any(this.slots.map((slot) => this.call<StemHeader>(slot, (id) => openRequest(id, stem))));
    } catch (error) {
      const factory = this.options.probeFactory;
      if (!factory) throw error instanceof AggregateError ? error.errors[0] : error;
      const decoder = await factory(stem.path, this.options.decoderOptions);
      try {
        return headerOf(decoder);
      } finally {
        await decoder.close();
      }
    }
  }

  decode(task: DecodeTask): Promise<DecodeOutcome> {
    if (this.stopping) return Promise.reject(new Error('decode pool stopped'));
    if (this.broken) return Promise.reject(this.broken);
    return new Promise<DecodeOutcome>((resolve, reject) => {
      this.backlog.push({ task, pending: { resolve, reject } });
      this.dispatch();
    });
  }

  async releaseSong(song: string): Promise<void> {
    if (this.stopping || this.broken) return;
    await Promise.all(this.slots.map((slot) => this.call<void>(slot, (id) => releaseSongRequest(id, song)).catch(() => undefined)));
  }

  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    const stopped = new Error('decode pool stopped');
    for (const { pending } of this.backlog.splice(0)) pending.reject(stopped);
    await Promise.all(
      this.slots.map(async (slot) => {
        for (const task of slot.tasks.values()) task.reject(stopped);
        slot.tasks.clear();
        for (const call of slot.calls.values()) call.reject(stopped);
        slot.calls.clear();
        await slot.thread.terminate();
      }),
    );
  }

  /** Thread ids in use, slot by slot (a replaced thread gets a new id). */
  get workerIds(): number[] {
    return this.slots.map((slot) => slot.workerId);
  }

  /** Hand backlog tasks to the least busy threads that have room. */
  private dispatch(): void {
    while (this.backlog.length > 0) {
      let target: Slot | undefined;
      for (const slot of this.slots) if (slot.tasks.size < this.tasksPerWorker && (!target || slot.tasks.size < target.tasks.size)) target = slot;
      const next = target && this.backlog.shift();
      if (!target || !next) return;
      const id = this.nextMessageId++;
      target.tasks.set(id, next.pending);
      target.thread.post(decodeRequest(id, next.task));
    }
  }

  private spawn(index: number): Slot {
    const workerId = this.nextWorkerId++;
    let markReady!: () => void;
    let failStart!: (error: unknown) => void;
    const ready = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      failStart = reject;
    });
    ready.catch(() => undefined); // observed by whenReady(); a replacement's failure surfaces as a crash
    // Events may arrive before spawnThread returns (a script that fails at once): they find the slot here.
    const found: { slot?: Slot } = {};
    let dead = false;
    const thread = this.spawnThread(
      { workerId, decoderOptions: this.options.decoderOptions },
      {
        message: (message) => {
          const slot = found.slot;
          if (!slot || dead) return;
          if (message.type !== 'ready') return this.onReply(slot, message);
          slot.isReady = true;
          this.failedStarts = 0;
          markReady();
        },
        died: (detail) => {
          if (dead) return;
          dead = true;
          queueMicrotask(() => found.slot && this.onDeath(found.slot, detail, failStart));
        },
      },
    );
    const slot: Slot = { index, workerId, thread, ready, isReady: false, tasks: new Map(), calls: new Map() };
    found.slot = slot;
    return slot;
  }

  private onDeath(slot: Slot, detail: string, failStart: (error: unknown) => void): void {
    if (!slot.isReady) failStart(new WorkerCrashedError(slot.workerId, `${detail} before it was ready`));
    if (this.stopping || this.slots[slot.index] !== slot) return;
    void slot.thread.terminate();
    if (!slot.isReady && ++this.failedStarts >= MAX_FAILED_STARTS) this.giveUp(slot, detail);
    else this.replace(slot, detail);
  }

  /** Send a request that is not a decode and wait for its reply. */
  private call<T>(slot: Slot, message: (id: number) => ToWorker): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const id = this.nextMessageId++;
      slot.calls.set(id, { resolve: resolve as (value: never) => void, reject });
      slot.thread.post(message(id));
    });
  }

  private onReply(slot: Slot, message: Exclude<FromWorker, { type: 'ready' }>): void {
    const call = slot.calls.get(message.id);
    if (call) {
      slot.calls.delete(message.id);
      if (message.type === 'opened') call.resolve(message.header as never);
      else if (message.type === 'failed') call.reject(new RemoteDecodeError(message.error.name, message.error.message, message.error.context));
      else call.resolve(undefined as never);
      return;
    }
    const task = slot.tasks.get(message.id);
    if (!task) return;
    slot.tasks.delete(message.id);
    if (message.type === 'decoded') task.resolve({ ...message.pcm, decodeMs: message.decodeMs });
    else if (message.type === 'failed') task.reject(new RemoteDecodeError(message.error.name, message.error.message, message.error.context));
    this.dispatch();
  }

  /** Threads keep dying before they start: stop replacing them and fail all work with the reason. */
  private giveUp(slot: Slot, detail: string): void {
    this.broken = new WorkerCrashedError(slot.workerId, `decode workers fail to start (${detail}); check that the worker script loads`);
    this.logger?.error(`ChunkLoader: ${this.broken.message}`);
    for (const task of slot.tasks.values()) task.reject(this.broken);
    for (const call of slot.calls.values()) call.reject(this.broken);
    for (const { pending } of this.backlog.splice(0)) pending.reject(this.broken);
  }

  private replace(slot: Slot, detail: string): void {
    const crashed = new WorkerCrashedError(slot.workerId, detail);
    this.logger?.warn(`ChunkLoader: ${crashed.message}; starting a replacement`);
    this.slots[slot.index] = this.spawn(slot.index);
    // Its decoders died with it: releases have nothing left to do, opens failed on this thread.
    for (const call of slot.calls.values()) call.reject(crashed);
    for (const task of slot.tasks.values()) task.reject(crashed);
    this.dispatch();
  }
}
