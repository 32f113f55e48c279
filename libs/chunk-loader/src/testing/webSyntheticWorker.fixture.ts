// Test fixture: a decode Web Worker serving synthetic stems through the real worker service, for
// the crash, transfer and cancellation tests of WebWorkerDecodePool in Chromium. A stem path
// names its behaviour:
//   'crash:<name>'  — the first worker (id 0) throws an uncaught error instead of decoding;
//                     any other worker decodes normally.
//   'slow:<name>'   — every decode takes 300 ms.
//   anything else   — decodes at once.
// Samples follow syntheticWebSample(); each decode also reports, as an issue of kind 'detached',
// how many channel buffers of this stem's previous decode are now detached (moved to the page).
import type { DecoderFactory, PcmBlock, StemDecoder } from '../ports/StemDecoder.js';
import { serveDecodeRequestsInWebWorker, type WebWorkerScope } from '../pool/serveWebWorker.js';
import { syntheticWebSample } from './syntheticWebSample.fixture.js';

const scope = globalThis as unknown as WebWorkerScope & { setTimeout: typeof setTimeout };
let workerId = -1;
scope.addEventListener('message', (event) => {
  const message = event.data as { type?: string; config?: { workerId: number } };
  if (message.type === 'configure' && message.config) workerId = message.config.workerId;
});

const SAMPLE_RATE = 48_000;
const TOTAL_FRAMES = 48_000;

const factory: DecoderFactory = async (path, options) => {
  const chunkFrames = Math.round((options.chunkSeconds ?? 5) * SAMPLE_RATE);
  let previous: Float32Array[] = [];
  const decodeRange = async (startFrame: number, frameCount: number): Promise<PcmBlock> => {
    if (path.startsWith('crash:') && workerId === 0) {
      scope.setTimeout(() => {
        throw new Error(`synthetic crash decoding ${path}`);
      }, 0);
      return new Promise<PcmBlock>(() => undefined); // never answers: the crash ends this worker
    }
    if (path.startsWith('slow:')) await new Promise((resolve) => scope.setTimeout(resolve, 300));
    const detached = previous.filter((channel) => channel.buffer.byteLength === 0).length;
    const channelData = [0, 1].map((c) => Float32Array.from({ length: frameCount }, (_, i) => syntheticWebSample(c, startFrame + i)));
    previous = channelData;
    return { channelData, startFrame, frameCount, sampleRate: SAMPLE_RATE, errors: [{ kind: 'detached', frame: detached, sampleOffset: startFrame, message: `${detached} buffers of the previous decode are detached` }] };
  };
  const decoder: StemDecoder = {
    sampleRate: SAMPLE_RATE,
    outputSampleRate: SAMPLE_RATE,
    channels: 2,
    bitDepth: 16,
    totalFrames: TOTAL_FRAMES,
    chunkFrames,
    md5: '0'.repeat(32),
    totalChunks: () => Math.ceil(TOTAL_FRAMES / chunkFrames),
    decodeChunk: (index) => decodeRange(index * chunkFrames, Math.min(chunkFrames, TOTAL_FRAMES - index * chunkFrames)),
    decodeRange,
    close: async () => undefined,
  };
  return decoder;
};

serveDecodeRequestsInWebWorker(scope, factory);
