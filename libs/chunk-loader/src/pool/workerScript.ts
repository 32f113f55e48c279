/**
 * Where a decode worker's code is and how to start it.
 *
 * Built (`dist/`), the worker is plain JS next to this file and needs nothing special. Run from
 * TypeScript source (jest, `tsx` benchmarks), this module's own URL ends in `.ts`, and the worker
 * must compile TypeScript too — but on Node 20 the parent's `--import tsx` does not reach worker
 * threads. So the worker gets `--import registerTsx.mjs` (a two-line shim calling tsx's
 * `register()`; ~115 ms per worker start, measured in ../shared/NOTES.md) and
 * `--conditions=@trax/source`, so that sibling libraries resolve to their `src/index.ts` there as
 * they do in the parent.
 */
export interface WorkerScript {
  readonly url: URL;
  /** Node options for the worker; undefined = inherit the parent's. */
  readonly execArgv?: string[];
}

const runningFromSource = import.meta.url.endsWith('.ts');

/** The loader's own decode worker (`decodeWorker.js`, or `.ts` from source). */
export function decodeWorkerScript(): WorkerScript {
  return workerScriptAt(new URL(runningFromSource ? './decodeWorker.ts' : './decodeWorker.js', import.meta.url));
}

/** A worker entry at `url`; `.ts` entries get the TypeScript shim and the source export condition. */
export function workerScriptAt(url: URL): WorkerScript {
  if (!url.pathname.endsWith('.ts')) return { url };
  return { url, execArgv: ['--import', new URL('./registerTsx.mjs', import.meta.url).href, '--conditions=@trax/source'] };
}
