/*
 * The few Web Audio shapes the worklet port uses, declared structurally: the library compiles
 * without the DOM typings (its code also runs in Node and workers), and the port finds
 * `AudioWorkletNode` on `globalThis` when it is created in a page.
 */

export interface AudioNodeLike {
  connect(destination: AudioNodeLike): unknown;
  disconnect(): void;
}

/** An `AudioContext` or `OfflineAudioContext`. */
export interface AudioContextLike {
  readonly sampleRate: number;
  readonly destination: AudioNodeLike;
  readonly audioWorklet: { addModule(url: string): Promise<void> };
}

export interface AudioWorkletNodeLike extends AudioNodeLike {
  readonly port: { postMessage(message: unknown): void; close(): void };
}

export type AudioWorkletNodeConstructor = new (
  context: AudioContextLike,
  name: string,
  options: { numberOfInputs: number; numberOfOutputs: number; outputChannelCount: number[]; processorOptions: unknown },
) => AudioWorkletNodeLike;

/** The page's `AudioWorkletNode`, or an error saying where one is needed. */
export function audioWorkletNodeClass(): AudioWorkletNodeConstructor {
  const found = (globalThis as { AudioWorkletNode?: AudioWorkletNodeConstructor }).AudioWorkletNode;
  if (!found) throw new Error('AudioWorkletNode is not available here: the worklet mixer runs in a browser page (a secure context)');
  return found;
}
