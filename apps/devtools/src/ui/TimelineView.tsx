import { useEffect, useMemo, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import type { DevtoolsSession } from '../session/DevtoolsSession.js';
import type { ChunkLoad } from '../views/audioTimeline.js';
import { explainSeek } from '../views/seekExplanation.js';
import { layoutTimeline, panWindow, timeToX, xToTime, zoomWindow, type TimeWindow } from '../views/timelineLayout.js';
import { formatMs, relativeTime } from './format.js';

interface Props {
  readonly session: DevtoolsSession;
  readonly cursor: number;
  readonly version: number;
  readonly selected: string | null;
  readonly onCursorTime: (t: number) => void;
}

const LABEL_PX = 150;
const LANE_PX = 30;
const SEEK_ROW_PX = 26;
const PRIORITY_COLOURS: Record<string, string> = { urgent: '#e4572e', normal: '#4e8fe0', idle: '#8a8f98' };
const SOURCE_COLOURS: Record<string, string> = { cache: '#3fb27f', decode: '#d9a53a' };

/** The song a selected actor belongs to (`song:a`), from its systemId. */
const songOf = (systemId: string | undefined) => /^song:[^/]+/.exec(systemId ?? '')?.[0];

/**
 * View 5: per stem, buffer fill over time with underruns, chunk loads as bars (queued → started →
 * delivered) coloured by priority or source, seeks with their latency, first audio and song
 * starts. Wheel zooms, drag pans, the hover line reads all lanes at one time, a click moves the
 * cursor. A seek's row opens its explanation.
 */
export function TimelineView({ session, cursor, version, selected, onCursorTime }: Props) {
  const { log, timeline } = session;
  const box = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(900);
  const [colourBy, setColourBy] = useState<'priority' | 'source'>('priority');
  const until = log.times[cursor] ?? 0;
  const [view, setView] = useState<TimeWindow | null>(null);
  const [hoverX, setHoverX] = useState<number | null>(null);
  const [seekId, setSeekId] = useState<string | null>(null);
  const drag = useRef<{ x: number; moved: boolean } | null>(null);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setWidth(Math.max(300, el.clientWidth - LABEL_PX - 16)));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  // Until the user zooms or pans, the window follows the cursor: the whole session, at most its last 20 s.
  const first = log.times[0] ?? 0;
  const windowNow: TimeWindow = view ? { ...view, width } : { from: Math.max(first, until - 20_000), to: Math.max(until, first + 1), width };
  const song = songOf(selected ? log.actors.get(selected)?.systemId : undefined);
  const lanes = useMemo(() => [...timeline.lanes.keys()].filter((k) => !song || k.startsWith(`${song}/`)).sort(), [timeline, song, version]);
  const layout = useMemo(() => layoutTimeline(timeline, windowNow, until, lanes), [timeline, windowNow.from, windowNow.to, width, until, lanes, version]);
  const seek = timeline.seeks.find((s) => s.sessionId === seekId) ?? null;
  const colour = (l: ChunkLoad) => (colourBy === 'priority' ? (PRIORITY_COLOURS[l.priority] ?? '#aaa') : l.from ? SOURCE_COLOURS[l.from] : '#666');
  const height = SEEK_ROW_PX + layout.lanes.length * LANE_PX + 20;
  const hoverTime = hoverX === null ? null : xToTime(windowNow, hoverX);

  const onWheel = (e: React.WheelEvent) => {
    const x = e.clientX - (e.currentTarget.getBoundingClientRect().left + LABEL_PX);
    setView(zoomWindow(windowNow, e.deltaY > 0 ? 1.25 : 0.8, xToTime(windowNow, x)));
  };
  const localX = (e: ReactPointerEvent) => e.clientX - (e.currentTarget.getBoundingClientRect().left + LABEL_PX);
  const onPointerDown = (e: ReactPointerEvent) => {
    drag.current = { x: e.clientX, moved: false };
    (e.currentTarget as Element).setPointerCapture?.(e.pointerId);
  };
  const onPointerMove = (e: ReactPointerEvent) => {
    setHoverX(localX(e));
    if (!drag.current) return;
    const dx = e.clientX - drag.current.x;
    if (Math.abs(dx) > 2) {
      drag.current = { x: e.clientX, moved: true };
      setView(panWindow(windowNow, dx));
    }
  };
  const onPointerUp = (e: ReactPointerEvent) => {
    if (drag.current && !drag.current.moved && localX(e) >= 0) onCursorTime(xToTime(windowNow, localX(e)));
    drag.current = null;
  };

  return (
    <div className="timeline-view" ref={box}>
      <div className="toolbar">
        <button onClick={() => setView(zoomWindow(windowNow, 0.5, hoverTime ?? (windowNow.from + windowNow.to) / 2))}>zoom in</button>
        <button onClick={() => setView(zoomWindow(windowNow, 2, hoverTime ?? (windowNow.from + windowNow.to) / 2))}>zoom out</button>
        <button onClick={() => setView({ from: first, to: Math.max(until, first + 1), width })}>whole session</button>
        <button onClick={() => setView(null)}>follow cursor</button>
        colour by
        <select value={colourBy} onChange={(e) => setColourBy(e.target.value as 'priority' | 'source')} aria-label="Colour loads by">
          <option value="priority">priority</option>
          <option value="source">cache / decode</option>
        </select>
        <Legend colours={colourBy === 'priority' ? PRIORITY_COLOURS : SOURCE_COLOURS} />
        <span className="muted">{song ? `stems of ${song}` : 'all stems'} · {relativeTime(windowNow.from, first)} – {relativeTime(windowNow.to, first)}</span>
      </div>
      <svg width={LABEL_PX + width} height={height} className="timeline" role="img" aria-label="Audio timelines" onWheel={onWheel} onPointerDown={onPointerDown} onPointerMove={onPointerMove} onPointerUp={onPointerUp} onPointerLeave={() => setHoverX(null)}>
        <text x={4} y={17} className="lane-label">seeks</text>
        <g transform={`translate(${LABEL_PX},0)`}>
          {layout.seeks.map(({ seek: s, x, endX }) => (
            <g key={s.sessionId} className={`seek${s.sessionId === seekId ? ' selected' : ''}`} onPointerUp={(e) => (e.stopPropagation(), setSeekId(s.sessionId))} data-seek={s.label}>
              <rect x={x} y={4} width={Math.max(2, endX - x)} height={SEEK_ROW_PX - 8} />
              <text x={x + 3} y={17}>{`${s.label.replace(/^.*\//, '')} ${formatMs(s.latencyMs)}`}</text>
            </g>
          ))}
        </g>
        {layout.lanes.map((lane, i) => {
          const y = SEEK_ROW_PX + i * LANE_PX;
          return (
            <g key={lane.key} data-lane={lane.key}>
              <text x={4} y={y + 18} className="lane-label">{lane.key.replace(/^song:[^/]+\/stem:/, '')}</text>
              <g transform={`translate(${LABEL_PX},${y})`}>
                <rect x={0} y={1} width={width} height={LANE_PX - 2} className="lane-bg" />
                {lane.fill.length > 1 && <polyline points={lane.fill.map((p) => `${p.x},${2 + p.y * (LANE_PX - 12)}`).join(' ')} className="fill-line" />}
                {lane.loads.map((b) => (
                  <g key={`${b.load.index}`} className="load" data-outcome={b.load.outcome}>
                    <title>{`${b.load.what} ${b.load.priority} ${b.load.purpose} ${b.load.from ?? b.load.outcome}: queued ${formatMs((b.load.startedAt ?? b.load.queuedAt) - b.load.queuedAt)}, load ${formatMs(b.load.loadMs)}`}</title>
                    <rect x={b.queuedX} y={LANE_PX - 9} width={Math.max(1, b.startX - b.queuedX)} height={6} className="queued" />
                    <rect x={b.startX} y={LANE_PX - 11} width={Math.max(1.5, b.endX - b.startX)} height={9} fill={colour(b.load)} opacity={b.load.outcome === 'cancelled' ? 0.35 : 1} />
                  </g>
                ))}
                {lane.underrunXs.map((u, j) => (
                  <g key={j} className="underrun">
                    <title>{`${u.count} underrun quanta`}</title>
                    <line x1={u.x} y1={1} x2={u.x} y2={LANE_PX - 1} />
                  </g>
                ))}
              </g>
            </g>
          );
        })}
        <g transform={`translate(${LABEL_PX},0)`}>
          {layout.markers.map(({ marker, x }, i) => (
            <g key={i} className={`marker ${marker.kind}`}>
              <line x1={x} y1={0} x2={x} y2={height} />
              <text x={x + 3} y={height - 6}>{marker.label}</text>
            </g>
          ))}
          <line x1={timeToX(windowNow, until)} y1={0} x2={timeToX(windowNow, until)} y2={height} className="cursor-line" />
          {hoverX !== null && hoverX >= 0 && (
            <g className="hover">
              <line x1={hoverX} y1={0} x2={hoverX} y2={height} />
              <text x={hoverX + 4} y={SEEK_ROW_PX - 4}>{relativeTime(hoverTime ?? 0, first)}</text>
              {lanes.map((key, i) => {
                const samples = timeline.lanes.get(key)?.fill ?? [];
                const sample = samples.findLast((s) => s.t <= (hoverTime ?? 0));
                return sample ? (
                  <text key={key} x={hoverX + 4} y={SEEK_ROW_PX + i * LANE_PX + 12} className="hover-value">
                    {sample.seconds.toFixed(2)} s
                  </text>
                ) : null;
              })}
            </g>
          )}
        </g>
      </svg>
      {layout.lanes.length === 0 && <p className="empty">No stems yet: the timelines fill from the engine's metrics and its stem loaders' loads.</p>}
      {seek ? <SeekPanel session={session} seekId={seek.sessionId} onCursorTime={onCursorTime} /> : timeline.seeks.length > 0 && <p className="muted hint">Click a seek in the top row to see why it took as long as it did.</p>}
    </div>
  );
}

function Legend({ colours }: { colours: Record<string, string> }) {
  return (
    <span className="legend">
      {Object.entries(colours).map(([name, c]) => (
        <span key={name}>
          <i style={{ background: c }} /> {name}
        </span>
      ))}
    </span>
  );
}

/** "Why did this seek take 180 ms?": phases, stems in the order they were ready, the load it waited for. */
function SeekPanel({ session, seekId, onCursorTime }: { session: DevtoolsSession; seekId: string; onCursorTime: (t: number) => void }) {
  const seek = session.timeline.seeks.find((s) => s.sessionId === seekId);
  if (!seek) return null;
  const why = explainSeek(session.timeline, seek);
  return (
    <section className="seek-panel" aria-label="Seek explanation">
      <h3>
        {seek.label}: {formatMs(why.latencyMs)}
      </h3>
      <p className="why">{why.summary}</p>
      <div className="columns">
        <table>
          <caption>phases</caption>
          <tbody>
            {why.phases.map((p) => (
              <tr key={`${p.label}${p.at}`} onClick={() => onCursorTime(seek.requestedAt + p.at)}>
                <td>{p.label}</td>
                <td>+{Math.round(p.at)} ms</td>
                <td>{Math.round(p.ms)} ms</td>
              </tr>
            ))}
          </tbody>
        </table>
        <table>
          <caption>target slice ready, per stem</caption>
          <tbody>
            {why.stems.map((s) => (
              <tr key={s.lane} className={s === why.stems.at(-1) ? 'slowest' : ''}>
                <td>{s.lane.replace(/^song:[^/]+\/stem:/, '')}</td>
                <td>+{Math.round(s.at)} ms</td>
              </tr>
            ))}
          </tbody>
        </table>
        {why.critical && (
          <table>
            <caption>the load it waited for</caption>
            <tbody>
              <tr><td>chunk</td><td>{why.critical.what} ({why.critical.priority}, set {why.critical.set})</td></tr>
              <tr><td>from</td><td>{why.critical.from}</td></tr>
              <tr><td>queued</td><td>{formatMs((why.critical.startedAt ?? why.critical.queuedAt) - why.critical.queuedAt)}</td></tr>
              <tr><td>load</td><td>{formatMs(why.critical.loadMs)}</td></tr>
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}
