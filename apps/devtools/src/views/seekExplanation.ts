import type { AudioTimeline, ChunkLoad, SeekRecord } from './audioTimeline.js';

export interface SeekStep {
  readonly label: string;
  /** Ms from the request. */
  readonly at: number;
  readonly ms: number;
}

export interface SeekExplanation {
  readonly latencyMs: number | null;
  /** Time spent in each phase (loading, landing, crossfading…). */
  readonly phases: SeekStep[];
  /** Each stem's target slice ready, ms after the request, slowest last. */
  readonly stems: { lane: string; at: number }[];
  /** The last stem's target load, which the seek waited for. */
  readonly critical: ChunkLoad | null;
  /** One sentence a developer can act on. */
  readonly summary: string;
}

const short = (lane: string) => lane.replace(/^song:[^/]+\/stem:/, '');

/**
 * Why a seek took as long as it did: its phases, when each stem's target slice was ready, and the
 * load of the slowest stem (queued how long, loaded from cache or decoded, how long).
 */
export function explainSeek(timeline: AudioTimeline, seek: SeekRecord): SeekExplanation {
  const from = seek.requestedAt;
  const phases = seek.phases.map((p, i): SeekStep => {
    const next = seek.phases[i + 1]?.t ?? seek.endedAt ?? p.t;
    return { label: p.state, at: p.t - from, ms: next - p.t };
  });
  const stems = seek.stemsReady.map((s) => ({ lane: s.lane ?? `stem ${s.stem}`, at: s.t - from })).sort((a, b) => a.at - b.at);
  const last = stems.at(-1);
  const lane = last ? timeline.lanes.get(last.lane) : undefined;
  const critical = last && lane ? (lane.loads.filter((l) => l.queuedAt >= from && l.endedAt !== null && l.endedAt <= from + last.at + 1 && l.outcome === 'loaded').at(-1) ?? null) : null;
  const latency = seek.latencyMs;
  let summary: string;
  if (seek.outcome && seek.outcome !== 'done' && seek.outcome !== 'crossfading') summary = `The seek ended ${seek.outcome}.`;
  else if (!last) summary = `The target was already in the buffer: the mixer jumped after ${latency === null ? '?' : Math.round(latency)} ms.`;
  else {
    const parts = [`The seek waited ${Math.round(last.at)} ms for ${short(last.lane)}, the last of ${stems.length} stems`];
    if (critical) {
      const queued = (critical.startedAt ?? critical.queuedAt) - critical.queuedAt;
      parts.push(`its ${critical.priority} load ${critical.what} was ${critical.from === 'cache' ? 'read from the cache' : 'decoded (not cached)'} in ${Math.round(critical.loadMs ?? 0)} ms after ${Math.round(queued)} ms in the loader's queue`);
    }
    if (latency !== null) parts.push(`then ${Math.max(0, Math.round(latency - last.at))} ms until the mixer jumped (total ${Math.round(latency)} ms)`);
    summary = `${parts.join('; ')}.`;
  }
  return { latencyMs: latency, phases, stems, critical, summary };
}
