/**
 * @packageDocumentation XState v5 actors for the Trax playback engine over a real-time mixer, and
 * setlists. Runs in a browser page or in Node; Node-only parts are in `@trax/engine-machines/node`,
 * what the audio thread runs in `@trax/engine-machines/realtime`, fakes in `@trax/engine-machines/testing`.
 */

// Setlists (JSON validation; reading files and folders is in ./node)
export { validateSetlistJson, unsafeIdReason } from './setlist/validateSetlist.js';
export type { UnresolvedSetlist } from './setlist/validateSetlist.js';
export { SetlistError } from './setlist/SetlistError.js';
export type { SetlistProblem } from './setlist/SetlistError.js';
export type { Setlist, SongSpec, StemSpec, Decibels } from './setlist/setlistTypes.js';

// Engine
export { createEngine } from './createEngine.js';
export type { CreateEngineOptions, Engine, JumpRequest, NavigationView, ResumeOutcome, StemSetting } from './createEngine.js';
export type { LoopRelease, LoopRequest } from './runtime/planNavigation.js';
export type { JumpView } from './machines/jumpMachine.js';
export type { LoopView } from './machines/loopMachine.js';
export type { EngineActor, EngineCommand, EngineEmitted } from './machines/engineMachine.js';
export type { LegacyProgress } from './machines/actors/legacyDecode.js';
export { DEFAULT_SETTINGS, LOADER_SETTINGS, InvalidSettingError, mergeSettings } from './settings/EngineSettings.js';
export type { EngineSettings } from './settings/EngineSettings.js';
export { StemOpenError, SampleRateMismatchError, StemLoadFailedError, LegacyDecodeError } from './errors.js';

// Machine definitions, for inspection tools that draw them (the engine spawns them itself)
export { engineMachine } from './machines/engineMachine.js';
export { songMachine } from './machines/songMachine.js';
export { stemLoaderMachine } from './machines/stemLoaderMachine.js';
export { seekMachine } from './machines/seekMachine.js';
export { jumpMachine } from './machines/jumpMachine.js';
export { loopMachine } from './machines/loopMachine.js';

// Ports and their defaults
export { isCancellation } from './ports/ChunkSource.js';
export type { ChunkSource, ChunkSpan, CancelFilter, LoadedChunk, Priority, StemInfo, StemRef, StemSource } from './ports/ChunkSource.js';
export type { WholeStemDecoder, WholeStem, WholeDecodeProgress } from './ports/WholeStemDecoder.js';
export { systemClock } from './ports/EngineClock.js';
export type { EngineClock } from './ports/EngineClock.js';
export { consoleLogger, silentLogger } from './ports/EngineLogger.js';
export type { EngineLogger, LogContext, LogLevel } from './ports/EngineLogger.js';
export type { MixerPort, MixerStatus } from './mixer/MixerPort.js';
export { WorkletMixer } from './mixer/WorkletMixer.js';
export type { WorkletMixerOptions } from './mixer/WorkletMixer.js';
export type { StemBuffer, StemBufferFactory, StemBufferSpec, FrameRange } from './buffers/StemBuffer.js';
export { StreamingStemBuffer } from './buffers/StreamingStemBuffer.js';

// Offline rendering and playback
export type { Blocker, PlaybackSource } from './runtime/PlaybackDriver.js';
export { RenderSink, RenderStallError } from './sinks/RenderSink.js';
export type { RenderOptions, RenderResult, TimedAction } from './sinks/RenderSink.js';

// Metrics and inspection
export type { EngineMetricsSnapshot } from './metrics/EngineMetrics.js';
export type { SongMetrics, StemFill } from './metrics/SongMetrics.js';
export { summarize, summarizingInspector } from './inspect/summarize.js';

// Units
export { secondsToFrames, framesToSeconds } from './units.js';
export type { Frames, Seconds, Millis } from './units.js';

// Setlist format: musical fields, URL stems, song.json (docs/setlist-format.md)
export type { SongMusic, TempoChange, SectionMark, Transition } from './setlist/setlistTypes.js';
export { validateSongMusic } from './setlist/validateSongMusic.js';
export type { ReportProblem } from './setlist/validateSongMusic.js';
export { isStemUrl, stemLocationProblem } from './setlist/stemLocation.js';
export { songTimingProblems } from './setlist/songTimingProblems.js';
export { SongTimingError } from './setlist/SongTimingError.js';

// Musical time (pure): bars, beats, sections, jump landings, count-in
export { TempoMap, ABSORB_SECONDS } from './music/TempoMap.js';
export type { BarBeat } from './music/TempoMap.js';
export { SectionMap } from './music/SectionMap.js';
export type { SectionSpan } from './music/SectionMap.js';
export { SongTimeline } from './music/SongTimeline.js';
export type { JumpWhen, JumpTarget } from './music/SongTimeline.js';
export { NavigationError } from './music/NavigationError.js';
export { CLICK, countInFrames, countInBeatFrames, renderCountInClick } from './music/countIn.js';
export type { CountInSpec } from './music/countIn.js';
export { formatClock } from './music/formatClock.js';

// Pre-show check (pure orchestration; Node ports in ./node)
export { checkSetlist, SLOW_DISK_FACTOR, LENGTH_TOLERANCE_FRAMES } from './check/checkSetlist.js';
export type { CheckSetlistOptions } from './check/checkSetlist.js';
export { CHECK_SEVERITY } from './check/SetlistCheck.js';
export type { CheckProblem, CheckProblemKind, CheckSeverity, SetlistCheck, SongCheck, StemCheck } from './check/SetlistCheck.js';
export type {
  CacheCoverage,
  CheckPorts,
  CorruptFrame,
  CoverageQuery,
  StemCoverage,
  StemFacts,
  StemProbe,
  StemProbeFailure,
  StemProbeFailureKind,
  StemProber,
  ThroughputMeter,
  ThroughputSample,
} from './check/checkPorts.js';

// Resume journal (pure; the atomic file store is in ./node)
export { serializeResumeJournal, JOURNAL_FORMAT, JOURNAL_VERSION } from './journal/ResumeJournal.js';
export type { ResumeJournal, StemMix, JournalLoop } from './journal/ResumeJournal.js';
export { parseResumeJournal } from './journal/parseResumeJournal.js';
export { ResumeJournalError } from './journal/ResumeJournalError.js';
export type { JournalStore } from './journal/JournalStore.js';
export { ThrottledJournal, JOURNAL_INTERVAL_MS } from './journal/ThrottledJournal.js';
export { resumeFrame } from './journal/resumeFrame.js';
export type { ThrottledJournalOptions } from './journal/ThrottledJournal.js';

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
