import { useState } from 'react';
import type { CountedProblem } from '../session/SessionLog.js';

interface Props {
  readonly endpoint: string;
  readonly recents: string[];
  readonly status: string;
  readonly statusKind: 'idle' | 'ok' | 'warn' | 'error';
  readonly connected: boolean;
  readonly live: boolean;
  readonly following: boolean;
  readonly buffered: number;
  readonly recording: boolean;
  readonly problems: CountedProblem[];
  readonly confirmHost: string | null;
  readonly onConnect: (endpoint: string) => void;
  readonly onConfirm: () => void;
  readonly onCancelConfirm: () => void;
  readonly onDisconnect: () => void;
  readonly onPause: () => void;
  readonly onResume: () => void;
  readonly onRecord: () => void;
  readonly onSaveAll: () => void;
  readonly onOpenFile: (file: File) => void;
}

/** Endpoint field with recents, connection status, pause/resume (view 8), record/open (view 7), problems. */
export function TopBar(p: Props) {
  const [text, setText] = useState(p.endpoint);
  const [showProblems, setShowProblems] = useState(false);
  const problemCount = p.problems.reduce((n, q) => n + q.count, 0);
  return (
    <header className="topbar">
      <strong className="brand">Trax devtools</strong>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          p.onConnect(text);
        }}
      >
        <input list="recent-endpoints" value={text} onChange={(e) => setText(e.target.value)} placeholder="ws://127.0.0.1:PORT" aria-label="Inspection endpoint" size={28} />
        <datalist id="recent-endpoints">
          {p.recents.map((r) => (
            <option key={r} value={r} />
          ))}
        </datalist>
        <button type="submit">Connect</button>
        {p.connected && (
          <button type="button" onClick={p.onDisconnect}>
            Disconnect
          </button>
        )}
      </form>
      <span className={`status ${p.statusKind}`} role="status" data-testid="status">
        {p.status}
      </span>
      {p.live &&
        (p.following ? (
          <button onClick={p.onPause}>Pause</button>
        ) : (
          <button onClick={p.onResume}>▶ Resume{p.buffered > 0 ? ` (${p.buffered.toLocaleString()} buffered)` : ''}</button>
        ))}
      <button onClick={p.onRecord} className={p.recording ? 'recording' : ''}>
        {p.recording ? '■ Stop and save' : '● Record'}
      </button>
      <button onClick={p.onSaveAll}>Save session</button>
      <label className="button">
        Open recording…
        <input type="file" accept=".jsonl,.json,.txt,application/json" hidden aria-label="Open recording" onChange={(e) => e.target.files?.[0] && p.onOpenFile(e.target.files[0])} />
      </label>
      {problemCount > 0 && (
        <button className="problems" onClick={() => setShowProblems(!showProblems)}>
          ⚠ {problemCount} problem{problemCount === 1 ? '' : 's'}
        </button>
      )}
      {showProblems && (
        <ul className="problem-list" role="list" aria-label="Problems">
          {p.problems.map((q) => (
            <li key={`${q.kind}:${q.detail}`}>
              {q.detail} {q.count > 1 ? `(×${q.count})` : ''}
            </li>
          ))}
        </ul>
      )}
      {p.confirmHost && (
        <div className="confirm" role="alertdialog" aria-label="Confirm remote endpoint">
          {p.confirmHost} is not on this machine. The devtools connect only to loopback unless you confirm.
          <button onClick={p.onConfirm}>Connect anyway</button>
          <button onClick={p.onCancelConfirm}>Cancel</button>
        </div>
      )}
    </header>
  );
}
