import { transferablePcm } from '../pcm.js';
import type { DecoderFactory } from '../ports/StemDecoder.js';
import { DecoderRegistry, decodeSpan, headerOf } from './DecoderRegistry.js';
import { decodedReply, failedReply, openedReply, readyNotice, releasedReply } from './workerProtocol.js';
import type { FromWorker, ToWorker, WorkerConfig } from './workerProtocol.js';

/** The worker's end of its channel to the loader thread (`parentPort` in Node). */
export interface WorkerPort {
  on(event: 'message', listener: (message: ToWorker) => void): unknown;
  postMessage(message: FromWorker, transfer?: ArrayBuffer[]): void;
}

/**
 * Runs inside a decode worker: answers open, decode and release requests one at a time, in
 * arrival order (so a release never closes a decoder under a running decode), keeping one decoder
 * per stem open for reuse. Decoded PCM is transferred back, not copied. `warmUp` (e.g. creating
 * the WebAssembly decoder) runs before the worker reports ready, so the first request does not
 * pay for it. Called on the worker thread.
 */
export function serveDecodeRequests(port: WorkerPort, config: WorkerConfig, factory: DecoderFactory, warmUp?: () => Promise<void>): void {
  const decoders = new DecoderRegistry(factory, config.decoderOptions);
  let queue: Promise<void> = (warmUp?.() ?? Promise.resolve()).then(() => port.postMessage(readyNotice()));
  port.on('message', (message) => {
    queue = queue.then(() => handle(message));
  });

  async function handle(message: ToWorker): Promise<void> {
    if (message.type === 'release-song') {
      await decoders.releaseSong(message.song);
      port.postMessage(releasedReply(message.id));
      return;
    }
    if (message.type === 'open') {
      try {
        port.postMessage(openedReply(message.id, headerOf(await decoders.get(message.stem))));
      } catch (error) {
        port.postMessage(failedReply(message.id, error));
      }
      return;
    }
    try {
      const started = performance.now();
      const pcm = await decodeSpan(await decoders.get(message.task.stem), message.task);
      const { pcm: movable, transfer } = transferablePcm(pcm);
      port.postMessage(decodedReply(message.id, movable, performance.now() - started), transfer);
    } catch (error) {
      port.postMessage(failedReply(message.id, error));
    }
  }
}
