// Loaded with `--import` into test workers started from TypeScript source: on Node 20 the parent's
// TypeScript loader does not reach worker threads. Test-only; the library has no workers.
import { register } from 'tsx/esm/api';

register();
