import { MessageChannel, Worker } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { MixerClient } from '../mixer/MixerClient.js';
import { ClientMixerPort } from '../mixer/ClientMixerPort.js';
import type { MixerPort } from '../mixer/MixerPort.js';
import { systemClock } from '../ports/EngineClock.js';
import type { EngineClock } from '../ports/EngineClock.js';
import { createMixerMemory } from '../realtime/MixerMemory.js';
import { PcmRing } from '../realtime/PcmRing.js';
import type { SongRegistration } from '../realtime/SongRegistration.js';
import { StatusBlock } from '../realtime/StatusBlock.js';
import type { Frames, Millis } from '../units.js';
import { AUDIO_THREAD_STATS, AudioThreadStat } from './audioThreadProtocol.js';
import type { AudioThreadData, RegistrationMessage } from './audioThreadProtocol.js';

export interface RealtimeSinkOptions {
  readonly sampleRate?: number;
  /** Frames per quantum (default 128, as Web Audio and many sound cards). */
  readonly quantumFrames?: Frames;
  /** How far ahead of real time the audio thread renders, like a sound card's buffer (default 256 frames ≈ 5.3 ms at 48 kHz). */
  readonly aheadFrames?: Frames;
  /**
   * Receives the rendered audio, interleaved stereo, on the control thread (from a ring the audio
   * thread fills; the arrays are reused). Without it no audio leaves the audio thread.
   */
  readonly onAudio?: (interleaved: Float32Array, frames: Frames) => void;
  /** How much rendered audio the ring to `onAudio` holds while the control thread is busy (default 2 s). */
  readonly outputSeconds?: number;
  /** How often the control thread takes the audio out of the ring (default 10 ms). */
  readonly drainMs?: Millis;
  readonly clock?: EngineClock;
}

/** The audio thread's own counters. */
export interface AudioThreadStats {
  readonly quanta: number;
  /** Quanta rendered after they should have started playing (the thread was late: a device would have glitched). */
  readonly lateQuanta: number;
  readonly maxRenderMs: Millis;
  readonly meanRenderMs: Millis;
  /** Frames the audio thread dropped because the control thread did not take them in time. */
  readonly droppedOutputFrames: Frames;
}

const runningFromSource = import.meta.url.endsWith('.ts');

/** The audio thread's script; from TypeScript source it needs the TypeScript shim (see registerTsx.mjs). */
function audioThreadScript(): { url: URL; execArgv?: string[] } {
  if (!runningFromSource) return { url: new URL('./audioThread.js', import.meta.url) };
  return {
    url: new URL('./audioThread.ts', import.meta.url),
    execArgv: ['--import', new URL('./registerTsx.mjs', import.meta.url).href, '--conditions=@trax/source'],
  };
}

/** The mixer port of a mixer on the Node audio thread: commands and events cross in shared memory, registrations once by message. */
class AudioThreadMixer extends ClientMixerPort {
  readonly sharedMemory = true;
  readonly freeRunning = true;

  constructor(
    sampleRate: number,
    client: MixerClient,
    private readonly registrations: MessagePort,
    private readonly stop: () => Promise<void>,
  ) {
    super(sampleRate, client);
  }

  registerSong(registration: SongRegistration): void {
    const message: RegistrationMessage = { registration, afterCommand: this.client.posted };
    this.registrations.postMessage(message);
  }

  close(): Promise<void> {
    return this.stop();
  }
}

/**
 * Real-time output in Node: the mixer runs on its own thread (`worker_threads`), rendering
 * 128-frame quanta on that thread's clock whatever the control thread does — a stalled control
 * thread (actors, loader, cache) costs nothing while the stems' buffers hold data. Give
 * `sink.mixer` to `createEngine`; the rendered audio reaches `onAudio` on the control thread
 * through a ring (a file, a pipe to `aplay`, a test).
 *
 * @example
 * const sink = await RealtimeSink.start({ onAudio: (pcm, frames) => speaker.write(pcm, frames) });
 * const engine = createEngine({ loader, mixer: sink.mixer });
 * engine.playSong('song-1');
 * // later
 * await engine.close();
 * await sink.stop();
 */
export class RealtimeSink {
  readonly mixer: MixerPort;
  private readonly output: PcmRing | null;
  private readonly statsBlock: StatusBlock;
  private readonly statsValues = new Float64Array(AUDIO_THREAD_STATS);
  private drainTimer: unknown = null;
  private stopped: Promise<void> | null = null;

  private constructor(
    private readonly worker: Worker,
    private readonly control: Int32Array,
    stats: SharedArrayBuffer,
    output: SharedArrayBuffer | null,
    client: MixerClient,
    registrations: MessagePort,
    readonly sampleRate: number,
    private readonly options: RealtimeSinkOptions,
  ) {
    this.statsBlock = new StatusBlock(stats);
    this.output = output ? new PcmRing(output, 2) : null;
    this.mixer = new AudioThreadMixer(sampleRate, client, registrations, () => this.stop());
    if (this.output) this.scheduleDrain();
  }

  /** Starts the audio thread; resolves once it runs. */
  static async start(options: RealtimeSinkOptions = {}): Promise<RealtimeSink> {
    const sampleRate = options.sampleRate ?? 48_000;
    const memory = createMixerMemory(true);
    const control = new SharedArrayBuffer(8);
    new Int32Array(control)[0] = 1;
    const stats = StatusBlock.create(AUDIO_THREAD_STATS, true).buffer as SharedArrayBuffer;
    const output = options.onAudio ? (PcmRing.create(Math.round((options.outputSeconds ?? 2) * sampleRate), 2, true).buffer as SharedArrayBuffer) : null;
    const channel = new MessageChannel();
    const data: AudioThreadData = {
      memory,
      control,
      stats,
      output,
      registrations: channel.port2,
      sampleRate,
      quantumFrames: options.quantumFrames ?? 128,
      aheadFrames: options.aheadFrames ?? 256,
    };
    const script = audioThreadScript();
    const worker = new Worker(script.url, {
      workerData: data,
      transferList: [channel.port2],
      ...(script.execArgv ? { execArgv: script.execArgv } : {}),
    });
    await new Promise<void>((resolve, reject) => {
      worker.once('online', resolve);
      worker.once('error', reject);
    });
    return new RealtimeSink(worker, new Int32Array(control), stats, output, new MixerClient(memory), channel.port1, sampleRate, options);
  }

  /** The audio thread's counters. */
  stats(): AudioThreadStats {
    const v = this.statsBlock.snapshot(this.statsValues);
    const quanta = v[AudioThreadStat.quanta];
    return {
      quanta,
      lateQuanta: v[AudioThreadStat.lateQuanta],
      maxRenderMs: v[AudioThreadStat.maxRenderMicros] / 1000,
      meanRenderMs: quanta > 0 ? v[AudioThreadStat.totalRenderMicros] / quanta / 1000 : 0,
      droppedOutputFrames: this.output?.dropped ?? 0,
    };
  }

  /** Takes the rendered audio waiting in the ring to `onAudio` now. */
  drain(): void {
    const onAudio = this.options.onAudio;
    if (onAudio) this.output?.read(onAudio);
  }

  /** Stops the audio thread (after handing the last audio to `onAudio`). */
  stop(): Promise<void> {
    this.stopped ??= (async () => {
      const clock = this.options.clock ?? systemClock;
      if (this.drainTimer !== null) clock.clearTimeout(this.drainTimer);
      this.drainTimer = null;
      Atomics.store(this.control, 0, 0);
      Atomics.notify(this.control, 1);
      await this.worker.terminate().catch(() => undefined);
      this.drain();
    })();
    return this.stopped;
  }

  private scheduleDrain(): void {
    const clock = this.options.clock ?? systemClock;
    this.drainTimer = clock.setTimeout(() => {
      this.drain();
      if (this.drainTimer !== null) this.scheduleDrain();
    }, this.options.drainMs ?? 10);
  }
}
