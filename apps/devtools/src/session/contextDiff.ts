/** One difference between two JSON values, at a path like `inFlight[2].priority`. */
export interface ContextChange {
  readonly path: string;
  readonly kind: 'added' | 'removed' | 'changed';
  readonly before?: unknown;
  readonly after?: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const join = (path: string, key: string) => (path === '' ? key : `${path}.${key}`);

/**
 * The differences between two JSON values (snapshot contexts), deepest first-class: objects and
 * arrays are compared member by member; anything else by value. At most `limit` changes.
 */
export function contextDiff(before: unknown, after: unknown, limit = 500): ContextChange[] {
  const changes: ContextChange[] = [];
  const walk = (a: unknown, b: unknown, path: string) => {
    if (changes.length >= limit || Object.is(a, b)) return;
    if (Array.isArray(a) && Array.isArray(b)) {
      for (let i = 0; i < Math.max(a.length, b.length); i++) {
        const p = `${path}[${i}]`;
        if (i >= a.length) changes.push({ path: p, kind: 'added', after: b[i] });
        else if (i >= b.length) changes.push({ path: p, kind: 'removed', before: a[i] });
        else walk(a[i], b[i], p);
      }
      return;
    }
    if (isObject(a) && isObject(b)) {
      for (const key of Object.keys(a)) {
        if (!(key in b)) changes.push({ path: join(path, key), kind: 'removed', before: a[key] });
        else walk(a[key], b[key], join(path, key));
      }
      for (const key of Object.keys(b)) if (!(key in a)) changes.push({ path: join(path, key), kind: 'added', after: b[key] });
      return;
    }
    changes.push({ path: path === '' ? '(value)' : path, kind: 'changed', before: a, after: b });
  };
  walk(before, after, '');
  return changes.slice(0, limit);
}
