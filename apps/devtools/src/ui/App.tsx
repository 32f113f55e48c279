import { useActorRef, useSelector } from '@xstate/react';
import { useEffect, useRef, useState } from 'react';
import { connectionMachine } from '../connection/connectionMachine.js';
import type { SocketFactory } from '../connection/inspectSocket.js';
import { reconnectDelayMs } from '../session/backoff.js';
import { DevtoolsSession } from '../session/DevtoolsSession.js';
import { checkEndpoint } from '../session/endpoint.js';
import { ActorTreeView } from './ActorTreeView.js';
import { EventLogView } from './EventLogView.js';
import { MetricsView } from './MetricsView.js';
import type { EndpointHistory } from './recentEndpoints.js';
import { Scrubber } from './Scrubber.js';
import { SequenceView } from './SequenceView.js';
import { StatechartView } from './StatechartView.js';
import { TimelineView } from './TimelineView.js';
import { TopBar } from './TopBar.js';
import { TriggersView } from './TriggersView.js';
import { useSessionVersion } from './useSessionVersion.js';

export type Tab = 'chart' | 'log' | 'sequence' | 'timelines' | 'metrics' | 'triggers';
const TABS: { id: Tab; label: string }[] = [
  { id: 'chart', label: 'Statechart' },
  { id: 'log', label: 'Event log' },
  { id: 'sequence', label: 'Sequence' },
  { id: 'timelines', label: 'Audio timelines' },
  { id: 'metrics', label: 'Metrics' },
  { id: 'triggers', label: 'Triggers' },
];

export interface AppProps {
  readonly createSocket: SocketFactory;
  readonly history: EndpointHistory;
  /** `?endpoint=` of the page: connect at once (after confirmation when not loopback). */
  readonly initialEndpoint: string | null;
  readonly initialTab?: Tab;
  /** Saves a recording (a download in a browser). */
  readonly save: (fileName: string, text: string) => void;
}

const stamp = () => new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);

export function App({ createSocket, history, initialEndpoint, initialTab, save }: AppProps) {
  const [session, setSession] = useState(() => new DevtoolsSession('live', ''));
  const sessionRef = useRef(session);
  sessionRef.current = session;
  const connection = useActorRef(connectionMachine, {
    input: { createSocket, onFrame: (data) => sessionRef.current.receiveFrame(data), onOpen: () => sessionRef.current.connectionOpened() },
  });
  const state = useSelector(connection, (s) => (s.matches('idle') ? 'idle' : s.matches('waiting') ? 'waiting' : s.matches({ live: 'open' }) ? 'open' : 'connecting'));
  const attempt = useSelector(connection, (s) => s.context.attempt);
  const lastError = useSelector(connection, (s) => s.context.lastError);
  const url = useSelector(connection, (s) => s.context.url);
  const version = useSessionVersion(session.log);
  const [recents, setRecents] = useState(() => history.list());
  const [confirmHost, setConfirmHost] = useState<string | null>(null);
  const [following, setFollowing] = useState(true);
  const [pinned, setPinned] = useState(0);
  const [selected, setSelected] = useState<string | null>(null);
  const [selectedIndex, setSelectedIndex] = useState<number | null>(null);
  const [tab, setTab] = useState<Tab>(initialTab ?? 'timelines');
  const [notice, setNotice] = useState<string | null>(null);

  const log = session.log;
  const cursor = following ? log.size - 1 : Math.min(pinned, log.size - 1);

  useEffect(() => {
    session.onPauseRequested = (bookmark) => {
      setFollowing(false);
      setPinned(bookmark.index);
    };
  }, [session]);

  const open = (target: string) => {
    if (session.mode !== 'live' || session.source !== target) setSession(new DevtoolsSession('live', target));
    setFollowing(true);
    setRecents(history.remember(target));
    connection.send({ type: 'CONNECT', url: target });
  };
  const connect = (input: string) => {
    const check = checkEndpoint(input);
    setConfirmHost(null);
    if (check.ok) open(check.url);
    else if (check.needsConfirmation) setConfirmHost(check.url);
    else setNotice(check.reason);
  };
  useEffect(() => {
    if (initialEndpoint) connect(initialEndpoint);
    // Once, on load: the page URL names the endpoint.
  }, []);

  const openFile = async (file: File) => {
    connection.send({ type: 'DISCONNECT' });
    setNotice(`opening ${file.name}…`);
    const started = performance.now();
    const opened = await DevtoolsSession.readRecording(file.name, file.stream().pipeThrough(new TextDecoderStream()));
    const ms = performance.now() - started;
    setSession(opened);
    setFollowing(true);
    setSelected(null);
    setSelectedIndex(null);
    setNotice(`opened ${file.name}: ${opened.log.size.toLocaleString()} messages in ${Math.round(ms)} ms`);
  };

  const setCursorIndex = (index: number) => {
    setFollowing(false);
    setPinned(Math.max(0, Math.min(index, log.size - 1)));
  };
  const setCursorTime = (t: number) => setCursorIndex(log.indexAtTime(t));

  let status: string;
  let statusKind: 'idle' | 'ok' | 'warn' | 'error' = 'idle';
  if (session.mode === 'replay') status = notice ?? `replay: ${session.source}`;
  else if (state === 'open') [status, statusKind] = [`live: ${url}`, 'ok'];
  else if (state === 'connecting') [status, statusKind] = [`connecting to ${url}…`, 'warn'];
  else if (state === 'waiting') [status, statusKind] = [`connection lost (${lastError ?? 'closed'}): reconnecting in ${(reconnectDelayMs(attempt) / 1000).toFixed(2)} s, attempt ${attempt}`, 'error'];
  else status = notice ?? 'not connected';

  return (
    <div className="app">
      <TopBar
        endpoint={initialEndpoint ?? recents[0] ?? 'ws://127.0.0.1:'}
        recents={recents}
        status={status}
        statusKind={statusKind}
        connected={state !== 'idle'}
        live={session.mode === 'live' && log.size > 0}
        following={following}
        buffered={following ? 0 : log.size - 1 - cursor}
        recording={session.recording}
        problems={[...log.problems.values()]}
        confirmHost={confirmHost}
        onConnect={connect}
        onConfirm={() => {
          if (confirmHost) open(confirmHost);
          setConfirmHost(null);
        }}
        onCancelConfirm={() => setConfirmHost(null)}
        onDisconnect={() => connection.send({ type: 'DISCONNECT' })}
        onPause={() => setCursorIndex(log.size - 1)}
        onResume={() => setFollowing(true)}
        onRecord={() => {
          if (session.recording) save(`trax-recording-${stamp()}.jsonl`, session.stopRecording());
          else session.startRecording();
          log.touch();
        }}
        onSaveAll={() => save(`trax-session-${stamp()}.jsonl`, session.recordingText())}
        onOpenFile={(file) => void openFile(file)}
      />
      <div className="main">
        <ActorTreeView log={log} cursor={cursor} version={version} selected={selected} onSelect={setSelected} />
        <div className="views">
          <nav className="tabs" role="tablist">
            {TABS.map((t) => (
              <button key={t.id} role="tab" aria-selected={tab === t.id} className={tab === t.id ? 'active' : ''} onClick={() => setTab(t.id)}>
                {t.label}
              </button>
            ))}
          </nav>
          <div className="view" role="tabpanel">
            {tab === 'chart' && <StatechartView log={log} cursor={cursor} version={version} selected={selected} definitions={session.definitions} />}
            {tab === 'log' && <EventLogView log={log} cursor={cursor} version={version} selectedActor={selected} selectedIndex={selectedIndex} onSelectIndex={setSelectedIndex} />}
            {tab === 'sequence' && (
              <SequenceView
                log={log}
                cursor={cursor}
                version={version}
                selected={selected}
                onSelectIndex={(i) => {
                  setSelectedIndex(i);
                  setTab('log');
                }}
              />
            )}
            {tab === 'timelines' && <TimelineView session={session} cursor={cursor} version={version} selected={selected} onCursorTime={setCursorTime} />}
            {tab === 'metrics' && <MetricsView log={log} cursor={cursor} version={version} />}
            {tab === 'triggers' && <TriggersView session={session} version={version} cursor={cursor} onCursorIndex={setCursorIndex} />}
          </div>
        </div>
      </div>
      <Scrubber session={session} cursor={cursor} following={following} onCursorTime={setCursorTime} />
    </div>
  );
}
