import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { RemoteDecodeError, WorkerCrashedError } from '../errors.js';
import type { DecodeOutcome, DecodePool, DecodeTask, StemHeader } from '../ports/DecodePool.js';
import { silentLogger } from '../ports/Logger.js';
import type { Logger } from '../ports/Logger.js';
import type { DecoderFactory, DecoderOptions } from '../ports/StemDecoder.js';
import type { StemSource } from '../types.js';
import { headerOf } from './DecoderRegistry.js';
import { decodeRequest, openRequest, releaseSongRequest } from './workerProtocol.js';
import type { FromWorker, ToWorker, WorkerConfig } from './workerProtocol.js';
import { decodeWorkerScript } from './workerScript.js';
import type { WorkerScript } from './workerScript.js';

/** Replacement workers that may die before becoming ready, in a row, before the pool gives up. */
const MAX_FAILED_STARTS = 3;

export interface WorkerDecodePoolOptions {
  /** Worker threads (default {@link defaultWorkerCount}). */
  readonly workers?: number;
  /**
   * Tasks handed to one worker at once (default 2): the next task waits inside the worker, so it
   * starts the moment the previous one ends instead of a message round trip later (matters for
   * first audio: 30 decodes of ~1 ms each). The price: work already handed over cannot be
   * overtaken, so an urgent request may wait behind one more work item per worker — unless the
   * loader's urgent helper takes it.
   */
  readonly tasksPerWorker?: number;
  readonly decoderOptions: DecoderOptions;
  /**
   * Opens a decoder on the calling thread. Used only when no worker could open a stem, to throw
   * the decoder's own typed error (e.g. `FlacFormatError`), which cannot cross threads as such.
   */
  readonly probeFactory: DecoderFactory;
  readonly logger?: Logger;
  /** The worker entry (default: the loader's decode worker); tests pass instrumented ones. */
  readonly script?: WorkerScript;
}

/**
 * One worker per core but one, so the loader's thread (engine, cache reads and writes) keeps a
 * core; at least one. On the 2-core reference machine: 1 worker.
 */
export function defaultWorkerCount(): number {
  return Math.max(1, availableParallelism() - 1);
}

interface Pending<T> {
  readonly resolve: (value: T) => void;
  readonly reject: (error: unknown) => void;
}

interface Slot {
  readonly index: number;
  readonly workerId: number;
  readonly worker: Worker;
  readonly ready: Promise<void>;
  isReady: boolean;
  /** Decodes handed to this worker, by message id (at most `tasksPerWorker`). */
  readonly tasks: Map<number, Pending<DecodeOutcome>>;
  /** Opens and releases sent to this worker, by message id (they queue behind its decode). */
  readonly calls: Map<number, Pending<never>>;
  lastError: Error | undefined;
}

/**
 * A {@link DecodePool} of Node `worker_threads`. Each worker keeps its stems' decoders and file
 * handles open between tasks; PCM comes back in transfer lists. A worker that dies is replaced at
 * once and its tasks reject with `WorkerCrashedError` (the loader retries each once).
 * Called on the loader's thread.
 *
 * @example
 * ```ts
 * const pool = await WorkerDecodePool.start({ workers: 2, decoderOptions: { chunkSeconds: 5 }, probeFactory });
 * const pcm = await pool.decode({ stem, chunkIndex: 0, startFrame: 0, frameCount: 240_000, wholeChunk: true });
 * await pool.stop();
 * ```
 */
export class WorkerDecodePool implements DecodePool {
  /** Tasks it runs at once: workers × tasks per worker. */
  readonly size: number;
  readonly workers: number;
  private readonly tasksPerWorker: number;
  private readonly slots: Slot[] = [];
  private readonly backlog: { task: DecodeTask; pending: Pending<DecodeOutcome> }[] = [];
  private readonly logger: Logger;
  private readonly script: WorkerScript;
  private nextWorkerId = 0;
  private nextMessageId = 0;
  private stopping = false;
  /** Replacement workers that died before becoming ready, in a row: a broken install, not a crash. */
  private failedStarts = 0;
  private broken: WorkerCrashedError | undefined;

  /** Start the workers and wait until each has loaded its modules. */
  static async start(options: WorkerDecodePoolOptions): Promise<WorkerDecodePool> {
    const pool = new WorkerDecodePool(options);
    try {
      await Promise.all(pool.slots.map((slot) => slot.ready));
    } catch (error) {
      await pool.stop();
      throw error;
    }
    return pool;
  }

  private constructor(private readonly options: WorkerDecodePoolOptions) {
    this.workers = Math.max(1, options.workers ?? defaultWorkerCount());
    this.tasksPerWorker = Math.max(1, options.tasksPerWorker ?? 2);
    this.size = this.workers * this.tasksPerWorker;
    this.logger = options.logger ?? silentLogger;
    this.script = options.script ?? decodeWorkerScript();
    for (let index = 0; index < this.workers; index++) this.slots.push(this.spawn(index));
  }

  /**
   * Every worker opens the stem's decoder now (kept for its decodes, so the first request does not
   * pay for opening the file); the first header to arrive answers. If no worker can open it, the
   * stem is opened here to throw the decoder's own error.
   */
  async probe(stem: StemSource): Promise<StemHeader> {
    if (this.stopping) throw new Error('decode pool stopped');
    try {
      return await Promise.any(this.slots.map((slot) => this.call<StemHeader>(slot, (id) => openRequest(id, stem))));
    } catch {
      const decoder = await this.options.probeFactory(stem.path, this.options.decoderOptions);
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
        await slot.worker.terminate();
      }),
    );
  }

  /** Worker ids in use, slot by slot (a replaced worker gets a new id). */
  get workerIds(): number[] {
    return this.slots.map((slot) => slot.workerId);
  }

  /** Hand backlog tasks to the least busy workers that have room. */
  private dispatch(): void {
    while (this.backlog.length > 0) {
      let target: Slot | undefined;
      for (const slot of this.slots) if (slot.tasks.size < this.tasksPerWorker && (!target || slot.tasks.size < target.tasks.size)) target = slot;
      if (!target) return;
      const next = this.backlog.shift();
      if (!next) return;
      const { task, pending } = next;
      const id = this.nextMessageId++;
      target.tasks.set(id, pending);
      target.worker.postMessage(decodeRequest(id, task));
    }
  }

  private spawn(index: number): Slot {
    const workerId = this.nextWorkerId++;
    const config: WorkerConfig = { workerId, decoderOptions: this.options.decoderOptions };
    const worker = new Worker(this.script.url, {
      workerData: config,
      ...(this.script.execArgv ? { execArgv: this.script.execArgv } : {}),
    });
    let markReady!: () => void;
    let failStart!: (error: unknown) => void;
    const ready = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      failStart = reject;
    });
    ready.catch(() => undefined); // observed by start(); a replacement's failure surfaces as a crash
    const slot: Slot = { index, workerId, worker, ready, isReady: false, tasks: new Map(), calls: new Map(), lastError: undefined };
    worker.on('message', (message: FromWorker) => {
      if (message.type === 'ready') {
        slot.isReady = true;
        this.failedStarts = 0;
        markReady();
      } else this.onReply(slot, message);
    });
    worker.on('error', (error) => {
      slot.lastError = error;
    });
    worker.on('exit', (code) => {
      const detail = slot.lastError ? `${slot.lastError.name}: ${slot.lastError.message}` : `exited with code ${code}`;
      if (!slot.isReady) failStart(new WorkerCrashedError(workerId, `${detail} before it was ready`));
      if (this.stopping) return;
      if (!slot.isReady && ++this.failedStarts >= MAX_FAILED_STARTS) this.giveUp(slot, detail);
      else this.replace(slot, detail);
    });
    return slot;
  }

  /** Send a request that is not a decode and wait for its reply. */
  private call<T>(slot: Slot, message: (id: number) => ToWorker): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const id = this.nextMessageId++;
      slot.calls.set(id, { resolve: resolve as (value: never) => void, reject });
      slot.worker.postMessage(message(id));
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

  /** Workers keep dying before they start: stop replacing them and fail all work with the reason. */
  private giveUp(slot: Slot, detail: string): void {
    this.broken = new WorkerCrashedError(slot.workerId, `decode workers fail to start (${detail}); check the installation`);
    this.logger.error(`ChunkLoader: ${this.broken.message}`);
    for (const task of slot.tasks.values()) task.reject(this.broken);
    for (const call of slot.calls.values()) call.reject(this.broken);
    for (const { pending } of this.backlog.splice(0)) pending.reject(this.broken);
  }

  private replace(slot: Slot, detail: string): void {
    const crashed = new WorkerCrashedError(slot.workerId, detail);
    this.logger.warn(`ChunkLoader: ${crashed.message}; starting a replacement`);
    this.slots[slot.index] = this.spawn(slot.index);
    // Its decoders died with it: releases have nothing left to do, opens failed on this worker.
    for (const call of slot.calls.values()) call.reject(crashed);
    for (const task of slot.tasks.values()) task.reject(crashed);
    this.dispatch();
  }
}
