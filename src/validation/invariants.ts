import fhirpath from 'fhirpath';
import r4model from 'fhirpath/fhir-context/r4/index.js';
import type { Constraint } from './element-tree.js';

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
const options = {
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

/**
 * Compiles an invariant's FHIRPath once per (type, expression) with the R4 model (FHIR R4 §5.1.0.3 constraint).
 * `base` gives the model the type of the focus so that `is`, `ofType` and choice navigation work.
 */
export function compileInvariant(base: string, c: Constraint): InvariantFn | undefined {
  const expression = c.expression;
  if (!expression) return undefined;
  const key = base + '\u0000' + expression;
  const hit = cache.get(key);
  if (hit) return hit;
  let fn: InvariantFn;
  try {
    const compiled = fhirpath.compile({ base, expression }, r4model, options);
    fn = (value, root, resource) => {
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
    fn = () => `cannot compile: ${message}`;
  }
  cache.set(key, fn);
  return fn;
}
