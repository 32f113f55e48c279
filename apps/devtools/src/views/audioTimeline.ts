import type { CheckedMessage } from '../protocol/validateMessage.js';
import type { SessionLog } from '../session/SessionLog.js';
import { formatStateValue } from '../session/formatStateValue.js';

/** One chunk load of one stem: queued (asked) → started (the loader took it) → delivered. */
export interface ChunkLoad {
  /** The stem loader's systemId (`song:a/stem:bass`). */
  readonly lane: string;
  readonly requestId: number;
  /** `#3` for chunk 3, or `frames 48000+24000` for a slice. */
  readonly what: string;
  readonly priority: string;
  readonly purpose: string;
  readonly set: number;
  readonly queuedAt: number;
  startedAt: number | null;
  endedAt: number | null;
  outcome: 'pending' | 'loaded' | 'cancelled' | 'failed';
  from: 'cache' | 'decode' | null;
  loadMs: number | null;
  queuedMs: number | null;
  /** Log index of the request, and of its outcome. */
  readonly index: number;
  endIndex: number | null;
}

export interface FillSample {
  readonly t: number;
  readonly seconds: number;
}

export interface UnderrunMark {
  readonly t: number;
  /** Underrun quanta since the previous metrics sample. */
  readonly count: number;
}

export interface SeekRecord {
  readonly sessionId: string;
  readonly label: string;
  readonly requestedAt: number;
  endedAt: number | null;
  latencyMs: number | null;
  outcome: string | null;
  /** State entered, and when. */
  readonly phases: { state: string; t: number }[];
  /** Each stem's target slice ready (SEEK.STEM_READY), in arrival order. */
  readonly stemsReady: { stem: number; lane: string | null; t: number }[];
  /** The seek's stem loaders, by stem index (from its context). */
  loaders: string[];
  readonly index: number;
}

export interface TimelineMarker {
  readonly t: number;
  readonly kind: 'first-audio' | 'song';
  readonly label: string;
}

export interface StemLane {
  readonly key: string;
  readonly fill: FillSample[];
  readonly underruns: UnderrunMark[];
  readonly loads: ChunkLoad[];
}

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * The audio timelines of a session, built from its messages as they arrive: per stem, buffer fill
 * and underruns (from metrics) and chunk loads (FETCH.REQUEST → FETCH.LOADED events of the stem
 * loaders); seeks with their phases, the stems they waited for and their latency; first audio and
 * song starts.
 */
export class AudioTimeline {
  readonly lanes = new Map<string, StemLane>();
  readonly seeks: SeekRecord[] = [];
  readonly markers: TimelineMarker[] = [];
  private readonly loads = new Map<string, ChunkLoad>();
  private readonly seekBySession = new Map<string, SeekRecord>();
  private readonly lastUnderruns = new Map<string, number>();
  private readonly firstAudioSeen = new Set<string>();
  private readonly songPlaying = new Set<string>();
  private applied = 0;

  constructor(private readonly log: SessionLog) {}

  /** Applies the log's messages not applied yet. */
  catchUp(): this {
    const { messages } = this.log;
    for (; this.applied < messages.length; this.applied++) this.apply(messages[this.applied], this.applied);
    return this;
  }

  lane(key: string): StemLane {
    let lane = this.lanes.get(key);
    if (!lane) {
      lane = { key, fill: [], underruns: [], loads: [] };
      this.lanes.set(key, lane);
    }
    return lane;
  }

  private systemIdOf(sessionId: string | undefined): string | undefined {
    return sessionId ? this.log.actors.get(sessionId)?.systemId : undefined;
  }

  private apply(message: CheckedMessage, index: number): void {
    switch (message.type) {
      case 'metrics':
        return this.metrics(message.metrics, message.t);
      case 'event':
        return this.event(message.sessionId, message.sourceId, message.event, message.t, index);
      case 'actor.created': {
        if (message.machine?.id === 'seek' || /\/seek:/.test(message.systemId ?? '')) {
          const seek: SeekRecord = { sessionId: message.sessionId, label: message.systemId ?? message.id, requestedAt: message.t, endedAt: null, latencyMs: null, outcome: null, phases: [], stemsReady: [], loaders: [], index };
          this.seeks.push(seek);
          this.seekBySession.set(message.sessionId, seek);
        }
        return;
      }
      case 'snapshot': {
        const seek = this.seekBySession.get(message.sessionId);
        if (seek) {
          const state = formatStateValue(message.value);
          if (seek.phases.at(-1)?.state !== state) seek.phases.push({ state, t: message.t });
          const context = isRec(message.context) ? message.context : {};
          seek.latencyMs = num(context.latencyMs) ?? seek.latencyMs;
          if (Array.isArray(context.stemLoaders)) seek.loaders = context.stemLoaders.map((ref) => (isRec(ref) && typeof ref.actor === 'string' ? ref.actor : ''));
          if (message.status !== 'active') {
            seek.endedAt ??= message.t;
            seek.outcome = state;
          }
          return;
        }
        const systemId = this.systemIdOf(message.sessionId);
        if (systemId && /^song:[^/]+$/.test(systemId) && formatStateValue(message.value).startsWith('playing') && !this.songPlaying.has(message.sessionId)) {
          this.songPlaying.add(message.sessionId);
          this.markers.push({ t: message.t, kind: 'song', label: `▶ ${systemId.slice(5)}` });
        }
        return;
      }
      case 'actor.stopped': {
        const seek = this.seekBySession.get(message.sessionId);
        if (seek) seek.endedAt ??= message.t;
        return;
      }
      default:
        return;
    }
  }

  private metrics(metrics: unknown, t: number): void {
    if (!isRec(metrics) || !Array.isArray(metrics.songs)) return;
    for (const song of metrics.songs) {
      if (!isRec(song) || typeof song.song !== 'string' || !isRec(song.stems)) continue;
      const instanceKey = `${song.song}#${String(song.instance)}`;
      const firstAudio = num(song.firstAudioMs);
      if (firstAudio !== null && !this.firstAudioSeen.has(instanceKey)) {
        this.firstAudioSeen.add(instanceKey);
        this.markers.push({ t, kind: 'first-audio', label: `first audio ${song.song}: ${Math.round(firstAudio)} ms` });
      }
      for (const [stem, fill] of Object.entries(song.stems)) {
        if (!isRec(fill)) continue;
        const lane = this.lane(`song:${song.song}/stem:${stem}`);
        const seconds = num(fill.bufferedSeconds);
        if (seconds !== null) lane.fill.push({ t, seconds });
        const underruns = num(fill.underruns);
        if (underruns === null) continue;
        const key = `${instanceKey}/${stem}`;
        const before = this.lastUnderruns.get(key) ?? 0;
        if (underruns > before) lane.underruns.push({ t, count: underruns - before });
        this.lastUnderruns.set(key, underruns);
      }
    }
  }

  private event(target: string, source: string | undefined, event: unknown, t: number, index: number): void {
    if (!isRec(event) || typeof event.type !== 'string') return;
    const request = isRec(event.request) ? event.request : null;
    switch (event.type) {
      case 'FETCH.REQUEST': {
        const lane = this.systemIdOf(source);
        const id = num(request?.id);
        if (!lane || !request || id === null) return;
        const span = request.span;
        const what = typeof span === 'number' ? `#${span}` : `frames ${String(request.start)}+${Number(request.end) - Number(request.start)}`;
        const load: ChunkLoad = {
          lane,
          requestId: id,
          what,
          priority: String(request.priority ?? ''),
          purpose: String(request.purpose ?? 'fill'),
          set: num(request.set) ?? 0,
          queuedAt: t,
          startedAt: null,
          endedAt: null,
          outcome: 'pending',
          from: null,
          loadMs: null,
          queuedMs: null,
          index,
          endIndex: null,
        };
        this.loads.set(`${source}#${id}`, load);
        this.lane(lane).loads.push(load);
        return;
      }
      case 'FETCH.LOADED':
      case 'FETCH.FAILED':
      case 'FETCH.CANCELLED': {
        const load = this.loads.get(`${target}#${String(request?.id)}`);
        if (!load) return;
        this.loads.delete(`${target}#${String(request?.id)}`);
        load.endedAt = t;
        load.endIndex = index;
        load.outcome = event.type === 'FETCH.LOADED' ? 'loaded' : event.type === 'FETCH.FAILED' ? 'failed' : 'cancelled';
        const chunk = isRec(event.chunk) ? event.chunk : null;
        if (chunk) {
          load.from = chunk.from === 'cache' ? 'cache' : 'decode';
          const timing = isRec(chunk.timing) ? chunk.timing : {};
          load.loadMs = num(timing.loadMs);
          load.queuedMs = num(timing.queuedMs);
          // The loader measured its own work: it started loadMs before delivery (never before it was asked).
          load.startedAt = load.loadMs === null ? null : Math.max(load.queuedAt, t - load.loadMs);
        }
        return;
      }
      case 'SEEK.STEM_READY': {
        const seek = this.seekBySession.get(target);
        const stem = num(event.stem);
        if (!seek || stem === null) return;
        seek.stemsReady.push({ stem, lane: this.systemIdOf(source) ?? this.systemIdOf(seek.loaders[stem]) ?? null, t });
        return;
      }
      default:
        return;
    }
  }
}
