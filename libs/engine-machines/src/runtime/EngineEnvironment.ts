import type { EngineMetricsSnapshot } from '../metrics/EngineMetrics.js';
import { EngineMetrics } from '../metrics/EngineMetrics.js';
import type { ChunkSource } from '../ports/ChunkSource.js';
import type { EngineClock } from '../ports/EngineClock.js';
import type { EngineLogger } from '../ports/EngineLogger.js';
import type { WholeStemDecoder } from '../ports/WholeStemDecoder.js';
import type { StemBufferFactory } from '../buffers/StemBuffer.js';
import type { MixerPort } from '../mixer/MixerPort.js';
import type { EngineSettings } from '../settings/EngineSettings.js';
import { ChangeSignal } from './ChangeSignal.js';
import type { EngineEnv } from './EngineEnv.js';
import { SongCloser } from './SongCloser.js';
import type { SongRuntime } from './SongRuntime.js';

/** Song instances kept for metrics (a long rehearsal loads many). */
const HISTORY_LIMIT = 100;

/** The {@link EngineEnv} of one engine. Control thread. */
export class EngineEnvironment implements EngineEnv {
  readonly songs = new Map<number, SongRuntime>();
  readonly history: SongRuntime[] = [];
  readonly changes = new ChangeSignal();
  readonly metrics: EngineMetrics;
  readonly closer: SongCloser;
  private instances = 0;
  private seeks = 0;

  constructor(
    readonly loader: ChunkSource,
    readonly legacyDecoder: WholeStemDecoder,
    readonly clock: EngineClock,
    readonly logger: EngineLogger,
    readonly createBuffer: StemBufferFactory,
    readonly mixer: MixerPort,
    readonly sampleRate: number,
    public settings: EngineSettings,
    takeMetrics: (env: EngineEnvironment) => EngineMetricsSnapshot,
  ) {
    this.metrics = new EngineMetrics(() => takeMetrics(this));
    this.closer = new SongCloser(loader, logger);
  }

  register(runtime: SongRuntime): void {
    this.songs.set(runtime.instance, runtime);
    if (!this.history.includes(runtime)) {
      this.history.push(runtime);
      if (this.history.length > HISTORY_LIMIT) this.history.shift();
    }
  }

  nextInstanceId(): number {
    return ++this.instances;
  }

  nextSeekId(): number {
    return ++this.seeks;
  }

  /** For inspection snapshots: the engine environment is shown as its settings only. */
  summary(): Record<string, unknown> {
    return { sampleRate: this.sampleRate, songsLoaded: this.songs.size, settings: this.settings };
  }
}

