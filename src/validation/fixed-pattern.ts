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

/** Exact equality of JSON values (decimals compare numerically), element ids aside. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (!isObject(a) || !isObject(b)) return false;
  let unmatched = 0;
  for (const k in a) {
    if (k === 'id') continue;
    if (!deepEqual(a[k], b[k])) return false;
    unmatched++;
  }
  for (const k in b) if (k !== 'id') unmatched--;
  return unmatched === 0;
}

/** True when `instance` contains everything in `pattern` (each pattern array item matched by some instance item). */
export function matchesPattern(instance: unknown, pattern: unknown): boolean {
  if (Array.isArray(pattern)) {
    for (const p of pattern) if (!someMatches(instance, p)) return false;
    return true;
  }
  if (isObject(pattern)) {
    if (!isObject(instance)) return false;
    for (const k in pattern) if (k !== 'id' && !matchesPattern(instance[k], pattern[k])) return false;
    return true;
  }
  if (Array.isArray(instance)) return someMatches(instance, pattern);
  return instance === pattern;
}

/** Does one of the instance's values (an array's items, or the value itself) match the pattern? */
function someMatches(instance: unknown, pattern: unknown): boolean {
  if (!Array.isArray(instance)) return instance !== undefined && matchesPattern(instance, pattern);
  for (const i of instance) if (matchesPattern(i, pattern)) return true;
  return false;
}
