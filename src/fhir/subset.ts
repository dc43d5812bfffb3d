import type { Resource } from 'fhir/r4.js';
import { elementSummary } from './r4-definitions.js';
import type { SummaryMode } from './search/parse-search.js';

const SUBSETTED = { system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue', code: 'SUBSETTED', display: 'subsetted' };

/** Whether `_summary` and `_elements` ask for less than whole resources. */
export function subsets(summary: SummaryMode | undefined, elements: string[] | undefined): boolean {
  return (summary !== undefined && summary !== 'false') || elements !== undefined;
}

/**
 * Applies `_summary` and `_elements` to a resource (R4 search.html#summary, #elements). Mandatory elements and
 * `id`/`meta` are always kept; a subsetted resource is tagged SUBSETTED so that nobody mistakes it for the whole.
 */
export function subset(resource: Resource, summary: SummaryMode | undefined, elements: string[] | undefined): Resource {
  if (!subsets(summary, elements)) return resource;
  const info = elementSummary(resource.resourceType);
  if (!info) return resource;
  const keep = (name: string): boolean => {
    if (name === 'resourceType' || name === 'id' || name === 'meta') return true;
    const element = elementName(name, info.all);
    if (elements) return elements.includes(name) || elements.includes(element) || info.mandatory.has(element);
    switch (summary) {
      case 'true':
        return info.summary.has(element);
      case 'text':
        return name === 'text' || info.mandatory.has(element);
      case 'data':
        return name !== 'text';
      default:
        return true;
    }
  };
  const result: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(resource)) {
    const base = name.startsWith('_') ? name.slice(1) : name; // primitive extensions follow their element
    if (keep(base)) result[name] = value;
  }
  const meta = { ...(resource.meta ?? {}) };
  meta.tag = [...(meta.tag ?? []).filter((t) => t.code !== 'SUBSETTED'), SUBSETTED];
  result.meta = meta;
  return result as unknown as Resource;
}

/** `valueQuantity` is the element `value` (choice types appear under a typed name). */
function elementName(jsonName: string, all: Set<string>): string {
  if (all.has(jsonName)) return jsonName;
  for (let i = jsonName.length - 1; i > 0; i--) {
    const ch = jsonName[i];
    if (ch >= 'A' && ch <= 'Z' && all.has(jsonName.slice(0, i))) return jsonName.slice(0, i);
  }
  return jsonName;
}
