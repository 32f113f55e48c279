/*
 * The audio thread (a worker_threads worker): the mixer and nothing else. It renders 128-frame
 * quanta on its own clock, a little ahead of real time like a sound card's buffer, and sleeps
 * between them with Atomics.wait. It talks to the control thread only through shared memory (the
 * mixer's rings and status blocks, the output ring, its own counters); song registrations are
 * read synchronously from a MessagePort between render calls. It never awaits; the only
 * allocations are a registration's (when one arrives, outside any render call).
 */
import { receiveMessageOnPort, workerData } from 'node:worker_threads';
import { Mixer } from '../realtime/Mixer.js';
import { PcmRing } from '../realtime/PcmRing.js';
import { StatusBlock } from '../realtime/StatusBlock.js';
import { AudioThreadStat } from './audioThreadProtocol.js';
import type { AudioThreadData, RegistrationMessage } from './audioThreadProtocol.js';

const data = workerData as AudioThreadData;
const control = new Int32Array(data.control);
const stats = new StatusBlock(data.stats);
const output = data.output ? new PcmRing(data.output, 2) : null;
const mixer = new Mixer(data.memory, data.quantumFrames);
const quantum = data.quantumFrames;
const out = [new Float32Array(quantum), new Float32Array(quantum)];
const quantumMs = (quantum / data.sampleRate) * 1000;
const aheadMs = (data.aheadFrames / data.sampleRate) * 1000;
const started = performance.now();
let quanta = 0;
let late = 0;
let maxMicros = 0;
let totalMicros = 0;

/** A registration the mixer had no room for yet (it adopts them as their commands are applied). */
let held: RegistrationMessage | null = null;

while (Atomics.load(control, 0) === 1) {
  for (;;) {
    const message: RegistrationMessage | null = held ?? (receiveMessageOnPort(data.registrations)?.message as RegistrationMessage | undefined) ?? null;
    if (message === null) break;
    held = mixer.register(message.registration, message.afterCommand) ? null : message;
    if (held !== null) break;
  }
  const elapsed = performance.now() - started;
  // Quantum k plays at k × quantumMs; it is rendered once it is within `aheadMs` of that.
  const due = Math.floor((elapsed + aheadMs) / quantumMs);
  while (quanta < due) {
    if (elapsed > quanta * quantumMs) late++;
    const before = performance.now();
    mixer.render(out, quantum);
    const micros = (performance.now() - before) * 1000;
    if (micros > maxMicros) maxMicros = micros;
    totalMicros += micros;
    output?.write(out, quantum);
    quanta++;
  }
  const values = stats.values;
  stats.begin();
  values[AudioThreadStat.quanta] = quanta;
  values[AudioThreadStat.lateQuanta] = late;
  values[AudioThreadStat.maxRenderMicros] = maxMicros;
  values[AudioThreadStat.totalRenderMicros] = totalMicros;
  stats.end();
  const nextDue = (quanta + 1) * quantumMs - aheadMs;
  Atomics.wait(control, 1, 0, Math.max(0.25, nextDue - (performance.now() - started)));
}
