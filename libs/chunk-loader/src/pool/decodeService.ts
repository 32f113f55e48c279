import { transferablePcm } from '../pcm.js';
import type { DecoderFactory } from '../ports/StemDecoder.js';
import { DecoderRegistry, decodeSpan } from './DecoderRegistry.js';
import { decodedReply, failedReply, readyNotice, releasedReply } from './workerProtocol.js';
import type { FromWorker, ToWorker, WorkerConfig } from './workerProtocol.js';

/** The worker's end of its channel to the loader thread (`parentPort` in Node). */
export interface WorkerPort {
  on(event: 'message', listener: (message: ToWorker) => void): unknown;
  postMessage(message: FromWorker, transfer?: ArrayBuffer[]): void;
}

/**
 * Runs inside a decode worker: answers decode and release requests one at a time, in arrival
 * order (so a release never closes a decoder under a running decode), keeping one decoder per
 * stem open for reuse. Decoded PCM is transferred back, not copied. Called on the worker thread.
 */
export function serveDecodeRequests(port: WorkerPort, config: WorkerConfig, factory: DecoderFactory): void {
  const decoders = new DecoderRegistry(factory, config.decoderOptions);
  let queue: Promise<void> = Promise.resolve();
  port.on('message', (message) => {
    queue = queue.then(() => handle(message));
  });
  port.postMessage(readyNotice());

  async function handle(message: ToWorker): Promise<void> {
    if (message.type === 'release-song') {
      await decoders.releaseSong(message.song);
      port.postMessage(releasedReply(message.id));
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
