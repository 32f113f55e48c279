// Loaded with `--import` into decode workers started from TypeScript source (see workerScript.ts):
// lets the worker import .ts modules. Never used by the built library.
import { register } from 'tsx/esm/api';

register();
