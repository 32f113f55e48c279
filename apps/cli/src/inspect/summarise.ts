/**
 * Turns any live value (XState context, events) into a small, JSON-safe summary. Inspection
 * events arrive synchronously with live objects (NOTES): audio buffers, rxjs subjects and actor
 * refs must never be serialised, only described.
 */
export interface SummaryLimits {
  depth: number;
  arrayItems: number;
  stringChars: number;
  objectKeys: number;
}

const DEFAULT_LIMITS: SummaryLimits = { depth: 4, arrayItems: 16, stringChars: 200, objectKeys: 32 };

export function summarise(value: unknown, limits: SummaryLimits = DEFAULT_LIMITS, depth = 0): unknown {
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'string') return value.length > limits.stringChars ? `${value.slice(0, limits.stringChars)}…` : value;
  if (typeof value === 'bigint') return value.toString();
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return undefined;
  if (ArrayBuffer.isView(value)) return { typedArray: value.constructor.name, length: (value as unknown as ArrayLike<number>).length ?? value.byteLength };
  if (value instanceof ArrayBuffer) return { arrayBuffer: value.byteLength };
  const record = value as Record<string, unknown>;
  if (typeof record.sessionId === 'string' && typeof record.send === 'function') return { actor: record.sessionId, id: record.id };
  if (typeof record.subscribe === 'function') return '[observable]';
  if (value instanceof Map) return { map: value.size };
  if (value instanceof Set) return { set: value.size };
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Error) return { error: value.name, message: value.message };
  if (depth >= limits.depth) return Array.isArray(value) ? { array: value.length } : '[object]';
  if (Array.isArray(value)) {
    const items = value.slice(0, limits.arrayItems).map((item) => summarise(item, limits, depth + 1) ?? null);
    return value.length > limits.arrayItems ? [...items, `…${value.length - limits.arrayItems} more`] : items;
  }
  const out: Record<string, unknown> = {};
  let keys = 0;
  for (const [key, item] of Object.entries(record)) {
    if (keys++ >= limits.objectKeys) {
      out['…'] = `${Object.keys(record).length - limits.objectKeys} more keys`;
      break;
    }
    const summary = summarise(item, limits, depth + 1);
    if (summary !== undefined) out[key] = summary;
  }
  return out;
}
