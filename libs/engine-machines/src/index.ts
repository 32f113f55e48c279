/** @packageDocumentation XState v5 actors for the Trax playback engine over a real-time mixer, and setlists. */
export { loadSetlist } from './setlist/loadSetlist.js';
export { validateSetlistJson, unsafeIdReason } from './setlist/validateSetlist.js';
export type { UnresolvedSetlist } from './setlist/validateSetlist.js';
export { SetlistError } from './setlist/SetlistError.js';
export type { SetlistProblem } from './setlist/SetlistError.js';
export type { Setlist, SongSpec, StemSpec, Decibels } from './setlist/setlistTypes.js';

// Engine
export { createEngine } from './createEngine.js';
export type { CreateEngineOptions, Engine, StemSetting } from './createEngine.js';
export { engineMachine } from './machines/engineMachine.js';
export type { EngineActor, EngineCommand, EngineEmitted, EngineEvent, MixerNotice } from './machines/engineMachine.js';
export { songMachine } from './machines/songMachine.js';
export type { SongActor, SongEvent, SongOutput, StemChange } from './machines/songMachine.js';
export { stemLoaderMachine } from './machines/stemLoaderMachine.js';
export type { StemLoaderActor, StemLoaderEvent, StemLoaderOutput } from './machines/stemLoaderMachine.js';
export { seekMachine } from './machines/seekMachine.js';
export type { SeekActor, SeekEvent, SeekOutcome } from './machines/seekMachine.js';
export type { LegacyProgress } from './machines/actors/legacyDecode.js';
export { DEFAULT_SETTINGS, LOADER_SETTINGS, InvalidSettingError, mergeSettings } from './settings/EngineSettings.js';
export type { EngineSettings } from './settings/EngineSettings.js';
export { StemOpenError, SampleRateMismatchError, StemLoadFailedError, LegacyDecodeError } from './errors.js';

// Ports and their defaults
export { isCancellation } from './ports/ChunkSource.js';
export type { ChunkSource, ChunkSpan, CancelFilter, LoadedChunk, Priority, StemInfo, StemRef, StemSource } from './ports/ChunkSource.js';
export type { WholeStemDecoder, WholeStem, WholeDecodeProgress } from './ports/WholeStemDecoder.js';
export { systemClock } from './ports/EngineClock.js';
export type { EngineClock } from './ports/EngineClock.js';
export { consoleLogger, silentLogger } from './ports/EngineLogger.js';
export type { EngineLogger, LogContext, LogLevel } from './ports/EngineLogger.js';

// Real-time mixer (no Node APIs: usable in an AudioWorklet)
export { Mixer, MAX_QUANTUM_FRAMES, MAX_STEM_CHANNELS } from './realtime/Mixer.js';
export {
  armNextCommand,
  cancelSeekCommand,
  fadeOutCommand,
  failStemCommand,
  pauseCommand,
  playCommand,
  seekCommand,
  setStemCommand,
  startCommand,
  stopCommand,
} from './realtime/MixerCommand.js';
export type { MixerCommand } from './realtime/MixerCommand.js';
export { MixerEventKind } from './realtime/MixerEvent.js';
export type { MixerEventRecord } from './realtime/MixerEvent.js';
export { BUFFER_SETS, MixSong, MixStem } from './realtime/MixSong.js';
export type { PcmReader } from './realtime/PcmReader.js';
export type { StemBuffer, StemBufferFactory, StemBufferSpec } from './realtime/StemBuffer.js';
export { SegmentBuffer } from './realtime/SegmentBuffer.js';
export { StreamingStemBuffer } from './adapters/StreamingStemBuffer.js';
export { chunkDecoderWholeStem } from './adapters/chunkDecoderWholeStem.js';
export { WholePcmReader } from './realtime/WholePcmReader.js';
export { dbToGain } from './realtime/gain.js';
export { stereoMatrix } from './realtime/downmix.js';

// Sinks and playback
export type { PlaybackSource } from './runtime/PlaybackDriver.js';
export { RenderSink, RenderStallError } from './sinks/RenderSink.js';
export type { RenderOptions, RenderResult, TimedAction } from './sinks/RenderSink.js';
export { RealtimeSink } from './sinks/RealtimeSink.js';
export type { RealtimeSinkOptions } from './sinks/RealtimeSink.js';
export { WavWriter, parseFloatWav } from './sinks/WavWriter.js';

// Metrics and inspection
export type { EngineMetricsSnapshot } from './metrics/EngineMetrics.js';
export type { SongMetrics, StemFill } from './metrics/SongMetrics.js';
export { summarize, summarizingInspector } from './inspect/summarize.js';

// Units
export { secondsToFrames, framesToSeconds } from './units.js';
export type { Frames, Seconds, Millis } from './units.js';

// Test support (deterministic fakes; also used by the CLI's and desktop's tests)
export { FakeChunkSource, FakeCancelledError } from './testing/FakeChunkSource.js';
export type { FakeChunkSourceOptions, FakeRequest, FakeStemShape } from './testing/FakeChunkSource.js';
export { syntheticPcm, syntheticSample } from './testing/syntheticPcm.js';

// Inspection protocol (served by `trax play --inspect-port` and the desktop app, read by the devtools)
export { INSPECT_PROTOCOL_VERSION, helloMessage, inspectBatch, messageStamper, takenTransitions } from './inspect/inspectProtocol.js';
export type {
  ActionMessage,
  ActorCreatedMessage,
  ActorStoppedMessage,
  EventMessage,
  HelloMessage,
  InspectBatch,
  InspectMessage,
  InspectMessageType,
  MachineIdentity,
  MetricsMessage,
  MicrostepMessage,
  SnapshotMessage,
  TakenTransition,
  UnstampedMessage,
} from './inspect/inspectProtocol.js';
export { machineIdentity } from './inspect/machineIdentity.js';
export { InspectionRecorder } from './inspect/InspectionRecorder.js';
export type { InspectionRecorderOptions } from './inspect/InspectionRecorder.js';
export type { ActorHandle, SnapshotSummary } from './inspect/summarize.js';
