/** Recent endpoints, newest first, kept in the page's localStorage (a port: the desktop app may keep its own). */
export interface EndpointHistory {
  list(): string[];
  remember(url: string): string[];
}

const KEY = 'trax-devtools.recent-endpoints';
const MAX = 8;

export const localEndpointHistory: EndpointHistory = {
  list() {
    try {
      const stored = JSON.parse(localStorage.getItem(KEY) ?? '[]') as unknown;
      return Array.isArray(stored) ? stored.filter((s): s is string => typeof s === 'string').slice(0, MAX) : [];
    } catch {
      return [];
    }
  },
  remember(url) {
    const next = [url, ...this.list().filter((u) => u !== url)].slice(0, MAX);
    try {
      localStorage.setItem(KEY, JSON.stringify(next));
    } catch {
      // storage full or disabled: recents are a convenience
    }
    return next;
  },
};
