// What every page needs to link to the others: each conformance resource's page and title, and the examples.
import type { ExampleFile, InvalidExample } from '../example-files.js';
import type { FhirResourceJson } from '../fhir-json.js';
import type { IgConfig } from '../build/run-sushi.js';
import { pickLang, type Lang } from './i18n.js';

export interface ArtifactLink {
  page: string;
  title: string;
}

export interface SiteContext {
  config: IgConfig;
  resources: FhirResourceJson[];
  examples: ExampleFile[];
  invalidExamples: InvalidExample[];
  /** canonical url → page (relative to a language folder) and bilingual title. */
  byUrl: Map<string, { page: string; title: string }>;
}

export function pageFor(resource: FhirResourceJson): string {
  return `${resource.resourceType}-${resource.id}.html`;
}

export function examplePage(resource: FhirResourceJson): string {
  return `examples/${resource.resourceType}-${resource.id}.html`;
}

export function buildSiteContext(
  config: IgConfig,
  resources: FhirResourceJson[],
  examples: ExampleFile[],
  invalidExamples: InvalidExample[] = [],
): SiteContext {
  const byUrl = new Map<string, { page: string; title: string }>();
  for (const r of resources) {
    if (typeof r.url === 'string') byUrl.set(r.url, { page: pageFor(r), title: String(r['title'] ?? r['name'] ?? r.id) });
  }
  return { config, resources, examples, invalidExamples, byUrl };
}

/** Link target and localized title of a canonical url, when the guide defines it. */
export function linkFor(ctx: SiteContext, url: string, lang: Lang): ArtifactLink | undefined {
  const hit = ctx.byUrl.get(url.split('|')[0] ?? url);
  return hit ? { page: hit.page, title: pickLang(hit.title, lang) } : undefined;
}

export function ofType(ctx: SiteContext, resourceType: string, filter?: (r: FhirResourceJson) => boolean): FhirResourceJson[] {
  return ctx.resources.filter((r) => r.resourceType === resourceType && (!filter || filter(r)));
}
