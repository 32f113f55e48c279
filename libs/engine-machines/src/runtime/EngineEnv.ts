import type { EngineMetrics } from '../metrics/EngineMetrics.js';
import type { ChunkSource } from '../ports/ChunkSource.js';
import type { EngineClock } from '../ports/EngineClock.js';
import type { EngineLogger } from '../ports/EngineLogger.js';
import type { WholeStemDecoder } from '../ports/WholeStemDecoder.js';
import type { StemBufferFactory } from '../buffers/StemBuffer.js';
import type { MixerPort } from '../mixer/MixerPort.js';
import type { EngineSettings } from '../settings/EngineSettings.js';
import type { ChangeSignal } from './ChangeSignal.js';
import type { SongCloser } from './SongCloser.js';
import type { SongRuntime } from './SongRuntime.js';

/**
 * What every actor of one engine shares: the ports, the mixer, the current settings and the
 * registry of loaded songs. Lives on the control thread; actors receive it in their input and
 * inspection snapshots show it as a summary only.
 */
export interface EngineEnv {
  readonly loader: ChunkSource;
  readonly legacyDecoder: WholeStemDecoder;
  readonly clock: EngineClock;
  readonly logger: EngineLogger;
  readonly createBuffer: StemBufferFactory;
  /** The one line to the real-time mixer (every actor-to-mixer message goes through it). */
  readonly mixer: MixerPort;
  /** The output rate every stem is delivered at. */
  readonly sampleRate: number;
  /** Current settings; replaced (never mutated) by ENGINE.SET_SETTINGS. */
  settings: EngineSettings;
  /** Loaded song instances by instance id (the mixer's name for them). */
  readonly songs: Map<number, SongRuntime>;
  /** Every song instance loaded so far, oldest first (for metrics; capped). */
  readonly history: SongRuntime[];
  readonly metrics: EngineMetrics;
  /** Closes retired songs in the loader once their cache write-backs had time to finish. */
  readonly closer: SongCloser;
  /** Notified when audio arrives or a song changes state (wakes the offline sink). */
  readonly changes: ChangeSignal;
  /** Makes a loaded song known to the playback driver and to metrics. */
  register(runtime: SongRuntime): void;
  nextInstanceId(): number;
  nextSeekId(): number;
}
