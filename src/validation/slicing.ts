import { findDescendant, typeCode, type Discriminator, type ElementNode } from './element-tree.js';
import { deepEqual, matchesPattern, valueOfPrefix } from './fixed-pattern.js';
import { resolveInBundle } from './bundle-rules.js';
import type { ValidationContext } from './validation-context.js';

/** One occurrence of an element in the instance. */
export interface Item {
  value: unknown;
  /** The `_name` companion of a primitive (§2.6.2.3), if any. */
  ext?: unknown;
  index: number;
  key: string;
  /** The type implied by a choice property name, or the resource type of an inline resource. */
  type?: string;
  path: string;
}

/** One step of a discriminator path. */
type PathStep = { kind: 'this' } | { kind: 'resolve' } | { kind: 'ofType' } | { kind: 'extension'; url: string } | { kind: 'name'; name: string };

const parsedPaths = new Map<string, PathStep[]>();

/** The steps of a discriminator path, parsed once per path. */
function stepsOf(path: string): PathStep[] {
  let steps = parsedPaths.get(path);
  if (steps) return steps;
  steps = (path.match(/(?:[^.(]+(?:\([^)]*\))?)/g) ?? []).map((step): PathStep => {
    const ext = /^extension\('([^']*)'\)$/.exec(step);
    if (step === '$this') return { kind: 'this' };
    if (ext) return { kind: 'extension', url: ext[1] };
    if (step === 'resolve()') return { kind: 'resolve' };
    if (/^(?:ofType|as)\(([^)]*)\)$/.test(step)) return { kind: 'ofType' };
    return { kind: 'name', name: step };
  });
  parsedPaths.set(path, steps);
  return steps;
}

/**
 * Evaluates the restricted FHIRPath of discriminator paths (§2.11.0.10: names, extension(url), ofType, resolve;
 * references resolve inside the Bundle or the container).
 */
export function discriminatorValues(value: unknown, path: string, ctx: ValidationContext): unknown[] {
  const steps = stepsOf(path);
  if (steps.length === 1 && steps[0].kind === 'name') return valuesOf(value, steps[0].name);
  let cur: unknown[] = [value];
  for (const step of steps) {
    if (step.kind === 'this') continue;
    const next: unknown[] = [];
    for (const v of cur) {
      if (typeof v !== 'object' || v === null) continue;
      const o = v as Record<string, unknown>;
      if (step.kind === 'extension') {
        for (const e of (o.extension as { url?: string }[] | undefined) ?? []) if (e.url === step.url) next.push(e);
      } else if (step.kind === 'resolve') {
        const r = resolveInBundle(o, ctx);
        if (r !== undefined) next.push(r);
      } else if (step.kind === 'ofType') {
        next.push(v);
      } else {
        next.push(...valuesOf(o, step.name));
      }
    }
    cur = next;
  }
  return cur;
}

const NO_VALUES: unknown[] = [];

/** The values of one property of an object (read only: an array is the instance's own). */
function valuesOf(value: unknown, name: string): unknown[] {
  if (typeof value !== 'object' || value === null) return NO_VALUES;
  const o = value as Record<string, unknown>;
  let x = o[name];
  if (x === undefined) {
    // choice element named without [x]: `value` finds `valueQuantity`
    const k = Object.keys(o).find((key) => key.startsWith(name) && /^[A-Z]/.test(key.slice(name.length)));
    if (k) x = o[k];
  }
  return Array.isArray(x) ? x : x === undefined ? NO_VALUES : [x];
}

/** The fixed/pattern value a slice sets at a discriminator path, digging into a pattern set higher up. */
function findExpected(slice: ElementNode, path: string): { value: unknown; exact: boolean } | undefined {
  return expectedFrom(slice, path === '$this' ? [] : path.split('.'), 0);
}

/**
 * Walks the discriminator path from `node`. Where an element on the way is itself sliced, the fixed value may sit in
 * one of its required slices (core vital signs: `code.coding.code` is fixed in the `coding:SBPCode` slice).
 */
function expectedFrom(node: ElementNode | undefined, segs: string[], depth: number): { value: unknown; exact: boolean } | undefined {
  if (!node || depth > 8) return undefined;
  const fixed = valueOfPrefix(node.def, 'fixed');
  const pattern = fixed === undefined ? valueOfPrefix(node.def, 'pattern') : undefined;
  const found = fixed ?? pattern;
  if (found !== undefined) {
    let v: unknown = found;
    for (const s of segs) v = Array.isArray(v) ? v[0]?.[s] : (v as Record<string, unknown> | undefined)?.[s];
    return v === undefined ? undefined : { value: v, exact: fixed !== undefined };
  }
  if (!segs.length) return undefined;
  const [seg, ...rest] = segs;
  if (seg === 'url' && node.types[0]?.code === 'Extension' && node.types[0].profile?.[0] && !node.children.get('url')) {
    return { value: node.types[0].profile[0], exact: true };
  }
  const ext = /^extension\('([^']*)'\)$/.exec(seg);
  if (ext) {
    const extNode = node.children.get('extension');
    const s = extNode?.slices.find((x) => x.types[0]?.profile?.[0] === ext[1] || findDescendant(x, 'url')?.def.fixedUri === ext[1]);
    return expectedFrom(s, rest, depth + 1);
  }
  if (/^(?:ofType|as)\(([^)]*)\)$/.test(seg)) return expectedFrom(node, rest, depth + 1);
  const next = findDescendant(node, seg);
  const direct = expectedFrom(next, rest, depth + 1);
  if (direct || !next) return direct;
  for (const s of [...next.slices].sort((a, b) => b.min - a.min)) {
    const r = expectedFrom(s, rest, depth + 1);
    if (r) return r;
  }
  return undefined;
}

const predicates = new WeakMap<ElementNode, ((v: unknown) => boolean) | null>();

/** A test built from the fixed/pattern values of a node's descendants and required slices; undefined if none. */
export function fixedPredicate(node: ElementNode, depth = 0): ((v: unknown) => boolean) | undefined {
  const cached = predicates.get(node);
  if (cached !== undefined) return cached ?? undefined;
  if (depth > 6) return undefined;
  const tests: ((v: unknown) => boolean)[] = [];
  const fixed = valueOfPrefix(node.def, 'fixed');
  const pattern = fixed === undefined ? valueOfPrefix(node.def, 'pattern') : undefined;
  if (fixed !== undefined) tests.push((v) => deepEqual(v, fixed));
  else if (pattern !== undefined) tests.push((v) => matchesPattern(v, pattern));
  for (const c of node.children.values()) {
    const name = c.name;
    const own = fixedPredicate(c, depth + 1);
    const valuesOf = (v: unknown): unknown[] => {
      const x = (v as Record<string, unknown> | null)?.[name];
      return Array.isArray(x) ? x : x === undefined ? [] : [x];
    };
    if (own) tests.push((v) => valuesOf(v).some(own));
    for (const sl of c.slices) {
      if (sl.min < 1) continue;
      const p = fixedPredicate(sl, depth + 1);
      if (p) tests.push((v) => valuesOf(v).some(p));
    }
  }
  const pred = tests.length ? (v: unknown) => tests.every((t) => t(v)) : undefined;
  predicates.set(node, pred ?? null);
  return pred;
}

/** An item's values at each discriminator path: computed once per item, then tested against every slice. */
export function valuesAtDiscriminators(item: Item, discriminators: Discriminator[], ctx: ValidationContext): unknown[][] {
  return discriminators.map((d) => discriminatorValues(item.value, d.path, ctx));
}

/** What a slice test may need beyond the item: whether a value conforms to a profile (profile discriminators). */
export interface SliceEnv {
  conforms(value: unknown, profile: string, ctx: ValidationContext): boolean;
}

/** One discriminator of a slice, compiled: does the item (its values at each discriminator path) pass it? */
export type SliceTest = (valuesAt: unknown[][], item: Item, env: SliceEnv, ctx: ValidationContext) => boolean;

const PASS: SliceTest = () => true;

/**
 * Does one item belong to a slice, by every discriminator of the slicing (§2.11.0.10)? `valuesAt` holds the item's
 * values at each discriminator's path ({@link valuesAtDiscriminators}). The slice's tests are compiled on first use:
 * a slice is always tested with its slicing's discriminators.
 */
export function matchesSlice(slice: ElementNode, item: Item, discriminators: Discriminator[], valuesAt: unknown[][], env: SliceEnv, ctx: ValidationContext): boolean {
  slice.sliceTests ??= discriminators.map((d, k) => compileSliceTest(slice, d, k));
  for (const test of slice.sliceTests) if (!test(valuesAt, item, env, ctx)) return false;
  return true;
}

/** The element a discriminator path leads to in the slice (`resolve()` ends stay on the reference). */
function discriminated(slice: ElementNode, path: string): ElementNode | undefined {
  if (path === '$this' || path === 'resolve()') return slice;
  return findDescendant(slice, path.replace(/\.?resolve\(\)$/, ''));
}

function compileSliceTest(slice: ElementNode, d: Discriminator, k: number): SliceTest {
  if (d.type === 'value' || d.type === 'pattern') return valueTest(slice, d, k);
  if (d.type === 'exists') return existsTest(d.path === '$this' ? slice : findDescendant(slice, d.path), k);
  const node = discriminated(slice, d.path);
  if (!node) return PASS;
  if (d.type === 'type') return d.path.endsWith('resolve()') ? targetTypeTest(node, k) : typeTest(node, d.path, k);
  return profileTest(node.types.flatMap((t) => (d.path.endsWith('resolve()') ? (t.targetProfile ?? []) : (t.profile ?? []))), k);
}

/** exists: the slice requires the element (min ≥ 1) or forbids it (max 0). */
function existsTest(node: ElementNode | undefined, k: number): SliceTest {
  if (!node) return PASS;
  return (valuesAt) => {
    const has = valuesAt[k].length > 0;
    return !(node.min >= 1 && !has) && !(node.max === 0 && has);
  };
}

/** profile: some value conforms to one of the profiles the slice names. */
function profileTest(profiles: string[], k: number): SliceTest {
  if (!profiles.length) return PASS;
  return (valuesAt, _item, env, ctx) => valuesAt[k].some((v) => profiles.some((p) => env.conforms(v, p, ctx)));
}

/** value and pattern: the value fixed at the path, or else the values fixed below it, identify the slice. */
function valueTest(slice: ElementNode, d: Discriminator, k: number): SliceTest {
  const expected = findExpected(slice, d.path);
  if (expected) {
    const { value } = expected;
    return expected.exact && d.type === 'value'
      ? (valuesAt) => valuesAt[k].some((v) => deepEqual(v, value))
      : (valuesAt) => valuesAt[k].some((v) => matchesPattern(v, value));
  }
  // Nothing fixed at the path itself: the values fixed below it (e.g. a required coding slice with a fixed system and
  // code, as in the core vital-signs profiles) identify the slice.
  const node = d.path === '$this' ? slice : findDescendant(slice, d.path);
  const pred = node ? fixedPredicate(node) : undefined;
  return pred ? (valuesAt) => valuesAt[k].some(pred) : PASS;
}

/** type at `resolve()`: the referenced resource's type is one the slice targets. */
function targetTypeTest(node: ElementNode, k: number): SliceTest {
  const targets = node.types.flatMap((t) => t.targetProfile ?? []).map((u) => u.slice(u.lastIndexOf('/') + 1));
  return (valuesAt) => {
    const actual = (valuesAt[k][0] as { resourceType?: string } | undefined)?.resourceType;
    return !(actual && targets.length && !targets.includes(actual));
  };
}

/** type: the item's type (a choice's typed name, or an inline resource's type) is one the slice allows. */
function typeTest(node: ElementNode, path: string, k: number): SliceTest {
  const allowed = node.types.map(typeCode);
  return (valuesAt, item) => {
    const v = path === '$this' ? item.value : valuesAt[k][0];
    let actual = path === '$this' ? item.type : undefined;
    if (!actual && v && typeof v === 'object') actual = (v as { resourceType?: string }).resourceType;
    return !(actual && allowed.length && !allowed.includes(actual));
  };
}

const URL_DISCRIMINATOR: Discriminator[] = [{ type: 'value', path: 'url' }];
const TYPE_DISCRIMINATOR: Discriminator[] = [{ type: 'type', path: '$this' }];

/** The discriminators of a slicing; extensions are sliced by url and choices by type even when a profile is silent. */
export function discriminatorsOf(child: ElementNode): Discriminator[] | undefined {
  const declared = child.def.slicing?.discriminator ?? [];
  if (declared.length) return declared;
  if (child.name === 'extension' || child.name === 'modifierExtension') return URL_DISCRIMINATOR;
  return child.isChoice ? TYPE_DISCRIMINATOR : undefined;
}

/** Each slice's cardinality, counted over the items assigned to it. */
export function checkSliceCardinality(child: ElementNode, items: Item[], assigned: (ElementNode | undefined)[], ctx: ValidationContext): void {
  for (const s of child.slices) {
    let n = 0;
    for (const a of assigned) if (a === s) n++;
    if (n >= s.min && n <= s.max) continue;
    const where = items[0].path.replace(/\[\d+\]$/, '');
    if (n < s.min) ctx.error('structure', `Slice '${s.id}': a matching slice is required, but not found (from ${s.owner})`, where);
    if (n > s.max) ctx.error('structure', `${s.id}: max allowed = ${s.max}, but found ${n} (from ${s.owner})`, where);
  }
}
