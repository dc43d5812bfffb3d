/**
 * Turns a StructureDefinition snapshot into a tree of element nodes (FHIR R4 §5.1 ElementDefinition, §2.11 Profiling:
 * element ids `Path.a:slice.b` name the tree), so that validation walks nodes and never the flat element list.
 */
import type { Check } from './element-checks.js';
import type { TypeStep } from './instance-validator.js';
import type { SliceTest } from './slicing.js';

export interface TypeRef {
  code: string;
  profile?: string[];
  targetProfile?: string[];
  aggregation?: string[];
}

export interface Discriminator {
  type: 'value' | 'exists' | 'pattern' | 'type' | 'profile';
  path: string;
}

export interface Constraint {
  key: string;
  severity: 'error' | 'warning';
  human: string;
  expression?: string;
  source?: string;
}

export interface ElementDefinition {
  id?: string;
  path: string;
  sliceName?: string;
  min?: number;
  max?: string;
  base?: { path: string; min: number; max: string };
  type?: TypeRef[];
  contentReference?: string;
  slicing?: { discriminator?: Discriminator[]; ordered?: boolean; rules?: 'closed' | 'open' | 'openAtEnd' };
  binding?: { strength: 'required' | 'extensible' | 'preferred' | 'example'; valueSet?: string };
  constraint?: Constraint[];
  maxLength?: number;
  [key: string]: unknown;
}

export interface StructureDefinition {
  resourceType: 'StructureDefinition';
  url: string;
  version?: string;
  name?: string;
  type: string;
  kind?: string;
  abstract?: boolean;
  derivation?: 'specialization' | 'constraint';
  baseDefinition?: string;
  context?: { type: string; expression: string }[];
  snapshot?: { element: ElementDefinition[] };
  differential?: { element: ElementDefinition[] };
  [key: string]: unknown;
}

/** One element of a compiled profile. */
export interface ElementNode {
  def: ElementDefinition;
  id: string;
  path: string;
  /** The path of the element this one constrains in its base definition (`Coding.display` for `X.coding.display`). */
  basePath: string;
  /** Last path segment without `[x]` (the JSON property name, or its prefix for choices). */
  name: string;
  isChoice: boolean;
  min: number;
  max: number;
  /** JSON shape: arrays where the base definition repeats (§2.6.2: the base, not the profile, decides). */
  isArray: boolean;
  types: TypeRef[];
  /** The type code when there is exactly one type. */
  singleType?: string;
  children: Map<string, ElementNode>;
  /** The same children in definition order, each at its `order`: the walk gathers an object's properties by it. */
  childList: ElementNode[];
  /** Position among its parent's children. */
  order: number;
  /** The first of the element's types for each type code (what an occurrence of that type is checked against). */
  typeByCode: Map<string, TypeRef>;
  /** The element's own checks, compiled on first use (`checksFor` in element-checks.ts). */
  checks?: Check[];
  /** How each type of the element is walked, worked out on first use (instance-validator.ts). */
  steps?: Map<string, TypeStep>;
  /** The same for the element's single type, when it has one. */
  singleTypeStep?: TypeStep;
  /** For a slice: its discriminator tests, compiled on first use (slicing.ts). */
  sliceTests?: SliceTest[];
  /** For choices: `valueQuantity` → the node and the type it implies. */
  choiceKeys: Map<string, { node: ElementNode; type: string }>;
  /** Every JSON property name a child answers to: plain children, and choices by their typed names. */
  properties: Map<string, { node: ElementNode; type?: string }>;
  slices: ElementNode[];
  sliceName?: string;
  parent?: ElementNode;
  /** Profile url of the structure this node belongs to. */
  owner: string;
}

function lastSegment(path: string): string {
  const i = path.lastIndexOf('.');
  return i < 0 ? path : path.slice(i + 1);
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Type code as used in a choice property name; System.String style codes fall back to their FHIR type extension. */
export function typeCode(t: TypeRef): string {
  if (!t.code.startsWith('http://hl7.org/fhirpath/System.')) return t.code;
  const ext = (t as { extension?: { url: string; valueUrl?: string; valueUri?: string }[] }).extension?.find(
    (e) => e.url === 'http://hl7.org/fhir/StructureDefinition/structuredefinition-fhir-type',
  );
  const fromExt = ext?.valueUrl ?? ext?.valueUri;
  if (fromExt) return fromExt;
  const sys = t.code.slice('http://hl7.org/fhirpath/System.'.length);
  return ({ String: 'string', Boolean: 'boolean', Integer: 'integer', Decimal: 'decimal', DateTime: 'dateTime', Time: 'time', Date: 'date' } as Record<string, string>)[sys] ?? 'string';
}

/** Fills missing element ids (older or hand-written snapshots) from path and slice names. */
export function ensureIds(elements: ElementDefinition[]): string[] {
  const ids: string[] = [];
  const currentSliceId = new Map<string, string>();
  for (const e of elements) {
    if (e.id) {
      ids.push(e.id);
      continue;
    }
    const parentPath = e.path.includes('.') ? e.path.slice(0, e.path.lastIndexOf('.')) : '';
    const parentId = parentPath ? (currentSliceId.get(parentPath) ?? parentPath) : '';
    let id = (parentId ? parentId + '.' : '') + lastSegment(e.path);
    if (e.sliceName) id += ':' + e.sliceName;
    currentSliceId.set(e.path, id);
    ids.push(id);
  }
  return ids;
}

function parentIdOf(id: string): { parent: string; sliceOf?: string } {
  // A trailing `:name` (no further dot) is a slice of the element before it; reslices use `/`.
  const dot = id.lastIndexOf('.');
  const last = dot < 0 ? id : id.slice(dot + 1);
  const colon = last.lastIndexOf(':');
  if (colon >= 0) {
    const slash = last.lastIndexOf('/');
    const base = slash > colon ? id.slice(0, id.length - (last.length - slash)) : id.slice(0, id.length - (last.length - colon));
    return { parent: dot < 0 ? '' : id.slice(0, dot), sliceOf: base };
  }
  return { parent: dot < 0 ? '' : id.slice(0, dot) };
}

function maxOf(max: string | undefined): number {
  return max === undefined || max === '*' ? Infinity : Number(max);
}

/** Builds the element tree of a snapshot; returns the root node. */
export function buildElementTree(url: string, elements: ElementDefinition[]): ElementNode {
  const ids = ensureIds(elements);
  const byId = new Map<string, ElementNode>();
  let root: ElementNode | undefined;
  elements.forEach((def, i) => {
    const id = ids[i];
    const rawName = lastSegment(def.path);
    const isChoice = rawName.endsWith('[x]');
    const baseMax = def.base?.max ?? def.max;
    const node: ElementNode = {
      def,
      id,
      path: def.path,
      basePath: def.base?.path ?? def.path,
      name: isChoice ? rawName.slice(0, -3) : rawName,
      isChoice,
      min: def.min ?? 0,
      max: maxOf(def.max),
      isArray: baseMax !== '1' && baseMax !== '0',
      types: def.type ?? [],
      singleType: def.type?.length === 1 ? typeCode(def.type[0]) : undefined,
      children: new Map(),
      childList: [],
      order: 0,
      typeByCode: typesByCode(def.type ?? []),
      choiceKeys: new Map(),
      properties: new Map(),
      slices: [],
      sliceName: def.sliceName,
      parent: undefined,
      owner: url,
      // Set later, declared now: nodes then share one shape, and reads of them in the walk stay monomorphic.
      checks: undefined,
      steps: undefined,
      singleTypeStep: undefined,
      sliceTests: undefined,
    };
    byId.set(id, node);
    if (!root) {
      root = node;
      return;
    }
    const { parent, sliceOf } = parentIdOf(id);
    if (sliceOf !== undefined) {
      const base = byId.get(sliceOf);
      if (base) {
        node.parent = base.parent;
        base.slices.push(node);
      }
      return;
    }
    const p = byId.get(parent);
    if (!p) return;
    node.parent = p;
    // A profile may rename a constrained choice (`valueQuantity`) instead of slicing it (§2.11.0.8): keep both.
    p.children.set(node.isChoice ? node.name : rawName, node);
    if (isChoice) for (const t of node.types) p.choiceKeys.set(node.name + capitalize(typeCode(t)), { node, type: typeCode(t) });
  });
  if (!root) throw new Error(`StructureDefinition ${url} has an empty snapshot`);
  for (const node of byId.values()) indexChildren(node);
  return root;
}

function typesByCode(types: TypeRef[]): Map<string, TypeRef> {
  const byCode = new Map<string, TypeRef>();
  for (const t of types) if (!byCode.has(typeCode(t))) byCode.set(typeCode(t), t);
  return byCode;
}

/** Numbers the children of a complete node and indexes them by property name. */
function indexChildren(node: ElementNode): void {
  node.childList = [...node.children.values()];
  node.childList.forEach((child, order) => (child.order = order));
  node.properties = new Map(node.choiceKeys);
  // A plain child wins over a choice's typed name (a profile's `valueQuantity` beside `value[x]`).
  for (const [name, child] of node.children) if (!child.isChoice) node.properties.set(name, { node: child });
}

/** Finds the node of a path below a node (e.g. `code.coding` from `Observation`), following children only. */
export function findDescendant(node: ElementNode, relPath: string): ElementNode | undefined {
  let cur: ElementNode | undefined = node;
  for (const seg of relPath.split('.')) {
    if (!cur) return undefined;
    const name = seg.endsWith('[x]') ? seg.slice(0, -3) : seg;
    cur = cur.children.get(name) ?? cur.choiceKeys.get(name)?.node;
  }
  return cur;
}
