import type { DecoderFactory } from '../ports/StemDecoder.js';
import { serveDecodeRequests } from './decodeService.js';
import type { ConfigureWebWorker } from './webWorkerConfig.js';
import type { FromWorker, ToWorker } from './workerProtocol.js';

/** The parts of a Web Worker's global scope (`self` in a `DedicatedWorkerGlobalScope`) used here. */
export interface WebWorkerScope {
  addEventListener(type: 'message', listener: (event: { readonly data: unknown }) => void): void;
  removeEventListener(type: 'message', listener: (event: { readonly data: unknown }) => void): void;
  postMessage(message: unknown, transfer: ArrayBuffer[]): void;
}

/**
 * Runs inside a decode Web Worker: waits for the pool's `configure` message, then serves the
 * shared worker protocol with `serveDecodeRequests` (the same service as `worker_threads`
 * workers), posting PCM with its transfer list so it is moved, not copied. Called on the worker.
 *
 * @example
 * ```ts
 * // webDecodeWorker.ts, bundled for the browser
 * serveDecodeRequestsInWebWorker(self, factory, warmUp);
 * ```
 */
export function serveDecodeRequestsInWebWorker(scope: WebWorkerScope, factory: DecoderFactory, warmUp?: () => Promise<void>): void {
  const configure = (event: { readonly data: unknown }) => {
    const message = event.data as ConfigureWebWorker;
    if (message?.type !== 'configure') return;
    scope.removeEventListener('message', configure);
    // Registered before this handler returns, so no request posted after `configure` is missed.
    serveDecodeRequests(
      {
        on: (_event, listener) => scope.addEventListener('message', (e) => listener(e.data as ToWorker)),
        postMessage: (reply: FromWorker, transfer?: ArrayBuffer[]) => scope.postMessage(reply, transfer ?? []),
      },
      message.config,
      factory,
      warmUp,
    );
  };
  scope.addEventListener('message', configure);
}
