import { contextDiff } from '../session/contextDiff.js';
import { formatStateValue } from '../session/formatStateValue.js';
import type { SessionLog } from '../session/SessionLog.js';
import { messageLabel } from '../views/eventFilter.js';

/** An event's payload and its target's snapshot before and after, with the context diff. */
export function EventDetail({ log, index }: { log: SessionLog; index: number }) {
  const m = log.messages[index];
  const target = 'sessionId' in m ? m.sessionId : null;
  // For an event: its target's snapshot before and the one it caused; for a snapshot: the previous one and itself.
  const before = target ? log.snapshotBefore(target, index) : undefined;
  const after = m.type === 'snapshot' ? m : target ? log.snapshotAfter(target, index) : undefined;
  const changes = before && after ? contextDiff(before.context, after.context) : [];
  return (
    <aside className="detail" aria-label="Event detail">
      <h3>
        {messageLabel(m)} <span className="muted">#{m.seq}</span>
      </h3>
      <pre className="json">{JSON.stringify(m.type === 'event' ? m.event : m, null, 1)}</pre>
      {target && (
        <>
          <h4>
            State: {before ? formatStateValue(before.value) : '—'} → {after ? formatStateValue(after.value) : '—'}
          </h4>
          <h4>Context diff ({changes.length})</h4>
          <table className="diff">
            <tbody>
              {changes.map((c) => (
                <tr key={c.path} className={c.kind}>
                  <td>{c.path}</td>
                  <td>{c.kind === 'added' ? '' : JSON.stringify(c.before)}</td>
                  <td>{c.kind === 'removed' ? '' : JSON.stringify(c.after)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <details>
            <summary>Snapshot before / after</summary>
            <div className="pair">
              <pre className="json">{JSON.stringify(before?.context ?? null, null, 1)}</pre>
              <pre className="json">{JSON.stringify(after?.context ?? null, null, 1)}</pre>
            </div>
          </details>
        </>
      )}
    </aside>
  );
}
