import { COMMAND_FIELDS, encodeCommand, NO_SONG } from '../realtime/MixerCommand.js';
import type { MixerCommand } from '../realtime/MixerCommand.js';
import { EVENT_FIELDS } from '../realtime/MixerEvent.js';
import type { MixerEvent, MixerEventKind } from '../realtime/MixerEvent.js';
import { MixerStatusField } from '../realtime/MixerMemory.js';
import type { MixerMemory } from '../realtime/MixerMemory.js';
import { SpscRing } from '../realtime/SpscRing.js';
import { StatusBlock } from '../realtime/StatusBlock.js';
import type { MixerStatus } from './MixerPort.js';

const songOrNull = (value: number): number | null => (value === NO_SONG ? null : value);

/**
 * The control thread's end of the shared {@link MixerMemory}, whichever thread renders: writes
 * commands into the command ring (keeping any that do not fit, in order, until there is room),
 * reads events from the event ring and snapshots of the mixer's status. Control thread only.
 */
export class MixerClient {
  private readonly commands: SpscRing;
  private readonly events: SpscRing;
  private readonly statusBlock: StatusBlock;
  private readonly statusValues: Float64Array;
  private readonly overflow: MixerCommand[] = [];
  private postedCount = 0;

  constructor(readonly memory: MixerMemory) {
    this.commands = new SpscRing(memory.commands, COMMAND_FIELDS);
    this.events = new SpscRing(memory.events, EVENT_FIELDS);
    this.statusBlock = new StatusBlock(memory.status);
    this.statusValues = new Float64Array(this.statusBlock.values.length);
  }

  /** Commands posted so far (a registration is adopted once the mixer applied this many). */
  get posted(): number {
    return this.postedCount;
  }

  post(command: MixerCommand): void {
    this.postedCount++;
    this.overflow.push(command);
    this.flush();
  }

  /** Moves waiting commands into the ring while it has room. */
  flush(): void {
    const ring = this.commands;
    while (this.overflow.length > 0) {
      const at = ring.claim();
      if (at < 0) return;
      encodeCommand(this.overflow[0], ring.data, at);
      ring.publish();
      this.overflow.shift();
    }
  }

  drainEvents(visit: (event: MixerEvent) => void): void {
    this.flush();
    const ring = this.events;
    const data = ring.data;
    for (let at = ring.peek(); at >= 0; at = ring.peek()) {
      const event: MixerEvent = { kind: data[at] as MixerEventKind, song: data[at + 1], id: data[at + 2], outputFrame: data[at + 3], value: data[at + 4], detail: data[at + 5] };
      ring.consume();
      visit(event);
    }
  }

  status(): MixerStatus {
    const v = this.statusBlock.snapshot(this.statusValues);
    return {
      outputFrames: v[MixerStatusField.outputFrames],
      playing: v[MixerStatusField.playing] === 1,
      currentSong: songOrNull(v[MixerStatusField.currentSong]),
      waitingForData: v[MixerStatusField.waiting] === 1,
      pendingSeek: v[MixerStatusField.pendingSeek] < 0 ? null : v[MixerStatusField.pendingSeek],
      armedNext: songOrNull(v[MixerStatusField.armedNext]),
      fadingSong: songOrNull(v[MixerStatusField.fadingSong]),
      pendingCommands: this.postedCount - v[MixerStatusField.commandsApplied],
      droppedEvents: this.events.dropped,
    };
  }
}
