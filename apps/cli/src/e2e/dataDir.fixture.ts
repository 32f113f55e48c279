import os from 'node:os';
import path from 'node:path';

// Tests never write into the user's data folder: `trax play` journals the show there by default
// (resume.json), and every child process a test spawns inherits this.
process.env.TRAX_DATA_DIR ??= path.join(os.tmpdir(), 'trax-cli-tests-data');
