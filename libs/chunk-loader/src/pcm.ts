import type { PcmBlock } from './ports/StemDecoder.js';

/** Bytes of sample data in a block (4 per float sample). */
export function pcmBytes(pcm: Pick<PcmBlock, 'channelData'>): number {
  let bytes = 0;
  for (const channel of pcm.channelData) bytes += channel.byteLength;
  return bytes;
}

/** A deep copy of a PCM block (its own ArrayBuffers). */
export function copyPcm(pcm: PcmBlock): PcmBlock {
  return {
    channelData: pcm.channelData.map((channel) => channel.slice()),
    startFrame: pcm.startFrame,
    frameCount: pcm.frameCount,
    sampleRate: pcm.sampleRate,
    errors: pcm.errors.map((issue) => ({ ...issue })),
  };
}

/**
 * The block's channels as arrays that each own a whole ArrayBuffer, plus those buffers: ready to
 * post with a transfer list (moved, not copied). A channel that is a view into a larger or shared
 * buffer is copied first, since transferring would take the whole buffer away from its owner and
 * listing one buffer twice throws a DataCloneError.
 */
export function transferablePcm(pcm: PcmBlock): { pcm: PcmBlock; transfer: ArrayBuffer[] } {
  const seen = new Set<ArrayBufferLike>();
  const channelData = pcm.channelData.map((channel) => {
    const ownsBuffer = channel.byteOffset === 0 && channel.byteLength === channel.buffer.byteLength && channel.buffer instanceof ArrayBuffer && !seen.has(channel.buffer);
    const owned = ownsBuffer ? channel : channel.slice();
    seen.add(owned.buffer);
    return owned;
  });
  return {
    pcm: { channelData, startFrame: pcm.startFrame, frameCount: pcm.frameCount, sampleRate: pcm.sampleRate, errors: pcm.errors.map((issue) => ({ ...issue })) },
    transfer: channelData.map((channel) => channel.buffer as ArrayBuffer),
  };
}
