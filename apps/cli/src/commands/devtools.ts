import type { Command } from 'commander';
import path from 'node:path';
import { UsageError } from '../cliErrors.js';
import { DevtoolsBindError, serveDevtools } from '../devtools/serveDevtools.js';
import { parseNonNegativeInt } from '../options.js';

interface DevtoolsOptions {
  port: number;
  host: string;
  endpoint?: string;
  dir?: string;
}

/** apps/devtools/dist, from apps/cli/src/commands (tsx) or apps/cli/dist/commands (built): both three levels down. */
const BUILT_DEVTOOLS = path.resolve(import.meta.dirname, '../../../devtools/dist');

export function registerDevtools(program: Command): void {
  program
    .command('devtools')
    .description('serve the devtools web app on 127.0.0.1 and print its URL (Ctrl+C stops)')
    .option('--port <n>', 'port (0 = any free port)', parseNonNegativeInt, 0)
    .option('--host <host>', 'loopback address to bind (127.0.0.1 or ::1)', '127.0.0.1')
    .option('--endpoint <ws-url>', 'open the page connected to this inspection endpoint (e.g. ws://127.0.0.1:9229)')
    .option('--dir <folder>', 'the built devtools (default: $TRAX_DEVTOOLS_DIR or apps/devtools/dist)')
    .action(async (options: DevtoolsOptions) => devtools(options));
}

async function devtools(options: DevtoolsOptions): Promise<void> {
  let server;
  try {
    server = await serveDevtools({ directory: options.dir ?? process.env.TRAX_DEVTOOLS_DIR ?? BUILT_DEVTOOLS, port: options.port, host: options.host });
  } catch (error) {
    if (error instanceof DevtoolsBindError) throw new UsageError(error.message);
    throw error;
  }
  const url = options.endpoint ? `${server.url}?endpoint=${encodeURIComponent(options.endpoint)}` : server.url;
  process.stdout.write(`${url}\n`);
  process.stderr.write('trax: devtools served on loopback; press Ctrl+C to stop\n');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
}
