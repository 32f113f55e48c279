// Loaded with `--import` into the audio thread when it is started from TypeScript source (tests,
// `tsx` benchmarks): lets the worker import .ts modules. Never used by the built library.
import { register } from 'tsx/esm/api';

register();
