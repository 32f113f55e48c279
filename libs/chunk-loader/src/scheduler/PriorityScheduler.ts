import { PRIORITIES, stemKey } from '../types.js';
import type { CancelFilter, Priority, StemRef } from '../types.js';

/**
 * Which resource a job needs next: `store` = the chunk store on the calling thread (cache reads
 * and write-backs), `decode` = a decode-pool slot. Each lane has its own slots, so a cache read
 * never waits behind a decode and vice versa; a job moves from `store` to `decode` on a cache miss.
 */
export type Lane = 'store' | 'decode';

/** One party waiting for a job's result. Several waiters on one job = deduplicated requests. */
export interface Waiter<W> {
  readonly id: number;
  readonly priority: Priority;
  /** Submission order, increasing across the whole scheduler: "oldest first" compares these. */
  readonly seq: number;
  /** The stem's generation at submission. */
  readonly generation: number;
  /** The loader's own work (cache write-back): never matched by `cancel` filters. */
  readonly internal: boolean;
  readonly data: W;
}

export type JobState = 'queued' | 'running' | 'held';

/** A unit of work: one stem + span, shared by all its waiters. Read-only outside the scheduler. */
export interface ScheduledJob<P, W> {
  readonly key: string;
  readonly ref: StemRef;
  readonly payload: P;
  readonly lane: Lane;
  /** `held` = out of the queue but still known for dedup, e.g. while a retry backoff runs. */
  readonly state: JobState;
  /** Highest priority among the waiters. */
  readonly priority: Priority;
  readonly waiters: readonly Waiter<W>[];
}

interface JobRecord<P, W> {
  key: string;
  ref: StemRef;
  payload: P;
  lane: Lane;
  state: JobState;
  priority: Priority;
  /** Position within its priority queue: the seq of the oldest waiter at the job's priority. */
  order: number;
  waiters: Waiter<W>[];
}

export interface SubmitRequest<P, W> {
  readonly key: string;
  readonly ref: StemRef;
  readonly lane: Lane;
  readonly priority: Priority;
  /** Called only when no job with this key exists yet. */
  readonly payload: () => P;
  readonly data: W;
  readonly internal?: boolean;
}

export interface Submitted<P, W> {
  readonly job: ScheduledJob<P, W>;
  readonly waiter: Waiter<W>;
  /** True when the request joined an existing job (deduplicated) instead of creating one. */
  readonly joined: boolean;
}

export interface Withdrawn<P, W> {
  readonly job: ScheduledJob<P, W>;
  readonly waiter: Waiter<W>;
}

const RANK: Record<Priority, number> = { urgent: 0, normal: 1, idle: 2 };

/**
 * The loader's queue, pure and synchronous (no timers, no I/O), so ordering rules are testable
 * on their own:
 * - `urgent` jobs are taken before `normal`, `normal` before `idle`; `idle` only while no
 *   `urgent` or `normal` job is queued in any lane. Within a priority, oldest first.
 * - Two submissions with the same key share one job (dedup); a more urgent submission lifts a
 *   queued job to its priority.
 * - `cancel` withdraws matching waiters; a queued job left without waiters is dropped, a running
 *   one keeps running but its result reaches nobody. Each stem has a generation number that a
 *   cancel without a priority restriction increments, so work requested before it is stale.
 *
 * Called on one thread only (the loader's).
 *
 * @example
 * ```ts
 * const s = new PriorityScheduler<string, number>();
 * s.submit({ key: 'a', ref, lane: 'decode', priority: 'normal', payload: () => 'a', data: 1 });
 * s.submit({ key: 'b', ref, lane: 'decode', priority: 'urgent', payload: () => 'b', data: 2 });
 * s.takeNext('decode')?.key; // 'b'
 * ```
 */
export class PriorityScheduler<P, W> {
  private readonly jobs = new Map<string, JobRecord<P, W>>();
  private readonly queues: Record<Lane, Record<Priority, JobRecord<P, W>[]>> = {
    store: { urgent: [], normal: [], idle: [] },
    decode: { urgent: [], normal: [], idle: [] },
  };
  private readonly generations = new Map<string, { ref: StemRef; generation: number }>();
  private nextSeq = 0;
  private nextWaiterId = 0;

  submit(request: SubmitRequest<P, W>): Submitted<P, W> {
    const waiter: Waiter<W> = {
      id: this.nextWaiterId++,
      priority: request.priority,
      seq: this.nextSeq++,
      generation: this.generationOf(request.ref),
      internal: request.internal ?? false,
      data: request.data,
    };
    const existing = this.jobs.get(request.key);
    if (existing) {
      existing.waiters.push(waiter);
      this.reprioritise(existing);
      return { job: existing, waiter, joined: true };
    }
    const job: JobRecord<P, W> = {
      key: request.key,
      ref: request.ref,
      payload: request.payload(),
      lane: request.lane,
      state: 'queued',
      priority: request.priority,
      order: waiter.seq,
      waiters: [waiter],
    };
    this.jobs.set(job.key, job);
    this.insert(job);
    return { job, waiter, joined: false };
  }

  /**
   * The next job for `lane`, now `running`; undefined when that lane has nothing it may run.
   * With `only`, just the oldest job of that priority (e.g. for a slot that helps with urgent work).
   */
  takeNext(lane: Lane, only?: Priority): ScheduledJob<P, W> | undefined {
    for (const priority of PRIORITIES) {
      if (only !== undefined && priority !== only) continue;
      if (priority === 'idle' && this.hasQueuedAbove('idle')) return undefined;
      const job = this.queues[lane][priority].shift();
      if (job) {
        job.state = 'running';
        return job;
      }
    }
    return undefined;
  }

  /** A running job finished: forget it and return the waiters that still want its result. */
  complete(job: ScheduledJob<P, W>): readonly Waiter<W>[] {
    const record = this.own(job);
    if (!record) return [];
    this.jobs.delete(record.key);
    return record.waiters;
  }

  /** Take a running job out of the queues but keep it for dedup (e.g. during a retry backoff). */
  hold(job: ScheduledJob<P, W>): void {
    const record = this.own(job);
    if (record && record.state === 'running') record.state = 'held';
  }

  /**
   * Put a running or held job back in the queue of `lane` at its old place (it stays the oldest).
   * Returns false, dropping the job, when nobody waits for it any more.
   */
  requeue(job: ScheduledJob<P, W>, lane: Lane = job.lane): boolean {
    const record = this.own(job);
    if (!record || record.state === 'queued') return record !== undefined;
    if (record.waiters.length === 0) {
      this.jobs.delete(record.key);
      return false;
    }
    record.lane = lane;
    record.state = 'queued';
    this.insert(record);
    return true;
  }

  /**
   * Withdraw the waiters that match `filter` (internal ones too when `includeInternal`) and return
   * them. Jobs left without waiters leave the queue; running ones finish unobserved. Without a
   * `priority` in the filter, the generation of every known stem the filter names is incremented.
   */
  cancel(filter: CancelFilter, options: { includeInternal?: boolean } = {}): Withdrawn<P, W>[] {
    const withdrawn: Withdrawn<P, W>[] = [];
    for (const job of [...this.jobs.values()]) {
      if (!matchesRef(filter, job.ref)) continue;
      const keep: Waiter<W>[] = [];
      for (const waiter of job.waiters) {
        const matches = (options.includeInternal || !waiter.internal) && (filter.priority === undefined || filter.priority === waiter.priority);
        if (matches) withdrawn.push({ job, waiter });
        else keep.push(waiter);
      }
      if (keep.length === job.waiters.length) continue;
      job.waiters = keep;
      if (keep.length === 0 && job.state !== 'running') {
        this.removeFromQueue(job);
        this.jobs.delete(job.key);
      } else if (keep.length > 0) {
        this.reprioritise(job);
      }
    }
    if (filter.priority === undefined) {
      for (const entry of this.generations.values()) {
        if (matchesRef(filter, entry.ref)) entry.generation += 1;
      }
    }
    return withdrawn;
  }

  /** Forget every job; return all their waiters (for `stop()`). */
  drain(): Withdrawn<P, W>[] {
    const all: Withdrawn<P, W>[] = [];
    for (const job of this.jobs.values()) for (const waiter of job.waiters) all.push({ job, waiter });
    this.jobs.clear();
    for (const lane of Object.values(this.queues)) for (const priority of PRIORITIES) lane[priority].length = 0;
    return all;
  }

  /** The stem's current generation (0 until the first cancel that names it). */
  generationOf(ref: StemRef): number {
    const key = stemKey(ref);
    let entry = this.generations.get(key);
    if (!entry) {
      entry = { ref: { song: ref.song, stem: ref.stem }, generation: 0 };
      this.generations.set(key, entry);
    }
    return entry.generation;
  }

  /** True while `waiter` has not been withdrawn and its stem's generation is unchanged. */
  isCurrent(waiter: Waiter<W>, ref: StemRef): boolean {
    return waiter.generation === this.generationOf(ref);
  }

  /** Jobs waiting in the queues (optionally of one priority or lane). */
  queuedCount(filter: { priority?: Priority; lane?: Lane } = {}): number {
    let count = 0;
    for (const lane of ['store', 'decode'] as const) {
      if (filter.lane && filter.lane !== lane) continue;
      for (const priority of PRIORITIES) {
        if (!filter.priority || filter.priority === priority) count += this.queues[lane][priority].length;
      }
    }
    return count;
  }

  /** Jobs known in any state. */
  get size(): number {
    return this.jobs.size;
  }

  private hasQueuedAbove(priority: Priority): boolean {
    return PRIORITIES.some((p) => RANK[p] < RANK[priority] && (this.queues.store[p].length > 0 || this.queues.decode[p].length > 0));
  }

  private own(job: ScheduledJob<P, W>): JobRecord<P, W> | undefined {
    const record = this.jobs.get(job.key);
    return record === job ? record : undefined;
  }

  private reprioritise(job: JobRecord<P, W>): void {
    let best: Priority = 'idle';
    for (const waiter of job.waiters) if (RANK[waiter.priority] < RANK[best]) best = waiter.priority;
    let order = Infinity;
    for (const waiter of job.waiters) if (waiter.priority === best) order = Math.min(order, waiter.seq);
    if (best === job.priority && order === job.order) return;
    const queued = job.state === 'queued';
    if (queued) this.removeFromQueue(job);
    job.priority = best;
    job.order = order;
    if (queued) this.insert(job);
  }

  private insert(job: JobRecord<P, W>): void {
    const queue = this.queues[job.lane][job.priority];
    let lo = 0;
    let hi = queue.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (queue[mid].order < job.order) lo = mid + 1;
      else hi = mid;
    }
    queue.splice(lo, 0, job);
  }

  private removeFromQueue(job: JobRecord<P, W>): void {
    const queue = this.queues[job.lane][job.priority];
    const at = queue.indexOf(job);
    if (at >= 0) queue.splice(at, 1);
  }
}

function matchesRef(filter: CancelFilter, ref: StemRef): boolean {
  return (filter.song === undefined || filter.song === ref.song) && (filter.stem === undefined || filter.stem === ref.stem);
}
