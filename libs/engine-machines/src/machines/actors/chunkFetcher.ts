import { fromCallback } from 'xstate';
import type { ChunkSource, LoadedChunk, StemRef } from '../../ports/ChunkSource.js';
import { isCancellation } from '../../ports/ChunkSource.js';
import type { FetchRequest } from '../../runtime/stemRequests.js';

export type FetcherInput = { readonly loader: ChunkSource; readonly ref: StemRef };
export type FetcherCommand = { type: 'FETCH.REQUEST'; request: FetchRequest };
export type FetcherReply =
  | { type: 'FETCH.LOADED'; request: FetchRequest; chunk: LoadedChunk }
  | { type: 'FETCH.FAILED'; request: FetchRequest; error: unknown }
  | { type: 'FETCH.CANCELLED'; request: FetchRequest };

/**
 * I/O actor: the stem loader's line to the chunk loader. Takes FETCH.REQUEST messages, asks the
 * loader, and sends each outcome back as FETCH.LOADED / FETCH.FAILED / FETCH.CANCELLED. When it is
 * stopped (its stem loader stopped: the song was closed or replaced) it cancels every request of
 * the stem it still has open, and drops late outcomes: the loader port has no per-request abort,
 * so stopping is this actor's abort signal.
 */
export const chunkFetcher = fromCallback<FetcherCommand, FetcherInput>(({ input, receive, sendBack }) => {
  let open = 0;
  let stopped = false;
  receive((command) => {
    const { request } = command;
    open++;
    input.loader.request(input.ref, request.span, request.priority, request.deadline).then(
      (chunk) => {
        open--;
        if (!stopped) sendBack({ type: 'FETCH.LOADED', request, chunk } satisfies FetcherReply);
      },
      (error: unknown) => {
        open--;
        if (stopped) return;
        sendBack((isCancellation(error) ? { type: 'FETCH.CANCELLED', request } : { type: 'FETCH.FAILED', request, error }) satisfies FetcherReply);
      },
    );
  });
  return () => {
    stopped = true;
    if (open > 0) input.loader.cancel({ song: input.ref.song, stem: input.ref.stem });
  };
});
