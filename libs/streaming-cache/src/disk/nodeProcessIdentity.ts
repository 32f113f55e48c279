import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { ProcessIdentity } from '../ports/ProcessIdentity.js';
import { isCode } from './systemErrors.js';

/** This Node process: `process.pid`, `os.hostname()`, `crypto.randomBytes`, and `kill(pid, 0)` for liveness. */
export const nodeProcessIdentity: ProcessIdentity = {
  pid: process.pid,
  host: hostname(),
  randomHex: (bytes) => randomBytes(bytes).toString('hex'),
  // kill(pid, 0) sends nothing: ESRCH = no such process; EPERM = it exists but belongs to someone else.
  isAlive(pid) {
    try {
      process.kill(pid, 0);
      return true;
    } catch (error) {
      return isCode(error, 'EPERM');
    }
  },
};
