// Pages for code systems (every concept with its fr-CA and en-CA designations), value sets (their content, expanded
// when the codes are the guide's own) and concept maps.
import type { FhirResourceJson } from '../fhir-json.js';
import { html, type Html } from './html.js';
import { pickLang, t, withColon, type Lang } from './i18n.js';
import { localizedInline, localizedMarkdown } from './markdown.js';
import { linkFor, ofType, type SiteContext } from './site-context.js';

interface Designation {
  language?: string;
  value: string;
}

export interface Concept {
  code: string;
  display?: string;
  definition?: string;
  designation?: Designation[];
}

function designation(concept: Concept, language: string): string {
  return concept.designation?.find((d) => d.language === language)?.value ?? '';
}

function header(lang: Lang, r: FhirResourceJson): Html {
  return html`<h1>${pickLang(String(r['title'] ?? r['name']), lang)}</h1>
<p class="meta">${withColon(lang, t(lang, 'canonical'))} <code>${r.url}</code> · ${t(lang, 'version')} ${r.version} · ${withColon(lang, t(lang, 'status'))} ${String(r['status'])}</p>
<div class="lead">${localizedMarkdown(String(r['description'] ?? ''), lang)}</div>`;
}

function conceptTable(lang: Lang, concepts: Concept[], caption: string): Html {
  return html`<div class="table-scroll"><table>
<caption>${caption}</caption>
<thead><tr><th scope="col">${t(lang, 'code')}</th><th scope="col">${t(lang, 'displayFr')}</th><th scope="col">${t(lang, 'displayEn')}</th><th scope="col">${t(lang, 'definition')}</th></tr></thead>
<tbody>${concepts.map(
    (c) => html`<tr id="${c.code}"><td class="nowrap"><code>${c.code}</code></td><td lang="fr-CA">${designation(c, 'fr-CA') || c.display}</td><td lang="en-CA">${designation(c, 'en-CA')}</td><td>${localizedInline(c.definition, lang)}</td></tr>`,
  )}</tbody></table></div>`;
}

export function renderCodeSystemPage(ctx: SiteContext, lang: Lang, cs: FhirResourceJson): { title: string; body: Html } {
  const concepts = (cs['concept'] as Concept[] | undefined) ?? [];
  const valueSets = ofType(ctx, 'ValueSet', (vs) => JSON.stringify(vs['compose'] ?? {}).includes(String(cs.url)));
  return {
    title: pickLang(String(cs['title']), lang),
    body: html`${header(lang, cs)}
<h2>${t(lang, 'concepts')} (${concepts.length})</h2>
${conceptTable(lang, concepts, String(cs.url))}
<h2>${t(lang, 'valueSets')}</h2>
<ul>${valueSets.map((vs) => html`<li><a href="ValueSet-${vs.id}.html">${pickLang(String(vs['title']), lang)}</a></li>`)}</ul>`,
  };
}

interface ComposeInclude {
  system?: string;
  concept?: { code: string; display?: string }[];
  valueSet?: string[];
}

/** Expands an include against the guide's own code systems (designations included); other systems list their codes. */
function expandInclude(ctx: SiteContext, include: ComposeInclude): Concept[] {
  const cs = ofType(ctx, 'CodeSystem', (c) => c.url === include.system)[0];
  const all = (cs?.['concept'] as Concept[] | undefined) ?? [];
  if (!include.concept) return all;
  return include.concept.map((c) => all.find((a) => a.code === c.code) ?? { code: c.code, display: c.display });
}

export function renderValueSetPage(ctx: SiteContext, lang: Lang, vs: FhirResourceJson): { title: string; body: Html } {
  const includes = ((vs['compose'] as { include?: ComposeInclude[] } | undefined)?.include ?? []) as ComposeInclude[];
  return {
    title: pickLang(String(vs['title']), lang),
    body: html`${header(lang, vs)}
<h2>${t(lang, 'include')}</h2>
${includes.map((inc) => {
  const link = inc.system ? linkFor(ctx, inc.system, lang) : undefined;
  return html`<h3>${inc.concept ? '' : `${t(lang, 'allCodesOf')} `}${link ? html`<a href="${link.page}">${link.title}</a>` : html`<code>${inc.system ?? ''}</code>`}</h3>
${conceptTable(lang, expandInclude(ctx, inc), inc.system ?? '')}`;
})}`,
  };
}

interface MapTarget {
  code?: string;
  display?: string;
  equivalence?: string;
  comment?: string;
}

interface MapGroup {
  source?: string;
  target?: string;
  element?: { code?: string; display?: string; target?: MapTarget[] }[];
}

export function renderConceptMapPage(ctx: SiteContext, lang: Lang, cm: FhirResourceJson): { title: string; body: Html } {
  const groups = (cm['group'] as MapGroup[] | undefined) ?? [];
  return {
    title: pickLang(String(cm['title']), lang),
    body: html`${header(lang, cm)}
${groups.map((g) => {
  const source = g.source ? linkFor(ctx, g.source, lang) : undefined;
  return html`<h2>${source ? source.title : g.source} → <code>${g.target}</code></h2>
<div class="table-scroll"><table>
<thead><tr><th scope="col">${t(lang, 'source')}</th><th scope="col">${t(lang, 'target')}</th><th scope="col">${t(lang, 'equivalence')}</th><th scope="col">${t(lang, 'comment')}</th></tr></thead>
<tbody>${(g.element ?? []).flatMap((e) =>
    (e.target ?? []).map(
      (tg) => html`<tr><td><code>${e.code}</code> ${e.display}</td><td><code>${tg.code}</code> ${tg.display}</td><td>${tg.equivalence}</td><td lang="en-CA">${tg.comment ?? ''}</td></tr>`,
    ),
  )}</tbody></table></div>`;
})}`,
  };
}
