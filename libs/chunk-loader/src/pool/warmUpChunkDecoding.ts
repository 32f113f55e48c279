import { WasmFrameDecoder } from '@trax/chunk-decoder';

/**
 * Create this thread's WebAssembly FLAC decoder now, so the first decode does not pay for it.
 * Takes one lasting reference on the thread's shared instance, so it also survives `closeSong`
 * closing every decoder of the thread (it would otherwise be freed and re-created).
 */
export async function warmUpChunkDecoding(): Promise<void> {
  await WasmFrameDecoder.acquireShared().warmUp();
}
