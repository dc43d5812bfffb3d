import fhirpath from 'fhirpath';
import r4model from 'fhirpath/fhir-context/r4/index.js';
import type { Constraint } from './element-tree.js';
import { htmlChecks } from './xhtml-checks.js';
import { compileLite, Unsupported } from './fhirpath-lite.js';

/** A compiled invariant: true/false, or an error text when FHIRPath itself failed. */
export type InvariantFn = (value: unknown, root: unknown, resource: unknown) => boolean | string;

const cache = new Map<string, InvariantFn>();
function unwrap(v: unknown): unknown {
  return v && typeof v === 'object' && 'data' in v ? (v as { data: unknown }).data : v;
}

/**
 * Evaluation follows the HL7 Java validator where FHIRPath leaves room: a constraint holds only when it yields true
 * (empty is a failure), and `not()` reads its input as a boolean first, so `{}.not()` is true. Without the latter,
 * ref-1 would fail on every Reference that has no `reference`.
 */
export const fhirpathOptions = {
  traceFn: () => undefined,
  userInvocationTable: {
    not: {
      fn: (inputs: unknown[]) => {
        const v = inputs.length === 1 ? unwrap(inputs[0]) : undefined;
        const truth = inputs.length === 1 && typeof v === 'boolean' ? v : inputs.length > 0;
        return [!truth];
      },
      arity: { 0: [] },
    },
  },
};

/**
 * Constraints evaluated natively because they run on every element or every resource (FHIR R4 §2.29 Element ele-1,
 * §2.3 DomainResource dom-2..dom-6 all concern `contained`): the validator's structure checks already reject empty
 * elements, so ele-1 adds nothing; dom-* are trivially true without contained resources.
 */
export const NATIVE_KEYS = new Set(['ele-1']);

type Obj = Record<string, unknown> | undefined;
const has = (v: unknown): boolean => v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0);
function hasValueX(o: Obj): boolean {
  for (const k in o) if (k.length > 5 && k.startsWith('value')) return true;
  return false;
}

/** Same instant or date precision: plain comparison is exact; otherwise leave it to FHIRPath (partial dates). */
function comparePeriod(o: Obj): boolean | undefined {
  const start = o?.start;
  const end = o?.end;
  if (typeof start !== 'string' || typeof end !== 'string') return true;
  const st = start.includes('T');
  const et = end.includes('T');
  if (st && et && /[Z+-]\d\d:?\d\d$|Z$/.test(start) && /[Z+-]\d\d:?\d\d$|Z$/.test(end)) return Date.parse(start) <= Date.parse(end);
  if (!st && !et && start.length === end.length) return start <= end;
  return undefined;
}

// dom-3 as published in R4 (two variants): fhirpath.js rejects its `descendants().as(canonical)` on collections.
const DOM3_A =
  "contained.where((('#'+id in (%resource.descendants().reference | %resource.descendants().as(canonical) | %resource.descendants().as(uri) | %resource.descendants().as(url))) or descendants().where(reference = '#').exists() or descendants().where(as(canonical) = '#').exists() or descendants().where(as(canonical) = '#').exists()).not()).trace('unmatched', id).empty()";
const DOM3_B =
  "contained.where(((id.exists() and ('#'+id in (%resource.descendants().reference | %resource.descendants().as(canonical) | %resource.descendants().as(uri) | %resource.descendants().as(url)))) or descendants().where(reference = '#').exists() or descendants().where(as(canonical) = '#').exists() or descendants().where(as(uri) = '#').exists()).not()).trace('unmatched', id).empty()";

function collectLocalRefs(v: unknown, out: Set<string>): void {
  if (typeof v === 'string') {
    if (v.startsWith('#')) out.add(v);
  } else if (Array.isArray(v)) {
    for (const x of v) collectLocalRefs(x, out);
  } else if (v && typeof v === 'object') {
    for (const x of Object.values(v)) collectLocalRefs(x, out);
  }
}

/** dom-3: each contained resource is referenced from the resource (`#id`) or refers to its container (`#`). */
function containedAreReferenced(resource: Obj): boolean {
  const contained = resource?.contained;
  if (!Array.isArray(contained)) return true;
  const refs = new Set<string>();
  collectLocalRefs(resource, refs);
  return contained.every((c: Obj) => {
    if (typeof c?.id === 'string' && refs.has('#' + c.id)) return true;
    const inner = new Set<string>();
    collectLocalRefs(c, inner);
    return inner.has('#');
  });
}

/**
 * The hottest core invariants (they run on every Extension, Reference, Quantity, Period...) evaluated natively, keyed
 * by their exact R4 expression so a profile's own constraint with another expression still goes through FHIRPath.
 * `undefined` means "not decidable natively": FHIRPath decides.
 */
const NATIVE: Record<string, (value: unknown, root: unknown) => boolean | undefined> = {
  'extension.exists() != value.exists()': (v) => has((v as Obj)?.extension) !== hasValueX(v as Obj),
  'code.empty() or system.exists()': (v) => !has((v as Obj)?.code) || has((v as Obj)?.system),
  'value.empty() or system.exists()': (v) => !has((v as Obj)?.value) || has((v as Obj)?.system),
  'text.`div`.exists()': (v) => has(((v as Obj)?.text as Obj)?.div),
  "reference.startsWith('#').not() or (reference.substring(1).trace('url') in %rootResource.contained.id.trace('ids'))": (v, root) => {
    const ref = (v as Obj)?.reference;
    if (typeof ref !== 'string' || !ref.startsWith('#')) return true;
    const contained = ((root as Obj)?.contained as Obj[] | undefined) ?? [];
    return contained.some((c) => c?.id === ref.slice(1));
  },
  'start.hasValue().not() or end.hasValue().not() or (start <= end)': (v) => comparePeriod(v as Obj),
  'htmlChecks()': (v) => (typeof v === 'string' && htmlChecks(v) ? true : undefined),
  [DOM3_A]: (v) => containedAreReferenced(v as Obj),
  [DOM3_B]: (v) => containedAreReferenced(v as Obj),
};

/**
 * `X.empty() or ...` and `X.exists() implies ...` hold whenever the focus has no X (FHIRPath §6.5: `true or {}` is
 * true, `false implies {}` is true): a plain property check then spares the FHIRPath run. Returns X, or undefined.
 */
function guardOf(expression: string): string | undefined {
  const m = /^([a-z][A-Za-z0-9]*)\.(empty\(\) or |exists\(\) implies )/.exec(expression);
  if (!m) return undefined;
  // The guard must cover the whole expression: no top-level `and`/`xor` after the operator at depth 0.
  const rest = expression.slice(m[0].length);
  let depth = 0;
  for (let i = 0; i < rest.length; i++) {
    const ch = rest[i];
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (depth === 0 && /^ (and|xor|or|implies) /.test(rest.slice(i, i + 9))) return undefined;
  }
  return m[1];
}

function absent(value: unknown, name: string): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const o = value as Record<string, unknown>;
  for (const k in o) {
    if (k === name || k === '_' + name) return false;
    if (k.startsWith(name) && k.length > name.length && k.charCodeAt(name.length) >= 65 && k.charCodeAt(name.length) <= 90) return false;
  }
  return true;
}

/**
 * Core R4 invariants whose published expression contradicts their own text, corrected as later releases did (and as
 * the HL7 Java validator applies): que-12 says "more than one enableWhen" but tested `> 2` (fixed in R4B/R5).
 */
const CORRECTIONS: Record<string, string> = {
  'enableWhen.count() > 2 implies enableBehavior.exists()': 'enableWhen.count() > 1 implies enableBehavior.exists()',
};

/**
 * Compiles an invariant's FHIRPath once per (type, expression) with the R4 model (FHIR R4 §5.1.0.3 constraint).
 * `base` gives the model the type of the focus so that `is`, `ofType` and choice navigation work.
 */
export function compileInvariant(base: string, c: Constraint): InvariantFn | undefined {
  const expression = c.expression === undefined ? undefined : (CORRECTIONS[c.expression] ?? c.expression);
  if (!expression) return undefined;
  const key = base + '\u0000' + expression;
  const hit = cache.get(key);
  if (hit) return hit;
  const general = compileFhirpath(base, expression);
  const lite = compileLite(expression);
  // Fast subset first, fhirpath.js for anything it cannot judge.
  const exact: InvariantFn = lite
    ? (value, root, resource) => {
        try {
          const r = lite(value);
          return r.length > 0 && r.every((x) => x === true);
        } catch (e) {
          if (e instanceof Unsupported) return general(value, root, resource);
          throw e;
        }
      }
    : general;
  let fn = exact;
  const guard = guardOf(expression);
  const native = NATIVE[expression] as ((value: unknown, root: unknown) => boolean | undefined) | undefined;
  if (native) fn = (value, root, resource) => native(value, root) ?? exact(value, root, resource);
  else if (guard) fn = (value, root, resource) => (absent(value, guard) ? true : exact(value, root, resource));
  else if (!lite && !expression.includes('%')) {
    // On a primitive the result depends on the string alone: remember recent answers.
    const memo = new Map<string, boolean | string>();
    fn = (value, root, resource) => {
      if (typeof value !== 'string') return general(value, root, resource);
      const known = memo.get(value);
      if (known !== undefined) return known;
      const r = general(value, root, resource);
      if (memo.size > 1000) memo.clear();
      memo.set(value, r);
      return r;
    };
  }
  cache.set(key, fn);
  return fn;
}

function compileFhirpath(base: string, expression: string): InvariantFn {
  try {
    const compiled = fhirpath.compile({ base, expression }, r4model, fhirpathOptions);
    return (value, root, resource) => {
      try {
        const r = compiled(value, { rootResource: root, resource }) as unknown[];
        // §5.1.0.3: the constraint holds when the expression evaluates to true.
        return r.length > 0 && r.every((x) => unwrap(x) === true);
      } catch (e) {
        return e instanceof Error ? e.message : String(e);
      }
    };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return () => `cannot compile: ${message}`;
  }
}
