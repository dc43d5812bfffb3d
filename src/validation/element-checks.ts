import type { TerminologyService } from '../terminology/value-set-expander.js';
import { typeCode, type ElementNode } from './element-tree.js';
import { deepEqual, matchesPattern, valueOfPrefix } from './fixed-pattern.js';
import { compileInvariant, NATIVE_KEYS } from './invariants.js';
import type { ProfileCompiler } from './profile-compiler.js';
import type { ValidationContext } from './validation-context.js';
import { compareQuantities } from './quantity.js';

/** A check compiled for one element: runs on one occurrence (its value, typed) at a location. */
export type Check = (value: unknown, type: string, path: string, ctx: ValidationContext) => void;

export interface CheckServices {
  terminology: TerminologyService;
  compiler: ProfileCompiler;
}

/** Types that hold a coded value a binding applies to (FHIR R4 §4.1 Using codes in resources). */
type Coded = { system?: string; code?: string };

function codingsOf(value: unknown, type: string): Coded[] | undefined {
  if (typeof value === 'string' && (type === 'code' || type === 'string' || type === 'uri')) return [{ code: value }];
  if (typeof value !== 'object' || value === null) return undefined;
  if (type === 'Coding' || type === 'Quantity' || type === 'Age' || type === 'Duration' || type === 'Distance' || type === 'Count') {
    const c = value as Coded;
    return typeof c.code === 'string' ? [c] : [];
  }
  if (type === 'CodeableConcept') {
    const list = (value as { coding?: unknown }).coding;
    return Array.isArray(list) ? (list as Coded[]).filter((c) => typeof c === 'object' && c !== null && typeof c.code === 'string') : [];
  }
  return undefined;
}

function valueSetLabel(name: string | undefined, canonical: string): string {
  return `'${name ?? canonical}' (${canonical})`;
}

const QUANTITIES = new Set(['Quantity', 'Age', 'Duration', 'Distance', 'Count', 'SimpleQuantity', 'MoneyQuantity']);

function bindingCheck(node: ElementNode, svc: CheckServices): Check | undefined {
  const b = node.def.binding;
  if (!b?.valueSet || b.strength === 'example') return undefined;
  const vs = b.valueSet;
  const strength = b.strength;
  return (value, type, path, ctx) => {
    const codings = codingsOf(value, type);
    if (codings === undefined) return;
    const e = svc.terminology.expand(vs);
    if (!e) {
      if (strength === 'required') ctx.warning('not-found', `The value set ${vs} is unknown, so the code cannot be checked`, path);
      return;
    }
    if (codings.length === 0) {
      if (strength === 'required' && type === 'CodeableConcept') {
        ctx.warning('code-invalid', `No code provided, and a code is required from the value set ${valueSetLabel(e.name, vs)}`, path);
      }
      return;
    }
    // A Quantity's unit from another unit system (e.g. ISO 11073 MDC beside UCUM) is not judged by a unit binding,
    // as the Java validator does.
    if (QUANTITIES.has(type) && codings.every((c) => c.system !== undefined && !e.codes.has(c.system))) return;
    // A value set of UCUM units bound to a choice (e.g. vital-sign component value[x]) speaks of Quantity units only.
    if (!QUANTITIES.has(type) && e.codes.size === 1 && e.codes.has('http://unitsofmeasure.org') && e.openSystems.size === 0) return;
    const systemless = type === 'code' || type === 'string' || type === 'uri';
    for (const c of codings) if (svc.terminology.checkCode(vs, systemless ? undefined : c.system, c.code!) !== 'invalid') return;
    const shown = codings.map((c) => (c.system ? `${c.system}#${c.code}` : c.code)).join(', ');
    const text = `The code provided (${shown}) was not found in the value set ${valueSetLabel(e.name, vs)}`;
    if (strength === 'required') ctx.error('code-invalid', `${text}, and a code is required from this value set`, path);
    else if (strength === 'extensible') ctx.warning('code-invalid', `${text}, and a code should come from this value set unless it has no suitable code`, path);
    else ctx.add('information', 'code-invalid', `${text}, and a code is recommended to come from this value set`, path);
  };
}

function referenceTargets(node: ElementNode, svc: CheckServices): Set<string> | undefined {
  const out = new Set<string>();
  for (const t of node.types) {
    if (t.code !== 'Reference') continue;
    for (const tp of t.targetProfile ?? []) {
      const sd = svc.compiler.structure(tp);
      // An unknown target profile cannot be judged: do not restrict the target type on guesswork.
      if (!sd) return undefined;
      out.add(sd.type);
    }
  }
  return out.size && !out.has('Resource') ? out : undefined;
}

const RELATIVE = /^([A-Z][A-Za-z]+)\/[A-Za-z0-9\-.]{1,64}(?:\/_history\/[A-Za-z0-9\-.]{1,64})?$/;
const REF_TYPE = /(?:^|\/)([A-Z][A-Za-z]+)\/[A-Za-z0-9\-.]{1,64}(?:\/_history\/[A-Za-z0-9\-.]{1,64})?$/;

/** Reference target type (FHIR R4 §2.3.0 Reference, ElementDefinition.type.targetProfile) and local resolution. */
function referenceCheck(node: ElementNode, svc: CheckServices): Check | undefined {
  if (!node.types.some((t) => t.code === 'Reference')) return undefined;
  const targets = referenceTargets(node, svc);
  return (value, type, path, ctx) => {
    if (type !== 'Reference' || typeof value !== 'object' || value === null) return;
    const ref = (value as { reference?: unknown }).reference;
    if (typeof ref !== 'string') return;
    let targetType: string | undefined;
    if (ref.startsWith('#')) {
      if (ref === '#') return;
      const contained = (ctx.root.contained as { id?: string; resourceType?: string }[] | undefined) ?? [];
      const found = contained.find((c) => c.id === ref.slice(1));
      if (!found) {
        ctx.error('structure', `Unable to resolve the contained reference '${ref}'`, path);
        return;
      }
      targetType = found.resourceType;
    } else if (ref.startsWith('urn:')) {
      const hit = ctx.bundle?.byFullUrl.get(ref)?.[0] as { resourceType?: string } | undefined;
      targetType = hit?.resourceType;
    } else {
      // §2.3.0 Reference: a relative reference is `[type]/[id]` (optionally versioned); conditional references
      // (`Patient?identifier=…`) are allowed in transactions.
      const relative = RELATIVE.exec(ref);
      targetType = relative ? relative[1] : REF_TYPE.exec(ref)?.[1];
      if (!relative && !/^[A-Za-z][A-Za-z0-9+.-]*:/.test(ref) && !(ref.includes('?') && ctx.bundle?.type === 'transaction')) {
        ctx.error('invalid', `Relative URLs must be of the format [ResourceName]/[id]. Encountered ${ref}`, path);
        return;
      }
    }
    if (targetType && targets && !targets.has(targetType)) {
      ctx.error(
        'structure',
        `The type '${targetType}' implied by the reference URL ${ref} is not a valid Target for this element (must be one of [${[...targets].join(', ')}])`,
        path,
      );
    }
  };
}

function invariantChecks(node: ElementNode): Check[] {
  const out: Check[] = [];
  for (const c of node.def.constraint ?? []) {
    if (!c.expression || NATIVE_KEYS.has(c.key)) continue;
    const key = c.key;
    const isContainedRule = /^dom-[2-5]$/.test(key);
    const severity = c.severity === 'warning' ? 'warning' : 'error';
    const nodeBase = node.basePath;
    let lastType: string | undefined;
    let lastFn: ReturnType<typeof compileInvariant>;
    out.push((value, type, path, ctx) => {
      // dom-2..dom-5 constrain `contained` only (§2.3 DomainResource): vacuous without it, skip the FHIRPath run.
      if (isContainedRule && !(value as { contained?: unknown }).contained) return;
      const base = type === 'BackboneElement' || type === 'Element' || type === '' ? nodeBase : type;
      // One element has one type almost always: keep its compiled invariant at hand.
      if (type !== lastType) {
        lastType = type;
        lastFn = compileInvariant(base, c);
      }
      const fn = lastFn;
      if (!fn) return;
      const r = fn(value, ctx.root, ctx.resource);
      if (r === true) return;
      if (r === false) ctx.add(severity, 'invariant', `Constraint failed: ${key}: '${c.human}'`, path);
      else ctx.warning('invariant', `Unable to evaluate the invariant ${key} (${c.expression}): ${r}`, path);
    });
  }
  return out;
}

function valueChecks(node: ElementNode): Check[] {
  const out: Check[] = [];
  const fixed = valueOfPrefix(node.def, 'fixed');
  if (fixed !== undefined) {
    out.push((value, _t, path, ctx) => {
      if (!deepEqual(value, fixed)) ctx.error('value', `Value is '${JSON.stringify(value)}' but must be '${JSON.stringify(fixed)}' (fixed value)`, path);
    });
  }
  const pattern = valueOfPrefix(node.def, 'pattern');
  if (pattern !== undefined) {
    out.push((value, _t, path, ctx) => {
      if (!matchesPattern(value, pattern)) ctx.error('value', `The value does not match the required pattern ${JSON.stringify(pattern)}`, path);
    });
  }
  const min = valueOfPrefix(node.def, 'minValue');
  const max = valueOfPrefix(node.def, 'maxValue');
  if (min !== undefined || max !== undefined) {
    const num = (v: unknown): number | string | undefined =>
      typeof v === 'number' || typeof v === 'string' ? v : typeof v === 'object' && v !== null ? ((v as { value?: number }).value ?? undefined) : undefined;
    out.push((value, _t, path, ctx) => {
      const q = value as { value?: number; code?: string };
      if (typeof value === 'object' && value !== null && typeof q.value === 'number') {
        // Quantities compare after UCUM conversion (FHIR R4 §2.24.0.12 Quantity, ElementDefinition.minValue[x]).
        for (const [limit, sign, word] of [[min, -1, 'less than the specified minValue'], [max, 1, 'greater than the specified maxValue']] as const) {
          const l = limit as { value?: number; code?: string } | undefined;
          if (!l || typeof l !== 'object' || typeof l.value !== 'number') continue;
          const c = q.code && l.code && q.code !== l.code ? compareQuantities(q, l) : Math.sign(q.value - l.value);
          if (c !== undefined && Math.sign(c) === sign) ctx.error('invalid', `The value in the instance (${q.value} ${q.code ?? ''}) is ${word} (${l.value} ${l.code ?? ''})`, path);
        }
        return;
      }
      const v = num(value);
      if (v === undefined) return;
      const lo = num(min);
      const hi = num(max);
      if (lo !== undefined && v < lo) ctx.error('invalid', `The value ${v} is less than the specified minValue ${lo}`, path);
      if (hi !== undefined && v > hi) ctx.error('invalid', `The value ${v} is greater than the specified maxValue ${hi}`, path);
    });
  }
  const maxLength = node.def.maxLength;
  if (typeof maxLength === 'number') {
    out.push((value, _t, path, ctx) => {
      if (typeof value === 'string' && value.length > maxLength) ctx.error('invalid', `The value is longer than the maximum length of ${maxLength}`, path);
    });
  }
  return out;
}

/** The checks of one element, compiled on first use and kept on the node (compile once per profile element). */
export function checksFor(node: ElementNode, svc: CheckServices): Check[] {
  return (node.checks ??= compileChecks(node, svc));
}

function compileChecks(node: ElementNode, svc: CheckServices): Check[] {
  const checks = [...valueChecks(node), ...invariantChecks(node)];
  const b = bindingCheck(node, svc);
  if (b) checks.push(b);
  const r = referenceCheck(node, svc);
  if (r) checks.push(r);
  return checks;
}

export { typeCode };
