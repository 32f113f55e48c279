import { describe, expect, it } from '@jest/globals';
import type { DecodeTask } from '../ports/DecodePool.js';
import type { DecoderFactory, PcmBlock, StemDecoder } from '../ports/StemDecoder.js';
import { serveDecodeRequests } from './decodeService.js';
import type { WorkerPort } from './decodeService.js';
import { decodeRequest, releaseSongRequest } from './workerProtocol.js';
import type { FromWorker, ToWorker } from './workerProtocol.js';

/** A fake worker port: messages in through `send`, replies (with their transfer lists) recorded. */
function fakePort() {
  let listener: ((message: ToWorker) => void) | undefined;
  const replies: { message: FromWorker; transfer: ArrayBuffer[] | undefined }[] = [];
  const port: WorkerPort = {
    on: (_event, l) => (listener = l),
    postMessage: (message, transfer) => replies.push({ message, transfer }),
  };
  return { port, replies, send: (m: ToWorker) => listener?.(m) };
}

function fakeDecoder(log: string[], name: string, pcm: (task: { start: number; count: number }) => PcmBlock): StemDecoder {
  return {
    sampleRate: 48_000, outputSampleRate: 48_000, channels: 2, bitDepth: 16, totalFrames: 1_000, chunkFrames: 100, md5: '0'.repeat(32),
    totalChunks: () => 10,
    decodeChunk: async (i) => { log.push(`${name} chunk ${i}`); await new Promise((r) => setTimeout(r, 5)); return pcm({ start: i * 100, count: 100 }); },
    decodeRange: async (start, count) => { log.push(`${name} range ${start}+${count}`); return pcm({ start, count }); },
    close: async () => { log.push(`${name} close`); },
  };
}

const task = (song: string, stem: string, chunkIndex: number, wholeChunk = true): DecodeTask => ({ stem: { song, stem, path: `/x/${song}/${stem}.flac` }, chunkIndex, startFrame: chunkIndex * 100, frameCount: 100, wholeChunk });

async function settle(replies: unknown[], count: number): Promise<void> {
  while (replies.length < count) await new Promise((r) => setTimeout(r, 1));
}

describe('serveDecodeRequests (the worker side)', () => {
  it('answers ready, decodes, and moves each channel buffer in the transfer list', async () => {
    const log: string[] = [];
    const factory: DecoderFactory = async (p) => fakeDecoder(log, p, ({ start, count }) => ({
      channelData: [new Float32Array(count).fill(start), new Float32Array(count).fill(-start)], startFrame: start, frameCount: count, sampleRate: 48_000, errors: [],
    }));
    const { port, replies, send } = fakePort();
    serveDecodeRequests(port, { workerId: 0, decoderOptions: {} }, factory);
    await settle(replies, 1);
    expect(replies[0].message).toEqual({ type: 'ready' });
    send(decodeRequest(1, task('s', 'bass', 3)));
    await settle(replies, 2);
    const { message, transfer } = replies[1];
    expect(message.type).toBe('decoded');
    if (message.type !== 'decoded') return;
    expect(message.id).toBe(1);
    expect(message.pcm.channelData[0][0]).toBe(300);
    expect(transfer).toEqual(message.pcm.channelData.map((c) => c.buffer));
  });

  it('copies channels that share one buffer before transferring (a buffer may be listed once only)', async () => {
    const shared = new Float32Array(200);
    const factory: DecoderFactory = async () => fakeDecoder([], 'd', ({ start, count }) => ({
      channelData: [shared.subarray(0, count), shared.subarray(100, 100 + count)], startFrame: start, frameCount: count, sampleRate: 48_000, errors: [],
    }));
    const { port, replies, send } = fakePort();
    serveDecodeRequests(port, { workerId: 0, decoderOptions: {} }, factory);
    send(decodeRequest(1, task('s', 'bass', 0)));
    await settle(replies, 2);
    const transfer = replies[1].transfer!;
    expect(new Set(transfer).size).toBe(2);
    expect(transfer).not.toContain(shared.buffer);
    expect(() => structuredClone(replies[1].message, { transfer })).not.toThrow();
  });

  it('handles messages one at a time: a release waits for the running decode, then closes the song only', async () => {
    const log: string[] = [];
    const factory: DecoderFactory = async (p) => fakeDecoder(log, p.split('/').slice(-2).join('/'), ({ start, count }) => ({
      channelData: [new Float32Array(count)], startFrame: start, frameCount: count, sampleRate: 48_000, errors: [],
    }));
    const { port, replies, send } = fakePort();
    serveDecodeRequests(port, { workerId: 0, decoderOptions: {} }, factory);
    send(decodeRequest(1, task('s1', 'bass', 0)));
    send(decodeRequest(2, task('s2', 'bass', 0, false)));
    send(releaseSongRequest(3, 's1'));
    send(decodeRequest(4, task('s1', 'bass', 1)));
    await settle(replies, 5);
    expect(replies.slice(1).map((r) => r.message.type)).toEqual(['decoded', 'decoded', 'released', 'decoded']);
    expect(log).toEqual(['s1/bass.flac chunk 0', 's2/bass.flac range 0+100', 's1/bass.flac close', 's1/bass.flac chunk 1']);
  });

  it('reports a failure with the original error name and context', async () => {
    class FlacFormatError extends Error {
      override readonly name = 'FlacFormatError';
      constructor(readonly file: string, readonly offset: number) { super(`${file}: bad frame`); }
    }
    const factory: DecoderFactory = async (p) => { throw new FlacFormatError(p, 42); };
    const { port, replies, send } = fakePort();
    serveDecodeRequests(port, { workerId: 0, decoderOptions: {} }, factory);
    send(decodeRequest(7, task('s', 'bass', 0)));
    await settle(replies, 2);
    expect(replies[1].message).toEqual({ type: 'failed', id: 7, error: { name: 'FlacFormatError', message: '/x/s/bass.flac: bad frame', context: { name: 'FlacFormatError', file: '/x/s/bass.flac', offset: 42 } } });
  });
});
