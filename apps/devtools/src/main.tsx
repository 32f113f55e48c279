import '@xyflow/react/dist/style.css';
import { createRoot } from 'react-dom/client';
import type { SocketLike } from './connection/inspectSocket.js';
import { App, type Tab } from './ui/App.js';
import { localEndpointHistory } from './ui/recentEndpoints.js';
import './ui/styles.css';

/** Saves a recording as a download. */
function download(fileName: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/x-ndjson' }));
  const a = Object.assign(document.createElement('a'), { href: url, download: fileName });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The browser's WebSocket, seen through the port (its handlers take DOM event types; the port's take the fields it reads). */
const openWebSocket = (url: string): SocketLike => new WebSocket(url) as unknown as SocketLike;

const params = new URLSearchParams(location.search);
const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <App createSocket={openWebSocket} history={localEndpointHistory} initialEndpoint={params.get('endpoint')} initialTab={(params.get('view') as Tab | null) ?? undefined} save={download} />,
);
