import type { AudioTimeline, ChunkLoad, SeekRecord, TimelineMarker } from './audioTimeline.js';

/** The visible window: times (ms since the epoch) mapped onto `width` pixels. */
export interface TimeWindow {
  readonly from: number;
  readonly to: number;
  readonly width: number;
}

export interface LoadBar {
  readonly load: ChunkLoad;
  /** Queued part (asked → started), then the loading part (started → delivered or now). */
  readonly queuedX: number;
  readonly startX: number;
  readonly endX: number;
}

export interface LaneLayout {
  readonly key: string;
  /** Fill polyline in lane coordinates: x in pixels, y from 0 (full) to 1 (empty). */
  readonly fill: { x: number; y: number }[];
  readonly underrunXs: { x: number; count: number }[];
  readonly loads: LoadBar[];
}

export interface TimelineLayout {
  readonly lanes: LaneLayout[];
  readonly seeks: { seek: SeekRecord; x: number; endX: number }[];
  readonly markers: { marker: TimelineMarker; x: number }[];
  /** The fill scale's top (seconds of buffer drawn as a full lane). */
  readonly maxFillSeconds: number;
}

export const timeToX = (w: TimeWindow, t: number): number => ((t - w.from) / (w.to - w.from)) * w.width;
export const xToTime = (w: TimeWindow, x: number): number => w.from + (x / w.width) * (w.to - w.from);

const visible = (w: TimeWindow, start: number, end: number) => end >= w.from && start <= w.to;

/**
 * Pixel layout of the audio timelines for a window, showing only what happened up to `until` (the
 * cursor): fill polylines, underrun ticks, load bars (an unfinished load reaches `until`), seeks
 * and markers. Lanes in `order` (e.g. the stems of the selected song), or all, sorted by name.
 */
export function layoutTimeline(timeline: AudioTimeline, window: TimeWindow, until: number, order?: readonly string[]): TimelineLayout {
  const keys = order ?? [...timeline.lanes.keys()].sort();
  let maxFillSeconds = 1;
  for (const key of keys) for (const s of timeline.lanes.get(key)?.fill ?? []) if (s.t <= until && s.seconds > maxFillSeconds) maxFillSeconds = s.seconds;
  const x = (t: number) => timeToX(window, t);
  const lanes = keys.map((key): LaneLayout => {
    const lane = timeline.lanes.get(key);
    if (!lane) return { key, fill: [], underrunXs: [], loads: [] };
    const samples = lane.fill.filter((s) => s.t <= until);
    // One sample either side of the window keeps the line continuous at its edges.
    const first = Math.max(0, samples.findIndex((s) => s.t >= window.from) - 1);
    let last = samples.findIndex((s) => s.t > window.to);
    last = last === -1 ? samples.length : last + 1;
    const fill = samples.slice(first, last).map((s) => ({ x: x(s.t), y: 1 - s.seconds / maxFillSeconds }));
    const underrunXs = lane.underruns.filter((u) => u.t <= until && visible(window, u.t, u.t)).map((u) => ({ x: x(u.t), count: u.count }));
    const loads = lane.loads
      .filter((l) => l.queuedAt <= until && visible(window, l.queuedAt, l.endedAt !== null && l.endedAt <= until ? l.endedAt : until))
      .map((load): LoadBar => {
        const delivered = load.endedAt !== null && load.endedAt <= until;
        const end = delivered ? (load.endedAt as number) : until;
        // When it started is told with the delivery (the loader's own timing): before that it is still queued.
        const started = delivered ? (load.startedAt ?? end) : until;
        return { load, queuedX: x(load.queuedAt), startX: x(started), endX: x(end) };
      });
    return { key, fill, underrunXs, loads };
  });
  const seeks = timeline.seeks
    .filter((s) => s.requestedAt <= until && visible(window, s.requestedAt, s.endedAt ?? until))
    .map((seek) => ({ seek, x: x(seek.requestedAt), endX: x(seek.endedAt !== null && seek.endedAt <= until ? seek.endedAt : until) }));
  const markers = timeline.markers.filter((m) => m.t <= until && visible(window, m.t, m.t)).map((marker) => ({ marker, x: x(marker.t) }));
  return { lanes, seeks, markers, maxFillSeconds };
}

/** Zooms a window by `factor` (< 1 zooms in) around time `at`; never narrower than 10 ms. */
export function zoomWindow(w: TimeWindow, factor: number, at: number): TimeWindow {
  const span = Math.max(10, (w.to - w.from) * factor);
  const ratio = (at - w.from) / (w.to - w.from);
  const from = at - ratio * span;
  return { from, to: from + span, width: w.width };
}

/** Pans a window by `dx` pixels. */
export function panWindow(w: TimeWindow, dx: number): TimeWindow {
  const dt = (dx / w.width) * (w.to - w.from);
  return { from: w.from - dt, to: w.to - dt, width: w.width };
}
