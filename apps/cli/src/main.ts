#!/usr/bin/env node
import { CommanderError } from 'commander';
import { EXIT_FAILURE, EXIT_USAGE, UsageError, errorLine } from './cliErrors.js';
import { buildProgram } from './program.js';

/** Entry point of `trax`: parses argv, runs a command, maps failures to exit codes 1 and 2. */
async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end in a CommanderError with exit code 0.
      return error.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    process.stderr.write(`trax: ${errorLine(error)}\n`);
    return error instanceof UsageError ? EXIT_USAGE : EXIT_FAILURE;
  }
}

process.exitCode = await main(process.argv);
