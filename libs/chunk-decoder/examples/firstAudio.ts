// Runnable example: `npx tsx libs/chunk-decoder/examples/firstAudio.ts path/to/stem.flac [outputRate]`
// (in an app, import from '@trax/chunk-decoder/node' instead of the source).
import { describeFlacFile, openFileDecoder } from '../src/node.js';

const [file, rate] = process.argv.slice(2);
if (!file) {
  console.error('usage: firstAudio.ts FILE.flac [outputSampleRate]');
  process.exit(2);
}
const info = await describeFlacFile(file);
console.log(info);
if (!info.supported) process.exit(1);

const decoder = await openFileDecoder(file, rate ? { outputSampleRate: Number(rate) } : {});
console.log(`${decoder.channels} ch, ${decoder.bitDepth}-bit, ${decoder.sampleRate} Hz → ${decoder.outputSampleRate} Hz, ${decoder.totalChunks()} chunks of ${decoder.chunkFrames} frames`);
let t = performance.now();
const first = await decoder.decodeRange(0, Math.min(decoder.totalFrames, Math.round(decoder.outputSampleRate / 2)));
console.log(`first 0.5 s: ${first.frameCount} frames in ${(performance.now() - t).toFixed(1)} ms`);
t = performance.now();
const middle = await decoder.decodeChunk(Math.floor(decoder.totalChunks() / 2));
const peak = Math.max(...middle.channelData.map((channel) => channel.reduce((max, x) => Math.max(max, Math.abs(x)), 0)));
console.log(`middle chunk #${middle.startFrame / decoder.chunkFrames}: ${middle.frameCount} frames in ${(performance.now() - t).toFixed(1)} ms, peak ${(20 * Math.log10(peak)).toFixed(1)} dBFS, ${middle.errors.length} issue(s)`);
for (const issue of middle.errors) console.log(`  ${issue.kind} at frame ${issue.sampleOffset}: ${issue.message}`);
await decoder.close();
