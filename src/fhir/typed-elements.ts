import type { ElementTypes } from './search/simple-path.js';

/** Visits one element of a resource with its FHIR type; returns the value to keep in its place. */
export type ElementVisitor = (value: unknown, type: string) => unknown;

/**
 * Walks a resource by the R4 definitions, handing every element of the `wanted` types to `visit` and putting back
 * what it returns, in place, where it differs. Contained and nested resources (Bundle entries, Parameters) are walked
 * by their own type; elements the definitions do not know are left alone.
 */
export function rewriteElements(resource: unknown, types: ElementTypes, wanted: Set<string>, visit: ElementVisitor): void {
  const walk = (value: unknown, context: string): void => {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return;
    const record = value as Record<string, unknown>;
    for (const [key, child] of Object.entries(record)) {
      if (key === 'resourceType' || key.startsWith('_')) continue;
      const element = typeOf(types, context, key);
      if (!element) continue;
      const { type, path } = element;
      const visitOne = (item: unknown): unknown => {
        if (wanted.has(type)) item = visit(item, type);
        if (type === 'Resource') walk(item, typeof (item as { resourceType?: unknown })?.resourceType === 'string' ? (item as { resourceType: string }).resourceType : '');
        else if (!/^[a-z]/.test(type)) walk(item, path);
        return item;
      };
      if (Array.isArray(child)) {
        child.forEach((item, i) => {
          const next = visitOne(item);
          if (next !== item) child[i] = next;
        });
      } else {
        const next = visitOne(child);
        if (next !== child) record[key] = next;
      }
    }
  };
  walk(resource, (resource as { resourceType?: string } | null)?.resourceType ?? '');
}

/** The type of `context.key`, and the path its children are defined at (a data type's name, or a backbone's path). */
function typeOf(types: ElementTypes, context: string, key: string): { type: string; path: string } | undefined {
  const plain = types.get(`${context}.${key}`);
  if (plain) {
    if (plain.contentReference) return { type: 'BackboneElement', path: plain.contentReference };
    if (plain.types.length !== 1) return undefined;
    const [type] = plain.types;
    return { type, path: type === 'BackboneElement' || type === 'Element' ? `${context}.${key}` : type };
  }
  // A choice, value[x], is named by its type: valueQuantity, valueDateTime.
  const split = key.search(/[A-Z]/);
  if (split <= 0) return undefined;
  const choice = types.get(`${context}.${key.slice(0, split)}[x]`);
  const typeName = key.slice(split);
  const type = choice?.types.find((t) => t === typeName || t === `${typeName[0].toLowerCase()}${typeName.slice(1)}`);
  return type ? { type, path: type } : undefined;
}
