/**
 * Port: this process as other processes sharing the cache folder see it. Lock files record
 * `pid` and `host`, temporary and trash names carry `pid` and random hex (so two writers never pick
 * the same name), and the leftovers of a process that is no longer `isAlive` are taken over or
 * removed. Default: `nodeProcessIdentity` (`@trax/streaming-cache/node`); tests use a fake with a
 * fixed pid and host and dead or live owners at will.
 */
export interface ProcessIdentity {
  readonly pid: number;
  readonly host: string;
  /** `bytes` random bytes as lowercase hex (2 × `bytes` digits). */
  randomHex(bytes: number): string;
  /** Whether process `pid` of this host is still running. */
  isAlive(pid: number): boolean;
}
