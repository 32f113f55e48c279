import { openFileDecoder } from '@trax/chunk-decoder/node';
import type { Command } from 'commander';
import { UsageError } from '../cliErrors.js';
import { parseNonNegativeInt, parsePositiveInt } from '../options.js';
import { openOutput } from '../output/outputStream.js';
import { encodeF32, encodeRaw, wavFloatHeader, type PcmFormat } from '../output/pcmFormats.js';

interface DecodeOptions {
  startFrame: number;
  frames?: number;
  rate?: number;
  format: PcmFormat;
  out: string;
}

/** Frames decoded per step: one second at 48 kHz keeps memory flat for any range length. */
const STEP_FRAMES = 48_000;

export function registerDecode(program: Command): void {
  program
    .command('decode')
    .description('decode a range of a FLAC file with random access (not from the start)')
    .argument('<file>', 'FLAC file')
    .option('--start-frame <n>', 'first frame (per channel, at the output rate)', parseNonNegativeInt, 0)
    .option('--frames <m>', 'number of frames (default: to the end)', parsePositiveInt)
    .option('--rate <hz>', 'resample to this rate (not with --format raw)', parsePositiveInt)
    .option('--format <format>', 'raw (signed LE ints, as flac -d) | f32le | wav (float32)', 'raw')
    .requiredOption('--out <path>', 'output file, or - for stdout')
    .action(async (file: string, options: DecodeOptions) => decode(file, options));
}

async function decode(file: string, options: DecodeOptions): Promise<void> {
  if (!['raw', 'f32le', 'wav'].includes(options.format)) throw new UsageError(`--format must be raw, f32le or wav, not "${options.format}"`);
  if (options.format === 'raw' && options.rate !== undefined) {
    throw new UsageError('--format raw writes the file\'s own integers and cannot be resampled: use --format f32le or wav with --rate');
  }
  const decoder = await openFileDecoder(file, { outputSampleRate: options.rate });
  const output = openOutput(options.out);
  try {
    if (options.startFrame > decoder.totalFrames) {
      throw new RangeError(`${file}: --start-frame ${options.startFrame} is past the end (${decoder.totalFrames} frames)`);
    }
    const end = Math.min(decoder.totalFrames, options.startFrame + (options.frames ?? Infinity));
    if (options.format === 'wav') await output.write(wavFloatHeader(decoder.outputSampleRate, decoder.channels, end - options.startFrame));
    for (let frame = options.startFrame; frame < end; frame += STEP_FRAMES) {
      const pcm = await decoder.decodeRange(frame, Math.min(STEP_FRAMES, end - frame));
      for (const issue of pcm.errors) process.stderr.write(`trax: warning: ${file}: ${issue.message}\n`);
      const bytes = options.format === 'raw' ? encodeRaw(pcm.channelData, pcm.frameCount, decoder.bitDepth) : encodeF32(pcm.channelData, pcm.frameCount);
      await output.write(bytes);
      if (pcm.frameCount === 0) break;
    }
    await output.finish();
  } catch (error) {
    await output.abort();
    throw error;
  } finally {
    await decoder.close();
  }
}
