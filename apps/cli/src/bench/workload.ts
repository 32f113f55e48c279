import { loadSetlist } from '@trax/engine-machines/node';
import type { Setlist, SongSpec } from '@trax/engine-machines';
import { fixture, hasFlacCli } from '@trax/test-audio';
import type { GeneratedSong, SongParams } from '@trax/test-audio';
import { open } from 'node:fs/promises';
import type { BenchOptions } from './benchOptions.js';

/** The songs every measure plays, generated once and cached on disk by their parameters. */
export interface Workload {
  /** The reference song: `stems` × `songSeconds`, 48 kHz / 24-bit stereo. */
  readonly reference: Setlist;
  /** The same song at 44.1 kHz (resampled to 48 kHz on the way). */
  readonly reference44k: Setlist;
  /** A setlist of shorter songs, for song jumps and transitions. */
  readonly setlist: Setlist;
  /** Reference stems' files (decode throughput, cache size). */
  readonly referenceFiles: readonly string[];
  readonly encoder: 'flac-cli' | 'internal';
  /** Bytes of the reference song's FLAC files. */
  readonly referenceBytes: number;
  /** Wall time spent getting the workload ready (generation the first time, ~ms later). */
  readonly readyMs: number;
}

export const REFERENCE_SONG = 'reference';
export const REFERENCE_44K_SONG = 'reference-44k';

/**
 * Generates (the first time) or finds (later) the workload with `@trax/test-audio`'s fixture
 * cache, then reads every file once so the OS page cache is warm, as the issue asks. Files come
 * from the reference encoder `flac -5` when installed (real-world LPC frames, SEEKTABLE every
 * 10 s), else from `@trax/flac-encoder`.
 */
export async function prepareWorkload(options: BenchOptions, progress: (line: string) => void = () => undefined): Promise<Workload> {
  const started = performance.now();
  const encoder: 'flac-cli' | 'internal' = hasFlacCli() ? 'flac-cli' : 'internal';
  const song = (songId: string, sampleRate: number): SongParams => ({
    songId,
    stems: options.stems,
    seconds: options.songSeconds,
    sampleRate,
    bitDepth: 24,
    channels: 2,
    encoder,
    // One seed for both rates: the 44.1 kHz song holds the same music as the 48 kHz one.
    seed: 0x7ea8,
  });
  progress(`workload: reference song ${options.stems} stems × ${options.songSeconds} s at 48 kHz (${encoder}; generated once, then cached)`);
  const reference = await fixture(song(REFERENCE_SONG, 48_000));
  progress('workload: the same song at 44.1 kHz');
  const reference44k = await fixture(song(REFERENCE_44K_SONG, 44_100));
  progress(`workload: setlist of ${options.setlistSongs} songs × ${options.stems} stems × ${options.setlistSongSeconds} s`);
  const setlist = await fixture({
    name: 'trax-bench',
    songs: Array.from({ length: options.setlistSongs }, (_, i) => ({
      songId: `set-${String(i + 1).padStart(2, '0')}`,
      stems: options.stems,
      seconds: options.setlistSongSeconds,
      sampleRate: 48_000,
      bitDepth: 24 as const,
      channels: 2 as const,
      encoder,
    })),
  });
  const files = [reference, reference44k, ...setlist.songs].flatMap((s) => s.stems.map((stem) => stem.path));
  progress(`workload: reading ${files.length} files once (OS page cache warm)`);
  const sizes = await warmPageCache(files);
  const referenceFiles = reference.stems.map((stem) => stem.path);
  return {
    reference: songSetlist(reference, REFERENCE_SONG),
    reference44k: songSetlist(reference44k, REFERENCE_44K_SONG),
    setlist: await loadSetlist(setlist.path),
    referenceFiles,
    encoder,
    referenceBytes: referenceFiles.reduce((sum, file) => sum + (sizes.get(file) ?? 0), 0),
    readyMs: performance.now() - started,
  };
}

/** A one-song setlist for the engine. */
export function songSetlist(song: GeneratedSong, id: string): Setlist {
  const spec: SongSpec = { id, title: id, stems: song.stems.map((stem) => ({ id: stem.id, path: stem.path, gainDb: stem.gainDb ?? 0 })) };
  return { name: id, source: song.dir, songs: [spec] };
}

/** Reads each file whole (1 MiB at a time); returns their sizes. */
async function warmPageCache(files: readonly string[]): Promise<Map<string, number>> {
  const sizes = new Map<string, number>();
  const block = Buffer.allocUnsafe(1 << 20);
  for (const file of files) {
    const handle = await open(file, 'r');
    try {
      let total = 0;
      for (let read = -1; read !== 0; total += read) read = (await handle.read(block, 0, block.length, null)).bytesRead;
      sizes.set(file, total);
    } finally {
      await handle.close();
    }
  }
  return sizes;
}
