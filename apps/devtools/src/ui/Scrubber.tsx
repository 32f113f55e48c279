import type { DevtoolsSession } from '../session/DevtoolsSession.js';
import { relativeTime } from './format.js';

interface Props {
  readonly session: DevtoolsSession;
  readonly cursor: number;
  readonly following: boolean;
  readonly onCursorTime: (t: number) => void;
}

/** Scrubs session time: every view shows the state at the cursor. Bookmarks are ticks on the bar. */
export function Scrubber({ session, cursor, following, onCursorTime }: Props) {
  const { log } = session;
  const first = log.times[0] ?? 0;
  const last = log.times[log.size - 1] ?? 0;
  const now = log.times[cursor] ?? 0;
  const span = Math.max(1, last - first);
  return (
    <footer className="scrubber">
      <span className="muted">{following ? (session.mode === 'live' ? 'live' : 'end') : 'cursor'}</span>
      <div className="bar">
        <input type="range" min={first} max={Math.max(last, first + 1)} step={1} value={now} onChange={(e) => onCursorTime(Number(e.target.value))} aria-label="Session time" />
        {session.bookmarks.map((b, i) => (
          <i key={i} className="tick" style={{ left: `${((b.t - first) / span) * 100}%` }} title={b.label} />
        ))}
      </div>
      <span className="clock" data-testid="cursor-time">
        {relativeTime(now, first)} / {relativeTime(last, first)}
      </span>
      <span className="muted">
        #{cursor + 1} of {log.size.toLocaleString()}
      </span>
    </footer>
  );
}
