import type { StructureDefinition } from 'fhir/r4.js';
import type { FhirPathNode } from './search-parameter-registry.js';

/** Element types by path (`Patient.name` → HumanName), from the core StructureDefinition snapshots. */
export interface ElementTypes {
  /** An element's types, where its children are defined when elsewhere, and whether it repeats (max other than 1). */
  get(path: string): { types: string[]; contentReference?: string; repeats: boolean } | undefined;
}

export function elementTypes(definitions: StructureDefinition[]): ElementTypes {
  const byPath = new Map<string, { types: string[]; contentReference?: string; repeats: boolean }>();
  for (const sd of definitions) {
    if (sd.derivation === 'constraint') continue;
    for (const el of sd.snapshot?.element ?? []) {
      const types = (el.type ?? []).map((t) => (t.code.startsWith('http://hl7.org/fhirpath/System.') ? 'string' : t.code));
      byPath.set(el.path, { types, contentReference: el.contentReference?.replace(/^#/, ''), repeats: el.max !== undefined && el.max !== '0' && el.max !== '1' });
    }
  }
  return { get: (path) => byPath.get(path) };
}

const PLAIN = /^\(?([A-Z][A-Za-z]+)((?:\.[a-z][A-Za-z0-9]*)+)(?:(?: as |\.as\()([A-Za-z]+)\)?)?\)?$/;

type Evaluator = (resource: unknown) => FhirPathNode[];

/**
 * A fast evaluator for the search parameter expressions that are plain paths (`Patient.name.given`, optionally ending
 * in a type cast: `(Observation.value as Quantity)` or a filter on a child's value: `.where(system='email')`), or
 * unions of them, which most official expressions are. It walks the JSON with the element types of the R4
 * definitions and yields the same typed nodes FHIRPath would; anything else is left to fhirpath.js (undefined is
 * returned).
 */
export function compileSimplePath(expression: string, base: string, types: ElementTypes): Evaluator | undefined {
  const branches = expression.split('|');
  if (branches.length === 1) return compileBranch(expression, base, types);
  const evaluators = branches.map((branch) => compileBranch(branch, base, types));
  if (!evaluators.every((e) => e !== undefined)) return undefined;
  // A union keeps each node once (FHIRPath `|` is distinct), whichever branch reached it.
  return (resource) => [...new Map(evaluators.flatMap((evaluate) => evaluate!(resource)).map((node) => [node.data, node])).values()];
}

/** A trailing filter on a child's value, as in `Patient.telecom.where(system='email')`. */
const WHERE_EQUALS = /^(.+)\.where\(([a-z][A-Za-z0-9]*)\s*=\s*'([^'\\]*)'\)$/;

/** `Patient.deceased.exists() and Patient.deceased != false`: set, and not to false (a dateTime counts as true). */
const SET_AND_NOT_FALSE = /^(.+)\.exists\(\) and \1 != false$/;

function compileBranch(expression: string, base: string, types: ElementTypes): Evaluator | undefined {
  const setAndNotFalse = SET_AND_NOT_FALSE.exec(expression.trim());
  if (setAndNotFalse) {
    const evaluate = compilePath(setAndNotFalse[1], base, types);
    return evaluate && ((resource) => {
      const nodes = evaluate(resource);
      return [{ data: nodes.length > 0 && !(nodes.length === 1 && nodes[0].data === false), fhirNodeDataType: 'boolean' }];
    });
  }
  const filter = WHERE_EQUALS.exec(expression.trim());
  if (filter) {
    const [, path, property, literal] = filter;
    const evaluate = compilePath(path, base, types);
    return evaluate && ((resource) => evaluate(resource).filter((node) => (node.data as Record<string, unknown>)[property] === literal));
  }
  return compilePath(expression, base, types);
}

function compilePath(expression: string, base: string, types: ElementTypes): Evaluator | undefined {
  const m = PLAIN.exec(expression.trim());
  if (!m) return undefined;
  const [, root, dotted, cast] = m;
  if (root !== base && root !== 'Resource' && root !== 'DomainResource') return undefined;
  const segments = dotted.slice(1).split('.');
  // Resolve every step once, at compile time; bail out where the definitions do not say what an element is.
  const steps: Step[] = [];
  let context = root === base ? base : root;
  for (const [i, name] of segments.entries()) {
    const last = i === segments.length - 1;
    const plain = types.get(`${context}.${name}`);
    const choice = plain ? undefined : types.get(`${context}.${name}[x]`);
    const element = plain ?? choice;
    if (!element) return undefined;
    if (choice) {
      // A choice is only walked at the end of a path (value[x] as Quantity); its types name the JSON properties.
      if (!last) return undefined;
      const allowed = cast ? element.types.filter((t) => t === cast || SUBTYPES[cast]?.includes(t)) : element.types;
      steps.push(allowed.map((t) => ({ property: `${name}${t[0].toUpperCase()}${t.slice(1)}`, type: t })));
      return walker(steps);
    }
    if (element.contentReference) {
      steps.push([{ property: name, type: 'BackboneElement' }]);
      context = element.contentReference;
      continue;
    }
    if (element.types.length !== 1) return undefined;
    const type = element.types[0];
    if (last && cast && cast !== type && !SUBTYPES[cast]?.includes(type)) return undefined;
    steps.push([{ property: name, type }]);
    context = type === 'BackboneElement' || type === 'Element' ? `${context}.${name}` : type;
    if (!last && /^[a-z]/.test(type)) return undefined; // nothing below a primitive
  }
  return walker(steps);
}

/** `as uri` also takes a canonical (FHIR's primitive and Quantity specializations, R4 datatypes.html). */
const SUBTYPES: Record<string, string[]> = {
  uri: ['url', 'canonical', 'oid', 'uuid'],
  string: ['code', 'id', 'markdown'],
  integer: ['positiveInt', 'unsignedInt'],
  Quantity: ['Age', 'Count', 'Distance', 'Duration', 'MoneyQuantity', 'SimpleQuantity'],
};

/** A step of a path: the JSON properties it reads (several for a choice), each with the FHIR type of what it holds. */
type Step = { property: string; type: string }[];

/**
 * Walks `steps` from a resource: the values of each step's properties, arrays flattened, and typed nodes for the
 * last step's only. Written as plain loops: this runs for every search parameter of every resource written (an
 * AuditEvent's 22 parameters for each audited read), and a walker that built nodes at every step, through a closure
 * made per step, took about a microsecond per parameter.
 */
function walker(steps: Step[]): (resource: unknown) => FhirPathNode[] {
  const inner = steps.slice(0, -1);
  const last = steps[steps.length - 1];
  return (resource) => {
    let current: unknown[] = [resource];
    for (const step of inner) {
      const next: unknown[] = [];
      for (const value of current) {
        for (const { property } of step) {
          const child = (value as Record<string, unknown>)[property];
          if (Array.isArray(child)) {
            for (const item of child) if (item !== undefined && item !== null && typeof item === 'object') next.push(item);
          } else if (child !== undefined && child !== null && typeof child === 'object') {
            next.push(child);
          }
        }
      }
      if (!next.length) return [];
      current = next;
    }
    const nodes: FhirPathNode[] = [];
    for (const value of current) {
      for (const { property, type } of last) {
        const child = (value as Record<string, unknown>)[property];
        if (Array.isArray(child)) {
          for (const item of child) if (item !== undefined && item !== null) nodes.push({ data: item, fhirNodeDataType: type });
        } else if (child !== undefined && child !== null) {
          nodes.push({ data: child, fhirNodeDataType: type });
        }
      }
    }
    return nodes;
  };
}
