import type { BundleEntry, Narrative, Reference } from 'fhir/r4.js';
import { badRequest } from '../outcomes.js';
import { coreElementTypes } from '../r4-definitions.js';
import { rewriteElements } from '../typed-elements.js';

/**
 * The links between the entries of a Bundle: the references a transaction resolves, the links it rewrites once it
 * has decided what each entry's fullUrl designates, and the placeholders that name no entry.
 */

/** The conditional references (`Patient?identifier=…`) of the entries, each with the first entry it is in. */
export function conditionalReferences(entries: BundleEntry[]): Map<string, number> {
  const found = new Map<string, number>();
  entries.forEach((entry, i) => {
    for (const reference of referencesOf(entry.resource)) if (/^[A-Z][A-Za-z]+\?./.test(reference) && !found.has(reference)) found.set(reference, i);
  });
  return found;
}

/** Every Reference.reference of a resource (and of those it contains). */
function referencesOf(resource: unknown): string[] {
  const found: string[] = [];
  if (!resource) return found;
  rewriteElements(resource, coreElementTypes(), REFERENCE, (value) => {
    const reference = (value as Reference | null)?.reference;
    if (typeof reference === 'string') found.push(reference);
    return value;
  });
  return found;
}

const REFERENCE = new Set(['Reference']);
const LINKS = new Set(['Reference', 'uri', 'url', 'canonical', 'oid', 'uuid', 'Narrative']);

/**
 * The body with the links a transaction decided rewritten (R4 http.html#trules: "Servers SHALL replace all matching
 * links in the bundle, whether they are found in the resource ids, resource references, elements of type uri, url,
 * oid, uuid, and <a href="" & <img src="" in the narrative"). A placeholder (`urn:uuid:`, `urn:oid:`) left in a
 * reference names no entry of the Bundle: an error, not a link to store.
 */
export function rewriteLinks(body: unknown, targets: Map<string, string>, base: string): unknown {
  if (!body || typeof body !== 'object') return body;
  const copy = structuredClone(body);
  // A relative reference (Patient/x) names the entry whose fullUrl it is against the entry's base.
  const targetOf = (link: string) => targets.get(link) ?? (/^[A-Z][A-Za-z]+\/[^/]+$/.test(link) ? targets.get(`${base}/${link}`) : undefined);
  rewriteElements(copy, coreElementTypes(), LINKS, (value, type) => {
    if (type === 'Reference') {
      const reference = (value as Reference | null)?.reference;
      if (typeof reference !== 'string') return value;
      const target = targetOf(reference);
      if (target === undefined && PLACEHOLDER.test(reference)) throw badRequest(`The reference ${reference} names no entry of the Bundle (no entry has it as fullUrl)`);
      return target === undefined ? value : { ...(value as Reference), reference: target };
    }
    if (type === 'Narrative') {
      const narrative = value as Narrative | null;
      if (typeof narrative?.div !== 'string') return value;
      // Each quoted value runs to the next quote of its kind: one pass over the narrative, whatever it holds.
      const div = narrative.div.replace(/\b(href|src)=(?:"([^"]*)"|'([^']*)')/g, (link, attribute: string, double?: string, single?: string) => {
        const target = targetOf(double ?? single!);
        const quote = double === undefined ? "'" : '"';
        return target === undefined ? link : `${attribute}=${quote}${target}${quote}`;
      });
      return { ...narrative, div };
    }
    return typeof value === 'string' ? (targetOf(value) ?? value) : value;
  });
  return copy;
}

const PLACEHOLDER = /^urn:(uuid|oid):/;

/** A batch's entries stand alone (R4 http.html#brules): a placeholder reference in one names nothing. */
export function checkNoPlaceholders(body: unknown): void {
  const placeholder = referencesOf(body).find((reference) => PLACEHOLDER.test(reference));
  if (placeholder) throw badRequest(`The reference ${placeholder} is a placeholder: entries of a batch cannot refer to each other (use a transaction)`);
}
