/** Command-line options of the loader benchmark (`--name value` or `--name=value`). */
export interface BenchArgs {
  /** Stems in the reference song (default 30). */
  readonly stems: number;
  /** Length of the reference song in seconds (default 360). */
  readonly seconds: number;
  /** Repetitions of the first-audio measurement (default 9; throughput uses 60 % as many). */
  readonly runs: number;
  /** Seconds of song to "play" in the real-time scenario (default 60 = the cached range). */
  readonly playSeconds: number;
  /** Playback speed of that scenario (default 1 = real time; higher = a stress test). */
  readonly speed: number;
  /** Whole chunks per stem in the throughput measurement (default 4). */
  readonly throughputChunks: number;
}

export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new Error(`unexpected argument ${arg}`);
    const [name, inline] = arg.slice(2).split('=', 2);
    values.set(name, inline ?? argv[++i] ?? '');
  }
  const number = (name: string, fallback: number): number => {
    const raw = values.get(name);
    values.delete(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!(value > 0)) throw new Error(`--${name} must be a positive number, got ${raw}`);
    return value;
  };
  const seconds = number('seconds', 360);
  const args: BenchArgs = {
    stems: number('stems', 30),
    seconds,
    runs: number('runs', 9),
    playSeconds: Math.min(seconds - 5, number('play-seconds', 60)),
    speed: number('speed', 1),
    throughputChunks: number('throughput-chunks', 4),
  };
  if (values.size > 0) throw new Error(`unknown option(s): ${[...values.keys()].map((k) => `--${k}`).join(', ')}`);
  return args;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function ms(value: number): string {
  return `${value.toFixed(1)} ms`;
}
