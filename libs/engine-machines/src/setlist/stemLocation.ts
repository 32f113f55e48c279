/** `http://` or `https://`, any case: a stem on a server (a band's shared setlist). */
const HTTP_URL = /^https?:\/\//i;
/** Any `scheme://`: a URL, as opposed to a file path (`C:\…` has no `//` after its colon). */
const ANY_URL = /^[a-z][a-z0-9+.-]*:\/\//i;

/** Whether a stem's `path` is an `http://` or `https://` URL rather than a file path. */
export function isStemUrl(location: string): boolean {
  return HTTP_URL.test(location);
}

/** Why a stem location cannot be used, or undefined when it can (a file path or an http(s) URL). */
export function stemLocationProblem(location: string): string | undefined {
  if (isStemUrl(location)) {
    try {
      const url = new URL(location);
      if (url.hostname === '') return `${JSON.stringify(location)} is not a valid URL: no host`;
    } catch {
      return `${JSON.stringify(location)} is not a valid URL`;
    }
    return undefined;
  }
  if (ANY_URL.test(location)) return `${JSON.stringify(location)}: only http:// and https:// URLs are supported (or a file path)`;
  return undefined;
}
