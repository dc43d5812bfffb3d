import type { BundleIndex, ValidationContext } from './validation-context.js';

/**
 * Bundle rules beyond the invariants of the Bundle StructureDefinition (FHIR R4 §2.36 Bundle: fullUrl and id agree,
 * §2.36.4 resolving references inside a bundle).
 */

interface Entry {
  fullUrl?: unknown;
  resource?: { resourceType?: unknown; id?: unknown };
}

const RESTFUL = /^(.*\/)?([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(\/_history\/[A-Za-z0-9\-.]{1,64})?$/;
const ABSOLUTE = /^[A-Za-z][A-Za-z0-9+.-]*:/;

function entriesOf(bundle: Record<string, unknown>): Entry[] {
  return Array.isArray(bundle.entry) ? (bundle.entry as Entry[]).filter((e) => typeof e === 'object' && e !== null) : [];
}

function push(map: Map<string, unknown[]>, key: string, value: unknown): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Indexes the entries of a Bundle by fullUrl and by `Type/id`. */
export function indexBundle(bundle: Record<string, unknown>): BundleIndex {
  const index: BundleIndex = { type: typeof bundle.type === 'string' ? bundle.type : undefined, byFullUrl: new Map(), byTypeId: new Map() };
  for (const e of entriesOf(bundle)) {
    const r = e.resource;
    if (typeof e.fullUrl === 'string') push(index.byFullUrl, e.fullUrl, r);
    if (r && typeof r.resourceType === 'string' && typeof r.id === 'string') push(index.byTypeId, `${r.resourceType}/${r.id}`, r);
  }
  return index;
}

/** Resolves a Reference inside the current Bundle or the container's contained resources (for `resolve()`). */
export function resolveInBundle(ref: unknown, ctx: ValidationContext): unknown {
  const s = (ref as { reference?: unknown } | undefined)?.reference;
  if (typeof s !== 'string') return undefined;
  if (s.startsWith('#')) return ((ctx.root.contained as { id?: string }[] | undefined) ?? []).find((c) => c.id === s.slice(1));
  const b = ctx.bundle;
  if (!b) return undefined;
  const hit = b.byFullUrl.get(s);
  if (hit) return hit[0];
  const m = RESTFUL.exec(s);
  return m ? b.byTypeId.get(`${m[2]}/${m[3]}`)?.[0] : undefined;
}

function collectReferences(value: unknown, path: string, out: { ref: string; path: string }[]): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => collectReferences(v, `${path}[${i}]`, out));
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  for (const [k, v] of Object.entries(value)) {
    if (k === 'contained') continue;
    if (k === 'reference' && typeof v === 'string') out.push({ ref: v, path: `${path}.reference` });
    else if (typeof v === 'object' && v !== null && !(k === 'resource' && path.endsWith(']'))) collectReferences(v, `${path}.${k}`, out);
  }
}

/** Resolves one reference of an entry inside the bundle (§2.36.4); several matches mean an ambiguous reference. */
function resolveRef(ref: string, base: string | undefined, index: BundleIndex): unknown[] | undefined {
  const m = RESTFUL.exec(ref);
  let matches: unknown[] | undefined = index.byFullUrl.get(ref);
  if (!matches && m && !m[1]) {
    matches = base ? index.byFullUrl.get(base + ref.replace(/\/_history\/.*$/, '')) : undefined;
    matches ??= index.byTypeId.get(`${m[2]}/${m[3]}`);
  }
  return matches;
}

const NO_FULLURL_NEEDED = new Set(['transaction', 'batch', 'transaction-response', 'batch-response']);

/** Checks the Bundle-level rules once its entries have been validated. */
export function checkBundle(bundle: Record<string, unknown>, path: string, ctx: ValidationContext): void {
  const index = indexBundle(bundle);
  const type = index.type;
  // §2.36.0: Bundle.link relations are unique (a bundle has one `self`, one `next`...).
  const relations = new Set<string>();
  (Array.isArray(bundle.link) ? (bundle.link as { relation?: unknown }[]) : []).forEach((l, i) => {
    if (typeof l?.relation !== 'string') return;
    if (relations.has(l.relation)) ctx.error('invalid', `The link relationship type '${l.relation}' can only occur once`, `${path}.link[${i}]`);
    relations.add(l.relation);
  });
  const entries = entriesOf(bundle);
  const refsOf: { ref: string; path: string }[][] = [];
  entries.forEach((e, i) => {
    const where = `${path}.entry[${i}]`;
    const fullUrl = e.fullUrl;
    const r = e.resource;
    refsOf[i] = [];
    if (typeof fullUrl === 'string') {
      if (!ABSOLUTE.test(fullUrl)) ctx.error('invalid', `The fullUrl must be an absolute URL (not '${fullUrl}')`, `${where}.fullUrl`);
      const m = RESTFUL.exec(fullUrl);
      if (m && fullUrl.startsWith('http') && r && typeof r.id === 'string' && (m[3] !== r.id || m[2] !== r.resourceType)) {
        ctx.error('invalid', `The resource ID '${r.resourceType}/${r.id}' does not match the fullUrl '${fullUrl}'`, `${where}.fullUrl`);
      }
    } else if (r && type && !NO_FULLURL_NEEDED.has(type)) {
      // bdl-7/§2.36.4: outside transactions and batches, entries are identified by their fullUrl.
      ctx.error('invalid', 'Except for transactions and batches, each entry in a Bundle must have a fullUrl which is the identity of the resource in the entry', where);
    }
    if (!r) return;
    collectReferences(r, `${where}.resource`, refsOf[i]);
    const base = typeof fullUrl === 'string' ? RESTFUL.exec(fullUrl)?.[1] : undefined;
    for (const { ref, path: p } of refsOf[i]) {
      if (ref.startsWith('#')) continue;
      const matches = resolveRef(ref, base, index);
      if (matches && matches.length > 1 && !RESTFUL.exec(ref)?.[4]) ctx.error('invalid', `Found ${matches.length} matches for '${ref}' in the bundle`, p);
      // Documents and messages carry everything they reference (§3.3 Documents, §4.2 Messaging); a transaction's
      // urn:uuid references name entries of the same transaction.
      const mustResolve = type === 'document' || type === 'message' ? !/^https?:/.test(ref) : type === 'transaction' && ref.startsWith('urn:uuid:');
      if (!matches && mustResolve) ctx.error('not-found', `Can't find '${ref}' in the bundle`, p);
    }
  });
  if (type === 'document') checkDocumentReachability(entries, refsOf, index, path, ctx);
}

/**
 * §3.3.1 Documents: every entry of a document is part of it, i.e. reachable from the Composition (the first entry)
 * by following references, in either direction.
 */
function checkDocumentReachability(entries: Entry[], refsOf: { ref: string; path: string }[][], index: BundleIndex, path: string, ctx: ValidationContext): void {
  if (!entries.length || entries[0].resource?.resourceType !== 'Composition') return;
  const position = new Map<unknown, number>();
  entries.forEach((e, i) => e.resource && position.set(e.resource, i));
  const edges: number[][] = entries.map(() => []);
  entries.forEach((e, i) => {
    const base = typeof e.fullUrl === 'string' ? RESTFUL.exec(e.fullUrl)?.[1] : undefined;
    for (const { ref } of refsOf[i] ?? []) {
      if (ref.startsWith('#')) continue;
      for (const target of resolveRef(ref, base, index) ?? []) {
        const j = position.get(target);
        if (j === undefined) continue;
        edges[i].push(j);
        edges[j].push(i); // "forward or backward"
      }
    }
  });
  const seen = new Set<number>([0]);
  const queue = [0];
  while (queue.length) for (const j of edges[queue.shift()!]) if (!seen.has(j)) seen.add(j) && queue.push(j);
  entries.forEach((e, i) => {
    if (!seen.has(i) && e.resource) {
      ctx.error('invalid', `Entry '${typeof e.fullUrl === 'string' ? e.fullUrl : i}' isn't reachable by traversing links (forward or backward) from the Composition`, `${path}.entry[${i}]`);
    }
  });
}
