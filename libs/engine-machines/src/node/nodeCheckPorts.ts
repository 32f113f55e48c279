import type { StreamingCache } from '@trax/streaming-cache/node';
import type { CheckPorts } from '../check/checkPorts.js';
import { nodeCacheCoverage } from './nodeCacheCoverage.js';
import { nodeStemProber } from './nodeStemProber.js';
import { nodeThroughputMeter } from './nodeThroughputMeter.js';

export interface NodeCheckPortsOptions {
  /** The disk cache whose coverage is reported; without it, cache coverage is skipped. */
  readonly cache?: StreamingCache;
}

/**
 * The pre-show check's ports in Node — stems probed with `@trax/chunk-decoder` (files by `fs`,
 * URLs by byte ranges), the disk's read speed, the cache's coverage — for
 * `createEngine({ checkPorts })` and `engine.check()`. (They live here, not in the engine, so the
 * engine's main entry stays browser-safe; a browser host passes ports of its own.)
 *
 * @example
 * const engine = createEngine({ loader, setlist, checkPorts: nodeCheckPorts({ cache }) });
 * const report = await engine.check();
 */
export function nodeCheckPorts(options: NodeCheckPortsOptions = {}): CheckPorts {
  return {
    prober: nodeStemProber(),
    throughput: nodeThroughputMeter(),
    ...(options.cache ? { cache: nodeCacheCoverage(options.cache) } : {}),
  };
}
