import { useVirtualizer } from '@tanstack/react-virtual';
import { useMemo, useRef, useState } from 'react';
import type { SessionLog } from '../session/SessionLog.js';
import { filterLog, messageLabel, payloadSummary, type LogFilter } from '../views/eventFilter.js';
import { EventDetail } from './EventDetail.js';
import { relativeTime } from './format.js';

interface Props {
  readonly log: SessionLog;
  readonly cursor: number;
  readonly version: number;
  readonly selectedActor: string | null;
  readonly selectedIndex: number | null;
  readonly onSelectIndex: (index: number) => void;
}

const ROW_PX = 22;

const actorName = (log: SessionLog, sessionId: string | undefined) => {
  if (!sessionId) return '·';
  const actor = log.actors.get(sessionId);
  return actor?.systemId ?? actor?.id ?? sessionId;
};

/** View 3: every event (virtualized), filterable; a click shows the target's snapshot before and after with a context diff. */
export function EventLogView({ log, cursor, version, selectedActor, selectedIndex, onSelectIndex }: Props) {
  const [type, setType] = useState('');
  const [text, setText] = useState('');
  const [onlySelected, setOnlySelected] = useState(false);
  const [everything, setEverything] = useState(false);
  const filter: LogFilter = useMemo(() => ({ type, text, everything, actor: onlySelected ? selectedActor : null }), [type, text, everything, onlySelected, selectedActor]);
  // A live log grows at the end: extend the previous result instead of filtering everything again.
  const cache = useRef<{ filter: LogFilter; log: SessionLog; upTo: number; rows: number[] } | null>(null);
  const rows = useMemo(() => {
    const c = cache.current;
    if (c && c.filter === filter && c.log === log && cursor >= c.upTo) {
      filterLog(log, cursor, filter, c.upTo + 1, c.rows);
      c.upTo = cursor;
      return c.rows.slice();
    }
    const fresh = filterLog(log, cursor, filter);
    cache.current = { filter, log, upTo: cursor, rows: fresh };
    return fresh.slice();
  }, [log, cursor, filter, version]);
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_PX, overscan: 20 });
  const origin = log.times[0] ?? 0;
  return (
    <div className="log-view">
      <div className="toolbar">
        <input placeholder="type (e.g. SEEK)" value={type} onChange={(e) => setType(e.target.value)} aria-label="Filter by type" />
        <input placeholder="text in payload" value={text} onChange={(e) => setText(e.target.value)} aria-label="Filter by text" />
        <label>
          <input type="checkbox" checked={onlySelected} onChange={(e) => setOnlySelected(e.target.checked)} /> selected actor only
        </label>
        <label>
          <input type="checkbox" checked={everything} onChange={(e) => setEverything(e.target.checked)} /> snapshots, microsteps, actions
        </label>
        <span className="muted">{rows.length.toLocaleString()} shown</span>
      </div>
      <div className="log-body">
        <div className="log-rows" ref={scroller} role="table" aria-label="Event log">
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((item) => {
              const index = rows[item.index];
              const m = log.messages[index];
              const source = m.type === 'event' ? actorName(log, m.sourceId) : '';
              const target = 'sessionId' in m ? actorName(log, m.sessionId) : '';
              return (
                <div
                  key={index}
                  role="row"
                  className={`row${selectedIndex === index ? ' selected' : ''} kind-${m.type.replace('.', '-')}`}
                  style={{ transform: `translateY(${item.start}px)`, height: ROW_PX }}
                  onClick={() => onSelectIndex(index)}
                  data-type={messageLabel(m)}
                >
                  <span className="time">{relativeTime(m.t, origin)}</span>
                  <span className="route" title={`${source} → ${target}`}>{m.type === 'event' ? `${source} → ${target}` : target}</span>
                  <span className="type">{messageLabel(m)}</span>
                  <span className="payload">{payloadSummary(m)}</span>
                </div>
              );
            })}
          </div>
        </div>
        {selectedIndex !== null && selectedIndex < log.size && <EventDetail log={log} index={selectedIndex} />}
      </div>
    </div>
  );
}
