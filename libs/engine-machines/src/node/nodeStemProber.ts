import { ChunkDecoder, FlacFormatError, HttpSourceError, HttpStatusError, UnsupportedFlacError, openHttpSource, type ByteSource } from '@trax/chunk-decoder';
import { openFileSource } from '@trax/chunk-decoder/node';
import { stat } from 'node:fs/promises';
import type { CorruptFrame, StemProbe, StemProber } from '../check/checkPorts.js';
import { isStemUrl } from '../setlist/stemLocation.js';
import type { Frames } from '../units.js';

/** Frames decoded in the middle and at the end: one FLAC frame at the usual block size (4096). */
export const PROBE_FRAMES = 4096;

export interface NodeStemProberOptions {
  /** Opens a URL stem. Default: `@trax/chunk-decoder`'s `openHttpSource` (range requests over `fetch`). */
  readonly openUrl?: (url: string) => Promise<ByteSource>;
}

/**
 * The Node {@link StemProber}: `@trax/chunk-decoder` reads the stem's headers (and its last
 * frames, to know where the audio really ends), then decodes {@link PROBE_FRAMES} frames in the
 * middle and at the end. A truncated file's real end is found by bisection (about 20 one-frame
 * decodes). Local paths are read with `fs`, URLs with range requests.
 */
export function nodeStemProber(options: NodeStemProberOptions = {}): StemProber {
  const openUrl = options.openUrl ?? ((url: string) => openHttpSource(url));
  return {
    async probe(location) {
      let source: ByteSource;
      try {
        source = isStemUrl(location) ? await openUrl(location) : await openLocal(location);
      } catch (error) {
        return openFailure(location, error);
      }
      let decoder: ChunkDecoder;
      try {
        decoder = await ChunkDecoder.open(source);
      } catch (error) {
        if (error instanceof FlacFormatError) return { ok: false, kind: 'not-flac', message: error.message };
        if (error instanceof UnsupportedFlacError) return { ok: false, kind: 'unsupported-format', message: error.message };
        return { ok: false, kind: 'unreadable-file', message: `${location} cannot be read: ${(error as Error).message}` };
      }
      try {
        return await probeAudio(decoder, source.size);
      } catch (error) {
        return { ok: false, kind: 'unreadable-file', message: `${location} cannot be read: ${(error as Error).message}` };
      } finally {
        await decoder.close();
      }
    },
  };
}

async function openLocal(file: string): Promise<ByteSource> {
  const info = await stat(file);
  if (!info.isFile()) throw Object.assign(new Error(`${file} is not a file`), { code: 'EISDIR' });
  return openFileSource(file);
}

function openFailure(location: string, error: unknown): StemProbe {
  if (error instanceof HttpSourceError) return { ok: false, kind: error instanceof HttpStatusError && error.status === 404 ? 'missing-file' : 'unreadable-file', message: error.message };
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return { ok: false, kind: 'missing-file', message: `${location} does not exist` };
  if (code === 'EISDIR') return { ok: false, kind: 'unreadable-file', message: `${location} is a folder, not a file` };
  return { ok: false, kind: 'unreadable-file', message: `${location} is not readable (${code ?? (error as Error).message})` };
}

async function probeAudio(decoder: ChunkDecoder, bytes: number): Promise<StemProbe> {
  const frames = decoder.totalFrames;
  const corruptFrames: CorruptFrame[] = [];
  let truncated = false;
  const ranges = frames === 0 ? [] : [Math.floor(frames / 2), Math.max(0, frames - PROBE_FRAMES)];
  for (const start of ranges) {
    const pcm = await decoder.decodeRange(start, Math.min(PROBE_FRAMES, frames - start));
    for (const issue of pcm.errors) {
      if (issue.kind === 'truncated') truncated = true;
      else if (!corruptFrames.some((c) => c.at === issue.sampleOffset)) corruptFrames.push({ at: issue.sampleOffset, message: issue.message });
    }
  }
  return {
    ok: true,
    sampleRate: decoder.sampleRate,
    channels: decoder.channels,
    bitDepth: decoder.bitDepth,
    frames,
    bytes,
    md5: decoder.md5,
    presentFrames: truncated ? await presentEnd(decoder, frames) : frames,
    corruptFrames,
  };
}

/**
 * Where a truncated file's audio ends: the first frame that does not decode. Bisection on
 * one-frame decodes, since the decoder reports a truncation where the range starts, not where the
 * audio stops.
 */
async function presentEnd(decoder: ChunkDecoder, frames: Frames): Promise<Frames> {
  let low = 0; // decodes (or is 0)
  let high = frames; // does not decode
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    const pcm = await decoder.decodeRange(middle, 1);
    if (pcm.frameCount === 1 && !pcm.errors.some((e) => e.kind === 'truncated')) low = middle;
    else high = middle;
  }
  const first = await decoder.decodeRange(0, 1);
  return first.frameCount === 1 ? high : 0;
}
