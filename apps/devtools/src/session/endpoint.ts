/** What the endpoint field accepts. */
export type EndpointCheck =
  | { readonly ok: true; readonly url: string; readonly loopback: true }
  | { readonly ok: false; readonly url: string; readonly reason: string; readonly needsConfirmation: boolean };

/** 127.0.0.0/8, ::1 and localhost: the only hosts the devtools connect to without asking. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  const parts = h.split('.');
  return parts.length === 4 && parts[0] === '127' && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

/**
 * Checks an inspection endpoint typed by the user or given in `?endpoint=`: a ws:// or wss://
 * URL (a bare `host:port` means ws://). Loopback hosts are accepted; any other host needs the
 * user's confirmation (`needsConfirmation`), so a link cannot point the devtools elsewhere.
 */
export function checkEndpoint(input: string): EndpointCheck {
  const text = input.trim();
  const withScheme = /^[a-z]+:\/\//i.test(text) ? text : `ws://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return { ok: false, url: text, reason: `"${text}" is not a URL (expected ws://127.0.0.1:PORT)`, needsConfirmation: false };
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') return { ok: false, url: text, reason: `${url.protocol} is not a WebSocket URL (ws:// or wss://)`, needsConfirmation: false };
  if (url.username || url.password) return { ok: false, url: text, reason: 'credentials in the URL are not accepted', needsConfirmation: false };
  const normalized = url.toString();
  if (isLoopbackHost(url.hostname)) return { ok: true, url: normalized, loopback: true };
  return { ok: false, url: normalized, reason: `${url.hostname} is not on this machine: connect anyway?`, needsConfirmation: true };
}
