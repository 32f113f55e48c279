import { useMemo, useState } from 'react';
import type { SessionLog } from '../session/SessionLog.js';
import { sequenceDiagram } from '../views/sequenceDiagram.js';
import { relativeTime } from './format.js';

interface Props {
  readonly log: SessionLog;
  readonly cursor: number;
  readonly version: number;
  readonly selected: string | null;
  readonly onSelectIndex: (index: number) => void;
}

const LANE_PX = 150;
const ROW_PX = 20;
const WINDOWS = [250, 1_000, 2_000, 5_000, 20_000];

/** View 4: the events of a time window before the cursor, actors as lanes and events as arrows. */
export function SequenceView({ log, cursor, version, selected, onSelectIndex }: Props) {
  const [windowMs, setWindowMs] = useState(2_000);
  const [onlySelected, setOnlySelected] = useState(false);
  const diagram = useMemo(() => {
    const end = log.times[cursor] ?? 0;
    const from = log.indexAtTime(end - windowMs) + 1;
    const only = onlySelected && selected ? new Set([selected, ...log.actorOrder.filter((a) => a.parentId === selected).map((a) => a.sessionId)]) : undefined;
    return sequenceDiagram(log, from, cursor, { only, maxArrows: 300 });
  }, [log, cursor, windowMs, onlySelected, selected, version]);
  const origin = log.times[0] ?? 0;
  const width = 90 + diagram.lanes.length * LANE_PX;
  const height = 40 + diagram.arrows.length * ROW_PX + 10;
  const laneX = (i: number) => 90 + i * LANE_PX + LANE_PX / 2;
  return (
    <div className="sequence-view">
      <div className="toolbar">
        window
        <select value={windowMs} onChange={(e) => setWindowMs(Number(e.target.value))} aria-label="Sequence window">
          {WINDOWS.map((w) => (
            <option key={w} value={w}>
              {w < 1000 ? `${w} ms` : `${w / 1000} s`}
            </option>
          ))}
        </select>
        before the cursor
        <label>
          <input type="checkbox" checked={onlySelected} onChange={(e) => setOnlySelected(e.target.checked)} /> selected actor and its children
        </label>
        <span className="muted">
          {diagram.arrows.length} events{diagram.omitted > 0 ? `, ${diagram.omitted} more not drawn (narrow the window)` : ''}
        </span>
      </div>
      <div className="sequence-scroll">
        <svg width={width} height={height} role="img" aria-label="Sequence diagram">
          <defs>
            <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
              <path d="M 0 0 L 10 5 L 0 10 z" fill="currentColor" />
            </marker>
          </defs>
          {diagram.lanes.map((label, i) => (
            <g key={i}>
              <text x={laneX(i)} y={16} textAnchor="middle" className="lane-label">
                {label.length > 22 ? `…${label.slice(-21)}` : label}
              </text>
              <line x1={laneX(i)} y1={24} x2={laneX(i)} y2={height} className="lifeline" />
            </g>
          ))}
          {diagram.arrows.map((a, row) => {
            const y = 40 + row * ROW_PX;
            const self = a.from === a.to;
            return (
              <g key={a.index} className="arrow" onClick={() => onSelectIndex(a.index)} data-type={a.label}>
                <text x={4} y={y + 4} className="time">
                  {relativeTime(a.t, origin)}
                </text>
                {self ? (
                  <path d={`M ${laneX(a.from)} ${y - 4} h 24 v 8 h -24`} fill="none" markerEnd="url(#arrow)" />
                ) : (
                  <line x1={laneX(a.from)} y1={y} x2={laneX(a.to)} y2={y} markerEnd="url(#arrow)" />
                )}
                <text x={(laneX(a.from) + laneX(a.to)) / 2 + (self ? 30 : 0)} y={y - 3} textAnchor={self ? 'start' : 'middle'} className="arrow-label">
                  {a.label}
                </text>
              </g>
            );
          })}
        </svg>
      </div>
    </div>
  );
}
