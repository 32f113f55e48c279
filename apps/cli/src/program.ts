import { Command } from 'commander';
import { registerBench } from './commands/bench.js';
import { registerCache } from './commands/cache.js';
import { registerCheck } from './commands/check.js';
import { registerDecode } from './commands/decode.js';
import { registerDemo } from './commands/demo.js';
import { registerDevtools } from './commands/devtools.js';
import { registerInfo } from './commands/info.js';
import { registerPlay } from './commands/play.js';

/** The `trax` command tree. Each command lives in its own module under ./commands. */
export function buildProgram(): Command {
  const program = new Command('trax')
    .description('Trax: streaming multitrack playback for live performers')
    .version('0.1.0')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  registerInfo(program);
  registerDecode(program);
  registerPlay(program);
  registerCache(program);
  registerCheck(program);
  registerDemo(program);
  registerBench(program);
  registerDevtools(program);
  return program;
}
