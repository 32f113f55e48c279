/** The sample a synthetic Web Worker stem holds at (channel, frame): a 16-bit integer / 2^15, exact in float32. */
export function syntheticWebSample(channel: number, frame: number): number {
  return (((frame * 7 + channel * 1_001) % 65_536) - 32_768) / 32_768;
}
