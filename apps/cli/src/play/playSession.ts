import { ChunkLoader, consoleLogger as loaderConsoleLogger, silentLogger as loaderSilentLogger } from '@trax/chunk-loader';
import { createEngine, InspectionRecorder, type Engine, type EngineSettings, type JournalStore, type MixerPort, type Setlist } from '@trax/engine-machines';
import { chunkDecoderWholeStem } from '@trax/engine-machines/node';
import { StreamingCache, streamingCacheStore } from '@trax/streaming-cache/node';
import type { InspectionEvent } from 'xstate';
import { startInspectServer, type InspectServer } from '../inspect/inspectServer.js';

export interface PlaySessionOptions {
  setlist: Setlist;
  sampleRate: number;
  cacheDir: string;
  cache: boolean;
  streaming: boolean;
  inspectPort?: number;
  verbose?: boolean;
  settings?: Partial<EngineSettings>;
  /** Where the mixer runs: an audio thread's (`RealtimeSink`) for real time; default the offline in-process one. */
  mixer?: MixerPort;
  /** Where the show is journaled (for `--resume`); none = not journaled. */
  journal?: JournalStore;
  /** Re-arm where the journal left the show: paused (true) or playing. */
  resume?: true | 'play';
}

/** Everything `trax play` runs: cache, loader (worker pool), engine, and the optional inspection server. */
export interface PlaySession {
  readonly engine: Engine;
  readonly loader: ChunkLoader;
  readonly cache: StreamingCache;
  readonly inspect: InspectServer | undefined;
  /** Waits (at most `timeoutMs`) until the loader has no queued or running work, e.g. cache write-backs. */
  settle(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

export async function openPlaySession(options: PlaySessionOptions): Promise<PlaySession> {
  const cache = await StreamingCache.open({ directory: options.cacheDir, enabled: options.cache });
  const loader = await ChunkLoader.start({
    cache: options.cache ? streamingCacheStore(cache) : undefined,
    outputSampleRate: options.sampleRate,
    chunkSeconds: options.settings?.chunkSeconds,
    cacheChunks: options.settings?.cacheFirstChunks,
    logger: options.verbose ? loaderConsoleLogger('debug') : loaderSilentLogger,
  });

  let inspect: InspectServer | undefined;
  let observe: ((event: InspectionEvent) => void) | undefined;
  let recorder: InspectionRecorder | undefined;
  if (options.inspectPort !== undefined) {
    inspect = await startInspectServer({ port: options.inspectPort });
    const server = inspect;
    recorder = new InspectionRecorder((message) => server.publish(message), { source: 'trax play' });
    server.setHello(() => recorder?.greeting() ?? []);
    observe = recorder.observe;
  }

  const engine = createEngine({
    loader,
    legacyDecoder: chunkDecoderWholeStem,
    sampleRate: options.sampleRate,
    settings: { ...options.settings, streamingEnabled: options.streaming, cacheEnabled: options.cache },
    inspect: observe,
    setlist: options.setlist,
    mixer: options.mixer,
    journal: options.journal,
    resume: options.resume,
  });
  const metricsTicks = recorder ? engine.metrics$.subscribe((metrics) => recorder?.publish({ type: 'metrics', metrics })) : undefined;

  return {
    engine,
    loader,
    cache,
    inspect,
    async settle(timeoutMs) {
      const deadline = performance.now() + timeoutMs;
      while (loader.pendingJobs > 0) {
        if (performance.now() > deadline) return false;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      return true;
    },
    async close() {
      metricsTicks?.unsubscribe();
      await engine.close();
      await loader.stop();
      await cache.close();
      await inspect?.close();
    },
  };
}
