import { Subject } from 'rxjs';
import type { Observable } from 'rxjs';
import { DEFAULT_CACHE_CHUNKS, DEFAULT_WRITE_BACK_BUDGET } from './ChunkLoaderOptions.js';
import type { ChunkLoaderCoreOptions, ChunkLoaderOptions } from './ChunkLoaderOptions.js';
import { CancelledError, ChunkLoadError, LoaderStoppedError, UnknownStemError, WorkerCrashedError } from './errors.js';
import type { CancelReason, RequestContext } from './errors.js';
import { capitalise, describeFilter, describeWork, fitsSpan, jobKey, newWork } from './loaderWork.js';
import type { Requester, Work } from './loaderWork.js';
import { emptyCounters } from './metrics/LoaderEvent.js';
import type { LoaderCounters, LoaderEvent } from './metrics/LoaderEvent.js';
import { copyPcm, pcmBytes } from './pcm.js';
import { createDecodePools } from './pool/createDecodePools.js';
import type { ChunkStore } from './ports/ChunkStore.js';
import type { DecodeOutcome, DecodePool } from './ports/DecodePool.js';
import { silentLogger } from './ports/Logger.js';
import type { Logger } from './ports/Logger.js';
import type { PcmBlock } from './ports/StemDecoder.js';
import { DEFAULT_RETRY_POLICY, retryDelay } from './retry/RetryPolicy.js';
import type { RetryPolicy } from './retry/RetryPolicy.js';
import { PriorityScheduler } from './scheduler/PriorityScheduler.js';
import type { Lane, ScheduledJob, Waiter } from './scheduler/PriorityScheduler.js';
import { resolveSpan } from './scheduler/resolveSpan.js';
import type { ResolvedSpan } from './scheduler/resolveSpan.js';
import { stemKey } from './types.js';
import type { CancelFilter, ChunkSpan, LoadedChunk, Priority, StemInfo, StemRef, StemSource } from './types.js';

type Job = ScheduledJob<Work, Requester | undefined>;

const LANES: readonly Lane[] = ['store', 'decode'];
const TAG = 'ChunkLoader:';

/**
 * Fills streaming buffers: loads chunks of stems from the chunk store or by decoding, in priority
 * order (`urgent` > `normal` > `idle`, oldest first), sharing work between identical requests,
 * dropping cancelled ones, retrying failures, and writing decoded chunks of the first minute back
 * to the store at idle priority. Decoding runs in a {@link DecodePool} (worker threads by default).
 *
 * Every method is called on one thread (the engine's); results arrive as resolved promises and on
 * `loaded$`, on that thread.
 *
 * @example
 * ```ts
 * const loader = await ChunkLoader.start({ cache: streamingCacheStore(cache) });
 * const bass = await loader.openStem({ song: 's1', stem: 'bass', path: '/music/s1/bass.flac' });
 * const first = await loader.request(bass, { startFrame: 0, frameCount: 24_000 }, 'urgent'); // first 0.5 s
 * loader.request(bass, 0, 'normal');                 // then whole chunks ahead
 * loader.cancel({ song: 's1', priority: 'normal' }); // after a seek
 * await loader.stop();
 * ```
 */
export class ChunkLoader {
  /** Every delivered (non-stale) chunk, on the engine's thread. */
  readonly loaded$: Observable<LoadedChunk>;
  /** Per-request metrics, retries, cancellations, failures, crashes, cache writes. */
  readonly metrics$: Observable<LoaderEvent>;

  private readonly loadedSubject = new Subject<LoadedChunk>();
  private readonly metricsSubject = new Subject<LoaderEvent>();
  private readonly scheduler = new PriorityScheduler<Work, Requester | undefined>();
  private readonly stems = new Map<string, StemInfo>();
  private readonly store: ChunkStore | undefined;
  private readonly logger: Logger;
  private readonly retryPolicy: RetryPolicy;
  private readonly cacheChunks: number;
  private readonly writeBackBudget: number;
  private readonly slots: Record<Lane, number>;
  private readonly running: Record<Lane | 'helper', number> = { store: 0, decode: 0, helper: 0 };
  private readonly urgentHelper: DecodePool | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly retryTimers = new Set<ReturnType<typeof setTimeout>>();
  private readonly crashedWorkers = new Set<number>();
  private readonly counts: { -readonly [K in keyof LoaderCounters]: number } = emptyCounters();
  private writeBackBytes = 0;
  private stopped = false;

  /**
   * Start a loader: its decode pool (worker threads unless `workers: 0`) is running and warmed up
   * when the promise resolves.
   */
  static async start(options: ChunkLoaderOptions = {}): Promise<ChunkLoader> {
    const { pool, urgentHelper } = await createDecodePools(options);
    return new ChunkLoader(pool, { ...options, ...(urgentHelper ? { urgentHelper } : {}) });
  }

  /** Prefer `ChunkLoader.start`; this wraps a pool you made yourself (the loader stops it). */
  constructor(
    private readonly pool: DecodePool,
    options: ChunkLoaderCoreOptions = {},
  ) {
    this.store = options.cache;
    this.urgentHelper = options.urgentHelper;
    this.logger = options.logger ?? silentLogger;
    this.retryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.cacheChunks = options.cacheChunks ?? DEFAULT_CACHE_CHUNKS;
    this.writeBackBudget = options.writeBackBudgetBytes ?? DEFAULT_WRITE_BACK_BUDGET;
    this.slots = { store: Math.max(1, options.storeConcurrency ?? 2), decode: Math.max(1, pool.size) };
    this.loaded$ = this.loadedSubject.asObservable();
    this.metrics$ = this.metricsSubject.asObservable();
  }

  /** Read a stem's headers (no audio) and make it requestable. Opening it again with another path replaces it. */
  async openStem(source: StemSource): Promise<StemInfo> {
    if (this.stopped) throw new LoaderStoppedError({ song: source.song, stem: source.stem });
    const stem: StemSource = { song: source.song, stem: source.stem, path: source.path };
    // The helper opens its decoder now too, so urgent work it takes later does not pay for the open;
    // its failure is not the stem's (the pool's probe decides).
    const [header] = await Promise.all([this.pool.probe(stem), this.urgentHelper?.probe(stem).catch(() => undefined)]);
    const info: StemInfo = { song: source.song, stem: source.stem, path: source.path, ...header };
    this.stems.set(stemKey(info), info);
    this.logger.debug(`${TAG} Opened ${info.song}/${info.stem}: ${info.totalChunks} chunks, ${info.channels} ch, ${info.outputSampleRate} Hz`, { path: info.path });
    return info;
  }

  /** The stem as opened, or undefined. */
  stemInfo(ref: StemRef): StemInfo | undefined {
    return this.stems.get(stemKey(ref));
  }

  /**
   * Load a whole chunk (index) or a slice of at most one chunk. Resolves with the PCM, also
   * emitted on `loaded$`; rejects with `CancelledError` when cancelled (or `LoaderStoppedError`),
   * `ChunkLoadError` after the retries, `UnknownStemError` / `InvalidSpanError` at once.
   */
  request(ref: StemRef, span: ChunkSpan, priority: Priority): Promise<LoadedChunk> {
    if (this.stopped) return Promise.reject(new LoaderStoppedError({ song: ref.song, stem: ref.stem }));
    const stem = this.stems.get(stemKey(ref));
    if (!stem) return Promise.reject(new UnknownStemError(ref.song, ref.stem));
    let resolved: ResolvedSpan;
    try {
      resolved = resolveSpan(stem, span);
    } catch (error) {
      return Promise.reject(error);
    }
    this.counts.requests += 1;
    return new Promise<LoadedChunk>((resolve, reject) => {
      const { chunkIndex, startFrame, frameCount } = resolved;
      const context: RequestContext = { song: stem.song, stem: stem.stem, chunkIndex, startFrame, frameCount, priority };
      const { joined } = this.scheduler.submit({
        key: jobKey('load', stem, resolved),
        ref: stem,
        lane: this.storeMayHave(resolved) ? 'store' : 'decode',
        priority,
        payload: () => newWork('load', stem, resolved),
        data: { resolve, reject, requestedAt: performance.now(), context },
      });
      if (joined) this.counts.deduplicated += 1;
      this.logger.debug(
        `${TAG} ${capitalise(priority)} request for ${stem.song}/${stem.stem} chunk #${resolved.chunkIndex} (frames ${resolved.startFrame}+${resolved.frameCount})${joined ? ', shares a pending load' : ''}`,
      );
      this.pump();
    });
  }

  /**
   * Withdraw matching requests: queued ones are dropped, running ones finish but are not
   * delivered; all reject with `CancelledError`. Without `priority`, the generation of each stem
   * the filter names goes up, so anything requested before this call is stale. Returns the number
   * of requests withdrawn.
   */
  cancel(filter: CancelFilter): number {
    return this.withdraw(filter, 'cancelled', false);
  }

  /** Cancel every request of `song` (write-backs included) and release its decoders and file handles. */
  async closeSong(song: string): Promise<void> {
    if (this.stopped) return;
    this.withdraw({ song }, 'song-closed', true);
    for (const [key, stem] of this.stems) if (stem.song === song) this.stems.delete(key);
    await Promise.all([this.pool.releaseSong(song), this.urgentHelper?.releaseSong(song)]);
  }

  /** Generation of the stem: results carry the one current when they were requested. */
  generationOf(ref: StemRef): number {
    return this.scheduler.generationOf(ref);
  }

  /** Totals since start. */
  counters(): LoaderCounters {
    return { ...this.counts };
  }

  /** Requests and write-backs queued, waiting for a retry, or running. */
  get pendingJobs(): number {
    return this.scheduler.size;
  }

  /** Reject everything pending with `LoaderStoppedError`, end the workers, complete the observables. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const timer of this.retryTimers) clearTimeout(timer);
    this.retryTimers.clear();
    let count = 0;
    for (const { waiter } of this.scheduler.drain()) {
      if (!waiter.data) continue;
      waiter.data.reject(new LoaderStoppedError(waiter.data.context));
      count += 1;
    }
    this.counts.cancellations += count;
    if (count > 0) this.emit({ type: 'request.cancelled', filter: {}, reason: 'stopped', count });
    this.logger.debug(`${TAG} Stopped; ${count} pending request(s) rejected`);
    await Promise.all([this.pool.stop(), this.urgentHelper?.stop()]);
    await Promise.allSettled([...this.inFlight]);
    this.loadedSubject.complete();
    this.metricsSubject.complete();
  }

  private withdraw(filter: CancelFilter, reason: CancelReason, includeInternal: boolean): number {
    let count = 0;
    for (const { job, waiter } of this.scheduler.cancel(filter, { includeInternal })) {
      if (!waiter.data) {
        if (job.payload.kind === 'write') this.releaseWriteBack(job.payload);
        continue;
      }
      waiter.data.reject(new CancelledError(reason, waiter.data.context));
      count += 1;
    }
    this.counts.cancellations += count;
    if (count > 0) this.emit({ type: 'request.cancelled', filter, reason, count });
    this.logger.debug(`${TAG} ${reason === 'song-closed' ? 'Closed song' : 'Cancelled'} ${describeFilter(filter)}: ${count} request(s) withdrawn`);
    return count;
  }

  /** Whole chunks of the cached range are read from and written back to the store. */
  private isCacheable(span: ResolvedSpan): boolean {
    return this.store !== undefined && span.wholeChunk && span.chunkIndex < this.cacheChunks;
  }

  /** Also slices of the cached range when the store can serve ranges (e.g. an instant-start slice). */
  private storeMayHave(span: ResolvedSpan): boolean {
    return this.isCacheable(span) || (this.store?.readRange !== undefined && span.chunkIndex < this.cacheChunks);
  }

  /** Start queued jobs while their lane has free slots; then let the urgent helper take urgent work left waiting. */
  private pump(): void {
    if (this.stopped) return;
    for (const lane of LANES) {
      while (this.running[lane] < this.slots[lane]) {
        const job = this.scheduler.takeNext(lane);
        if (!job) break;
        this.start(job, lane, lane);
      }
    }
    if (this.urgentHelper && this.running.helper < this.urgentHelper.size) {
      const job = this.scheduler.takeNext('decode', 'urgent');
      if (job) this.start(job, 'decode', 'helper');
    }
  }

  private start(job: Job, lane: Lane, slot: Lane | 'helper'): void {
    this.running[slot] += 1;
    const pool = slot === 'helper' && this.urgentHelper ? this.urgentHelper : this.pool;
    const run = this.run(job, lane, pool).finally(() => {
      this.running[slot] -= 1;
      this.inFlight.delete(run);
      this.pump();
    });
    this.inFlight.add(run);
  }

  private async run(job: Job, lane: Lane, pool: DecodePool): Promise<void> {
    const work = job.payload;
    work.startedAt ??= performance.now();
    try {
      if (lane === 'decode') await this.decode(job, work, pool);
      else if (work.kind === 'load') await this.readFromStore(job, work);
      else await this.writeToStore(job, work);
    } catch (error) {
      // Every path above handles its own failures; reaching here is a bug worth seeing.
      this.logger.error(`${TAG} internal error while running ${job.key}`, { error });
    }
  }

  private async readFromStore(job: Job, work: Work): Promise<void> {
    const started = performance.now();
    let pcm: PcmBlock | undefined;
    try {
      const { chunkIndex, startFrame, frameCount, wholeChunk } = work.span;
      pcm = wholeChunk ? await this.store?.read(work.stem, chunkIndex) : await this.store?.readRange?.(work.stem, startFrame, frameCount);
    } catch (error) {
      this.logger.warn(`${TAG} Cache read failed for ${describeWork(work)}; decoding instead`, { error });
    }
    if (this.stopped) return;
    const ms = Math.round(performance.now() - started);
    if (pcm && fitsSpan(pcm, work)) {
      this.counts.hits += 1;
      this.logger.info(`${TAG} Cache HIT for ${describeWork(work)} (loaded in ${ms}ms)`);
      this.deliver(job, pcm, 'cache', undefined);
      return;
    }
    if (pcm) this.logger.warn(`${TAG} Cache entry for ${describeWork(work)} has the wrong shape; decoding instead`);
    this.counts.misses += 1;
    this.logger.info(`${TAG} Cache MISS for ${describeWork(work)} (checked in ${ms}ms), decoding`);
    if (this.scheduler.requeue(job, 'decode')) this.pump();
  }

  private async decode(job: Job, work: Work, pool: DecodePool): Promise<void> {
    let outcome: DecodeOutcome;
    try {
      outcome = await pool.decode({
        stem: { song: work.stem.song, stem: work.stem.stem, path: work.stem.path },
        chunkIndex: work.span.chunkIndex,
        startFrame: work.span.startFrame,
        frameCount: work.span.frameCount,
        wholeChunk: work.span.wholeChunk,
      });
    } catch (error) {
      if (!this.stopped) this.handleFailure(job, work, error);
      return;
    }
    if (this.stopped) return;
    this.counts.decodes += 1;
    if (work.kind === 'write') {
      work.pcm = outcome;
      if (this.scheduler.requeue(job, 'store')) this.pump();
      return;
    }
    // Not for a stem closed (or re-opened with another file) while it decoded.
    if (this.isCacheable(work.span) && this.stems.get(stemKey(work.stem)) === work.stem) this.scheduleWriteBack(work, outcome);
    this.deliver(job, outcome, 'decode', outcome.decodeMs);
  }

  private deliver(job: Job, pcm: PcmBlock, from: 'cache' | 'decode', decodeMs: number | undefined): void {
    const work = job.payload;
    const waiters = this.scheduler.complete(job).filter((w): w is Waiter<Requester> => w.data !== undefined);
    const deliveredAt = performance.now();
    const startedAt = work.startedAt ?? deliveredAt;
    waiters.forEach((waiter, i) => {
      const requester = waiter.data;
      if (!this.scheduler.isCurrent(waiter, job.ref)) {
        // Not reachable through cancel() (it withdraws waiters first); kept as the last guard
        // against delivering audio into a buffer that has moved on.
        this.counts.cancellations += 1;
        requester.reject(new CancelledError('cancelled', requester.context));
        return;
      }
      const begun = Math.max(startedAt, requester.requestedAt);
      const chunk: LoadedChunk = {
        song: work.stem.song,
        stem: work.stem.stem,
        chunkIndex: work.span.chunkIndex,
        startFrame: pcm.startFrame,
        frameCount: pcm.frameCount,
        // The first receiver takes the arrays; others sharing the job get copies, so each owns what it gets.
        channelData: i === 0 ? pcm.channelData : pcm.channelData.map((channel) => channel.slice()),
        sampleRate: pcm.sampleRate,
        from,
        errors: pcm.errors,
        generation: waiter.generation,
        timing: { queuedMs: begun - requester.requestedAt, loadMs: deliveredAt - begun },
      };
      this.loadedSubject.next(chunk);
      requester.resolve(chunk);
      this.emit({
        type: 'request.completed',
        ...requester.context,
        from,
        queuedMs: chunk.timing.queuedMs,
        loadMs: chunk.timing.loadMs,
        decodeMs,
        bytes: pcmBytes(chunk),
        attempts: work.attempts + 1,
        shared: waiters.length > 1,
      });
      this.logger.debug(`${TAG} Loaded chunk #${chunk.chunkIndex} for ${chunk.song}/${chunk.stem} (from ${from}) in ${Math.round(chunk.timing.loadMs)}ms after ${Math.round(chunk.timing.queuedMs)}ms queued`);
    });
  }

  private handleFailure(job: Job, work: Work, error: unknown): void {
    work.attempts += 1;
    if (job.waiters.length === 0) {
      this.scheduler.complete(job); // nobody waits (cancelled meanwhile): drop quietly
      return;
    }
    if (error instanceof WorkerCrashedError) {
      // One crash may take several work items with it: count and report it once.
      if (!this.crashedWorkers.has(error.workerId)) {
        this.crashedWorkers.add(error.workerId);
        this.counts.workerCrashes += 1;
        this.emit({ type: 'worker.crashed', workerId: error.workerId, detail: error.detail });
      }
      this.logger.warn(`${TAG} ${error.message}; ${work.crashRetries === 0 ? `retrying ${describeWork(work)} once` : `${describeWork(work)} was lost twice`}`);
      if (work.crashRetries === 0) {
        work.crashRetries += 1;
        this.retryAfter(job, work, 0, error);
        return;
      }
    } else if (work.attempts < this.retryPolicy.attempts) {
      this.retryAfter(job, work, retryDelay(work.attempts, this.retryPolicy), error);
      return;
    }
    this.fail(job, work, error);
  }

  private retryAfter(job: Job, work: Work, delayMs: number, error: unknown): void {
    this.counts.retries += 1;
    const message = error instanceof Error ? error.message : String(error);
    const { chunkIndex, startFrame, frameCount } = work.span;
    const context = job.waiters.find((w) => w.data)?.data?.context ?? { song: work.stem.song, stem: work.stem.stem, chunkIndex, startFrame, frameCount, priority: job.priority };
    this.emit({ type: 'request.retry', ...context, attempt: work.attempts + 1, delayMs, error: message });
    this.logger.debug(`${TAG} ${describeWork(work)} failed (${message}); attempt ${work.attempts + 1} in ${delayMs}ms`);
    this.scheduler.hold(job);
    const timer = setTimeout(() => {
      this.retryTimers.delete(timer);
      if (!this.stopped && this.scheduler.requeue(job)) this.pump();
    }, delayMs);
    this.retryTimers.add(timer);
  }

  private fail(job: Job, work: Work, cause: unknown): void {
    const waiters = this.scheduler.complete(job);
    if (work.kind === 'write') {
      this.releaseWriteBack(work);
      this.counts.writeBackFailures += 1;
      this.emitWrite('cache.write-failed', work, 0, String(cause instanceof Error ? cause.message : cause));
      this.logger.warn(`${TAG} Could not decode ${describeWork(work)} for the cache`, { error: cause });
      return;
    }
    let first: ChunkLoadError | undefined;
    for (const waiter of waiters) {
      if (!waiter.data) continue;
      const error = new ChunkLoadError(waiter.data.context, work.stem.path, work.attempts, cause);
      first ??= error;
      this.counts.failures += 1;
      waiter.data.reject(error);
    }
    if (!first) return;
    this.emit({ type: 'stem.failed', song: work.stem.song, stem: work.stem.stem, chunkIndex: work.span.chunkIndex, error: first });
    this.logger.error(`${TAG} ${first.message}`);
  }

  private scheduleWriteBack(work: Work, decoded: PcmBlock): void {
    const bytes = pcmBytes(decoded);
    this.scheduler.submit({
      key: jobKey('write', work.stem, work.span),
      ref: work.stem,
      internal: true,
      priority: 'idle',
      data: undefined,
      // Within the budget, keep a copy now (the receiver owns the delivered arrays and may transfer
      // them away); beyond it, decode the chunk again when the write's turn comes.
      lane: this.writeBackBytes + bytes <= this.writeBackBudget ? 'store' : 'decode',
      payload: () => {
        const write = newWork('write', work.stem, work.span);
        if (this.writeBackBytes + bytes <= this.writeBackBudget) {
          write.pcm = copyPcm(decoded);
          write.budgeted = bytes;
          this.writeBackBytes += bytes;
        }
        return write;
      },
    });
  }

  private async writeToStore(job: Job, work: Work): Promise<void> {
    const started = performance.now();
    try {
      if (!this.store || !work.pcm) throw new Error('nothing to write (no store or no PCM)');
      await this.store.write(work.stem, work.span.chunkIndex, work.pcm);
      this.counts.writeBacks += 1;
      this.emitWrite('cache.written', work, performance.now() - started);
      this.logger.debug(`${TAG} Wrote ${describeWork(work)} to the cache in ${Math.round(performance.now() - started)}ms`);
    } catch (error) {
      this.counts.writeBackFailures += 1;
      this.emitWrite('cache.write-failed', work, performance.now() - started, error instanceof Error ? error.message : String(error));
      this.logger.warn(`${TAG} Cache write failed for ${describeWork(work)}`, { error });
    } finally {
      this.releaseWriteBack(work);
      this.scheduler.complete(job);
    }
  }

  /** Give a write-back's PCM back to the budget (idempotent). */
  private releaseWriteBack(work: Work): void {
    this.writeBackBytes -= work.budgeted;
    work.budgeted = 0;
  }

  private emitWrite(type: 'cache.written' | 'cache.write-failed', work: Work, writeMs: number, error?: string): void {
    this.emit({
      type,
      song: work.stem.song,
      stem: work.stem.stem,
      chunkIndex: work.span.chunkIndex,
      writeMs,
      bytes: work.pcm ? pcmBytes(work.pcm) : 0,
      ...(error === undefined ? {} : { error }),
    });
  }

  private emit(event: DistributiveOmit<LoaderEvent, 'at' | 'counters'>): void {
    this.metricsSubject.next({ ...event, at: performance.now(), counters: this.counters() } as LoaderEvent);
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

