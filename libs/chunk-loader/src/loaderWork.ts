import type { RequestContext } from './errors.js';
import type { PcmBlock } from './ports/StemDecoder.js';
import type { ResolvedSpan } from './scheduler/resolveSpan.js';
import type { CancelFilter, LoadedChunk, StemInfo } from './types.js';

/** The payload of a scheduled job: a load (for requests) or a write-back (the loader's own). */
export interface Work {
  readonly kind: 'load' | 'write';
  readonly stem: StemInfo;
  readonly span: ResolvedSpan;
  attempts: number;
  crashRetries: number;
  startedAt: number | undefined;
  /** Write-backs: the PCM to store (absent until decoded when the budget was exhausted). */
  pcm: PcmBlock | undefined;
  /** Bytes of `pcm` counted against the write-back budget. */
  budgeted: number;
}

/** A `request()` waiting for a job. */
export interface Requester {
  readonly resolve: (chunk: LoadedChunk) => void;
  readonly reject: (error: unknown) => void;
  readonly requestedAt: number;
  readonly context: RequestContext;
}

export function newWork(kind: Work['kind'], stem: StemInfo, span: ResolvedSpan): Work {
  return { kind, stem, span, attempts: 0, crashRetries: 0, startedAt: undefined, pcm: undefined, budgeted: 0 };
}

/** Same stem, file and frames = same work; the path is included so a re-opened stem never gets old audio. */
export function jobKey(kind: Work['kind'], stem: StemInfo, span: ResolvedSpan): string {
  return `${kind}:${JSON.stringify([stem.song, stem.stem, stem.path, span.startFrame, span.frameCount])}`;
}

export function fitsSpan(pcm: PcmBlock, work: Work): boolean {
  return pcm.frameCount === work.span.frameCount && pcm.channelData.length === work.stem.channels && pcm.channelData.every((channel) => channel.length === work.span.frameCount);
}

export function describeWork(work: Work): string {
  const { chunkIndex, startFrame, frameCount, wholeChunk } = work.span;
  return `${work.stem.song}/${work.stem.stem} chunk #${chunkIndex}${wholeChunk ? '' : ` (frames ${startFrame}+${frameCount})`}`;
}

export function describeFilter(filter: CancelFilter): string {
  const parts = Object.entries(filter).filter(([, value]) => value !== undefined).map(([key, value]) => `${key}=${String(value)}`);
  return parts.length > 0 ? parts.join(' ') : 'everything';
}

export function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
