import v8 from 'node:v8';
import vm from 'node:vm';

/**
 * A full garbage collection, for memory tests. Jest's runner starts node without --expose-gc,
 * so the flag is set at run time and `gc` is taken from a fresh context, where V8 installs it.
 */
export function collectGarbage(): void {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  gc();
}
