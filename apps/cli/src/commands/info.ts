import { describeFlac, isHttpUrl, openHttpSource, type FlacDescription } from '@trax/chunk-decoder';
import { describeFlacFile } from '@trax/chunk-decoder/node';
import type { Command } from 'commander';
import { errorLine } from '../cliErrors.js';

/** The fields of `trax info --json` (a contract), one object per file, in argument order. */
export interface InfoRecord {
  file: string;
  sampleRate: number;
  channels: number;
  bitDepth: number;
  totalFrames: number;
  durationSeconds: number;
  md5: string;
  seekPoints: number;
  supported: boolean;
  reason?: string;
}

export function registerInfo(program: Command): void {
  program
    .command('info')
    .description('print stream facts of FLAC files from their headers (no audio is decoded)')
    .argument('<files...>', 'FLAC files (paths or http(s):// URLs)')
    .option('--json', 'print a JSON array, one object per file')
    .action(async (files: string[], options: { json?: boolean }) => {
      const records: InfoRecord[] = [];
      let failed = false;
      for (const file of files) {
        try {
          records.push(toRecord(file, await describe(file)));
        } catch (error) {
          failed = true;
          process.stderr.write(`trax: ${errorLine(error)}\n`);
        }
      }
      process.stdout.write(options.json ? `${JSON.stringify(records, null, 2)}\n` : records.map(formatRecord).join('\n'));
      if (failed) process.exitCode = 1;
    });
}

/** A file's description; a URL is read by range (headers and the tail only). */
async function describe(file: string): Promise<FlacDescription> {
  if (!isHttpUrl(file)) return describeFlacFile(file);
  const source = await openHttpSource(file);
  try {
    return await describeFlac(source);
  } finally {
    await source.close();
  }
}

function toRecord(file: string, d: FlacDescription): InfoRecord {
  const record: InfoRecord = {
    file,
    sampleRate: d.sampleRate,
    channels: d.channels,
    bitDepth: d.bitDepth,
    totalFrames: d.totalFrames,
    durationSeconds: d.durationSeconds,
    md5: d.md5,
    seekPoints: d.seekPoints,
    supported: d.supported,
  };
  if (d.reason !== undefined) record.reason = d.reason;
  return record;
}

function formatRecord(r: InfoRecord): string {
  const minutes = Math.floor(r.durationSeconds / 60);
  const seconds = (r.durationSeconds - minutes * 60).toFixed(3).padStart(6, '0');
  return [
    `${r.file}`,
    `  ${r.sampleRate} Hz, ${r.channels} channel${r.channels === 1 ? '' : 's'}, ${r.bitDepth}-bit`,
    `  ${r.totalFrames} frames (${minutes}:${seconds})`,
    `  md5 ${r.md5}, ${r.seekPoints} seek point${r.seekPoints === 1 ? '' : 's'}`,
    `  supported: ${r.supported ? 'yes' : `no — ${r.reason}`}`,
    '',
  ].join('\n');
}
