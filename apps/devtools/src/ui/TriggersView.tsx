import { useState } from 'react';
import type { DevtoolsSession } from '../session/DevtoolsSession.js';
import { describeCondition, timeBetween, type Bookmark, type Trigger, type TriggerCondition } from '../views/triggers.js';
import { relativeTime } from './format.js';

interface Props {
  readonly session: DevtoolsSession;
  readonly version: number;
  readonly cursor: number;
  readonly onCursorIndex: (index: number) => void;
}

/** View 9: triggers that bookmark the timeline or pause the view; bookmarks, and the time between two. */
export function TriggersView({ session, cursor, onCursorIndex }: Props) {
  const [kind, setKind] = useState<TriggerCondition['kind']>('seek-over');
  const [amount, setAmount] = useState(150);
  const [action, setAction] = useState<Trigger['action']>('bookmark');
  const [picked, setPicked] = useState<Bookmark[]>([]);
  const origin = session.log.times[0] ?? 0;
  const add = () => {
    const condition: TriggerCondition = kind === 'buffer-below' ? { kind, seconds: amount } : kind === 'seek-over' ? { kind, ms: amount } : { kind };
    const id = Math.max(0, ...session.triggers.map((t) => t.id)) + 1;
    session.setTriggers([...session.triggers, { id, condition, action }]);
  };
  const pick = (b: Bookmark) => setPicked((p) => (p.includes(b) ? p.filter((x) => x !== b) : [...p.slice(-1), b]));
  return (
    <div className="triggers-view">
      <div className="toolbar">
        when
        <select value={kind} onChange={(e) => setKind(e.target.value as TriggerCondition['kind'])} aria-label="Trigger condition">
          <option value="buffer-below">a stem's buffer is under (s)</option>
          <option value="seek-over">a seek takes over (ms)</option>
          <option value="underrun">an underrun happens</option>
        </select>
        {kind !== 'underrun' && <input type="number" value={amount} min={0} step={kind === 'buffer-below' ? 0.1 : 10} onChange={(e) => setAmount(Number(e.target.value))} aria-label="Trigger amount" />}
        <select value={action} onChange={(e) => setAction(e.target.value as Trigger['action'])} aria-label="Trigger action">
          <option value="bookmark">bookmark</option>
          <option value="pause">pause the view</option>
        </select>
        <button onClick={add}>add trigger</button>
        <button onClick={() => session.addBookmark(cursor, 'bookmark at cursor')}>bookmark the cursor</button>
      </div>
      <ul className="trigger-list">
        {session.triggers.map((t) => (
          <li key={t.id}>
            {t.action === 'pause' ? 'pause when' : 'bookmark when'} {describeCondition(t.condition)}{' '}
            <button onClick={() => session.setTriggers(session.triggers.filter((x) => x !== t))} aria-label="remove trigger">
              ✕
            </button>
          </li>
        ))}
      </ul>
      {picked.length === 2 && (
        <p className="between">
          between the two picked bookmarks: <strong>{timeBetween(picked[0], picked[1])}</strong>
        </p>
      )}
      <table className="bookmarks">
        <thead>
          <tr>
            <th>pick</th>
            <th>time</th>
            <th>what</th>
          </tr>
        </thead>
        <tbody>
          {session.bookmarks.map((b, i) => (
            <tr key={`${b.index}:${i}`} className={b.index <= cursor ? '' : 'future'}>
              <td>
                <input type="checkbox" checked={picked.includes(b)} onChange={() => pick(b)} aria-label="pick bookmark" />
              </td>
              <td>
                <button className="link" onClick={() => onCursorIndex(b.index)}>
                  {relativeTime(b.t, origin)}
                </button>
              </td>
              <td>{b.label}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {session.bookmarks.length === 0 && <p className="empty">No bookmarks yet.</p>}
    </div>
  );
}
