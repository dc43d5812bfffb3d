import type { ConformanceRegistry } from '../ig/conformance-registry.js';
import type { ValidationContext } from './validation-context.js';

/**
 * Consistency of conformance resources with the definitions they point to (FHIR R4 §2.38 SearchParameter.derivedFrom,
 * §2.39 CapabilityStatement.rest.resource.searchParam.definition): the search type must agree.
 */
export function checkConformanceResource(resource: Record<string, unknown>, path: string, ctx: ValidationContext, registry: ConformanceRegistry): void {
  const typeOf = (canonical: unknown): string | undefined => {
    if (typeof canonical !== 'string') return undefined;
    const sp = registry.get(canonical, 'SearchParameter');
    return typeof sp?.type === 'string' ? sp.type : undefined;
  };
  if (resource.resourceType === 'SearchParameter') {
    const mine = resource.type;
    const parent = typeOf(resource.derivedFrom);
    if (typeof mine === 'string' && parent && parent !== mine) {
      ctx.error('business-rule', `The type ${mine} is different to the type ${parent} in the derivedFrom SearchParameter ${String(resource.derivedFrom)}`, `${path}.type`);
    }
    return;
  }
  if (resource.resourceType !== 'CapabilityStatement') return;
  const rests = Array.isArray(resource.rest) ? (resource.rest as Record<string, unknown>[]) : [];
  rests.forEach((rest, r) => {
    const resources = Array.isArray(rest?.resource) ? (rest.resource as Record<string, unknown>[]) : [];
    resources.forEach((res, i) => {
      const params = Array.isArray(res?.searchParam) ? (res.searchParam as { definition?: unknown; type?: unknown }[]) : [];
      params.forEach((p, k) => {
        const defined = typeOf(p?.definition);
        if (defined && typeof p.type === 'string' && defined !== p.type) {
          ctx.error(
            'invalid',
            `Type mismatch - SearchParameter '${String(p.definition)}' type is ${defined}, but type here is ${p.type}`,
            `${path}.rest[${r}].resource[${i}].searchParam[${k}]`,
          );
        }
      });
    });
  });
}
