/**
 * fixed[x] and pattern[x] semantics (FHIR R4 §5.1.0 ElementDefinition.fixed[x] / pattern[x]): fixed is exact equality
 * (ignoring element ids), pattern means the instance holds at least the pattern's values, array items matched by any.
 */

export function valueOfPrefix(def: Record<string, unknown>, prefix: 'fixed' | 'pattern' | 'minValue' | 'maxValue' | 'defaultValue'): unknown {
  for (const k in def) {
    if (k.startsWith(prefix) && k.length > prefix.length && k.charCodeAt(prefix.length) <= 90) return def[k];
  }
  return undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Exact equality of JSON values (decimals compare numerically). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a).filter((k) => k !== 'id');
    const kb = Object.keys(b).filter((k) => k !== 'id');
    return ka.length === kb.length && ka.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}

/** True when `instance` contains everything in `pattern`. */
export function matchesPattern(instance: unknown, pattern: unknown): boolean {
  if (Array.isArray(pattern)) {
    const items = Array.isArray(instance) ? instance : instance === undefined ? [] : [instance];
    return pattern.every((p) => items.some((i) => matchesPattern(i, p)));
  }
  if (isObject(pattern)) {
    if (!isObject(instance)) return false;
    return Object.keys(pattern).every((k) => k === 'id' || matchesPattern(instance[k], pattern[k]));
  }
  if (Array.isArray(instance)) return instance.some((i) => matchesPattern(i, pattern));
  return instance === pattern;
}
