// One page per StructureDefinition (profiles and extensions): what it is for, its elements from the snapshot with
// the ones the differential changes highlighted, its invariants with their expressions, and its examples.
import type { FhirResourceJson } from '../fhir-json.js';
import { html, type Html } from './html.js';
import { pickLang, t, withColon, type Lang } from './i18n.js';
import { localizedInline, localizedMarkdown, markdown } from './markdown.js';
import { examplePage, linkFor, type SiteContext } from './site-context.js';
import { PROFILE_INTRO } from './texts.js';

interface ElementType {
  code: string;
  profile?: string[];
  targetProfile?: string[];
}

interface Constraint {
  key: string;
  severity: string;
  human: string;
  expression?: string;
  requirements?: string;
  source?: string;
}

interface ElementDefinition {
  id: string;
  path: string;
  sliceName?: string;
  min?: number;
  max?: string;
  short?: string;
  mustSupport?: boolean;
  type?: ElementType[];
  binding?: { strength: string; valueSet?: string };
  constraint?: Constraint[];
  [key: string]: unknown;
}

interface StructureDefinitionJson extends FhirResourceJson {
  type: string;
  baseDefinition?: string;
  snapshot?: { element: ElementDefinition[] };
  differential?: { element: ElementDefinition[] };
  context?: { type: string; expression: string }[];
}

function canonicalLink(ctx: SiteContext, url: string, lang: Lang): Html {
  const link = linkFor(ctx, url, lang);
  if (link) return html`<a href="${link.page}">${link.title}</a>`;
  const name = url.split('/').pop() ?? url;
  return url.startsWith('http://hl7.org/fhir/StructureDefinition/')
    ? html`<a href="https://hl7.org/fhir/R4/${name.toLowerCase()}.html">${name}</a>`
    : html`${name}`;
}

function renderType(ctx: SiteContext, lang: Lang, type: ElementType): Html {
  const targets = type.targetProfile ?? type.profile ?? [];
  // `id` and primitive values are typed with FHIRPath system types in R4 snapshots; show the FHIR primitive name.
  const code = type.code.startsWith('http://hl7.org/fhirpath/System.') ? type.code.slice('http://hl7.org/fhirpath/System.'.length).toLowerCase() : type.code;
  if (targets.length === 0) return html`${code}`;
  const links = targets.map((url, i) => html`${i > 0 ? ' | ' : ''}${canonicalLink(ctx, url, lang)}`);
  return html`${code}(${links})`;
}

/** Fixed or pattern values, shown compactly (system|code for codings, the value for primitives). */
function fixedValue(element: ElementDefinition): string | undefined {
  const key = Object.keys(element).find((k) => k.startsWith('fixed') || k.startsWith('pattern'));
  if (!key) return undefined;
  const value = element[key];
  if (typeof value !== 'object' || value === null) return String(value);
  const codings = (value as { coding?: { system?: string; code?: string }[] }).coding;
  // The system's last segment keeps the cell readable; the full system is in the snapshot and the JSON.
  if (codings) return codings.map((c) => `${c.system?.split('/').pop() ?? ''}${c.code ? `#${c.code}` : ''}`).join(', ');
  return JSON.stringify(value);
}

function elementRow(ctx: SiteContext, lang: Lang, sd: StructureDefinitionJson, element: ElementDefinition, changed: Set<string>): Html {
  const depth = element.id.split('.').length - 1;
  const last = element.id.split('.').pop() ?? element.id;
  const [name, slice] = last.split(':');
  const fixed = fixedValue(element);
  const ownConstraints = (element.constraint ?? []).filter((c) => c.source === sd.url).map((c) => c.key);
  const binding = element.binding?.valueSet
    ? html`${canonicalLink(ctx, element.binding.valueSet, lang)} <span class="flag">${element.binding.strength}</span>`
    : '';
  return html`<tr class="${changed.has(element.id) ? 'changed' : ''}">
<td class="path" style="padding-left:${0.55 + depth * 1.1}rem">${name}${slice ? html`<span class="slice">:${slice}</span>` : ''}${changed.has(element.id) ? html`<span class="visually-hidden"> (${t(lang, 'changed')})</span>` : ''}</td>
<td class="card">${element.min ?? ''}..${element.max ?? ''}</td>
<td>${(element.type ?? []).map((ty, i) => html`${i > 0 ? ', ' : ''}${renderType(ctx, lang, ty)}`)}</td>
<td>${binding}</td>
<td>${element.mustSupport ? html`<span class="ms" title="${t(lang, 'mustSupport')}">${t(lang, 'msShort')}</span>` : ''}</td>
<td class="desc">${localizedInline(element.short, lang)}${fixed ? html`<br><code>= ${fixed}</code>` : ''}${ownConstraints.length ? html`<br>${ownConstraints.map((k) => html`<a href="#${k}" class="flag">${k}</a>`)}` : ''}</td>
</tr>`;
}

function invariantsSection(lang: Lang, sd: StructureDefinitionJson): Html {
  const own: { path: string; c: Constraint }[] = [];
  for (const element of sd.snapshot?.element ?? []) {
    for (const c of element.constraint ?? []) if (c.source === sd.url) own.push({ path: element.id, c });
  }
  if (own.length === 0) return html``;
  return html`<h2 id="invariants">${t(lang, 'invariants')}</h2>
<div class="table-scroll"><table>
<thead><tr><th scope="col">${t(lang, 'key')}</th><th scope="col">${t(lang, 'path')}</th><th scope="col">${t(lang, 'description')}</th><th scope="col">${t(lang, 'expression')}</th></tr></thead>
<tbody>${own.map(
    ({ path, c }) => html`<tr id="${c.key}"><td class="nowrap"><strong>${c.key}</strong><br><span class="flag">${c.severity}</span></td><td class="nowrap"><code>${path}</code></td>
<td>${localizedInline(c.human, lang)}${c.requirements ? html`<br><em>${withColon(lang, t(lang, 'why'))}</em> ${localizedInline(c.requirements, lang)}` : ''}</td><td><code>${c.expression ?? ''}</code></td></tr>`,
  )}</tbody></table></div>`;
}

function invalidExamplesSection(ctx: SiteContext, lang: Lang, sd: StructureDefinitionJson, invariantKeys: Set<string>): Html {
  const invalid = ctx.invalidExamples.filter((e) => e.profile === sd.url);
  if (invalid.length === 0) return html``;
  return html`<h2 id="invalid-examples">${t(lang, 'invalidExamples')}</h2>
<p>${t(lang, 'invalidExamplesIntro')}</p>
<div class="table-scroll"><table>
<thead><tr><th scope="col">${t(lang, 'file')}</th><th scope="col">${t(lang, 'breaks')}</th><th scope="col">${t(lang, 'why')}</th></tr></thead>
<tbody>${invalid.map(
    (e) => html`<tr><td class="nowrap"><a href="examples/${e.file}">${e.file.replace(/^invalid\//, '')}</a></td>
<td>${invariantKeys.has(e.breaks) ? html`<a href="#${e.breaks}">${e.breaks}</a>` : html`<code>${e.breaks}</code>`}</td><td>${lang === 'fr' ? e.pourquoi : e.why}</td></tr>`,
  )}</tbody></table></div>`;
}

export function renderProfilePage(ctx: SiteContext, lang: Lang, resource: FhirResourceJson): { title: string; body: Html } {
  const sd = resource as StructureDefinitionJson;
  const title = pickLang(String(sd['title'] ?? sd['name']), lang);
  const changed = new Set((sd.differential?.element ?? []).map((e) => e.id));
  const elements = sd.snapshot?.element ?? [];
  const examples = ctx.examples.filter((e) => e.resource.meta?.profile?.includes(String(sd.url)));
  const intro = PROFILE_INTRO[String(sd.id)]?.[lang];
  const isExtension = sd.type === 'Extension';
  const body = html`<h1>${title}</h1>
<p class="meta">${withColon(lang, t(lang, 'canonical'))} <code>${sd.url}</code> · ${t(lang, 'version')} ${sd.version} · ${withColon(lang, t(lang, 'status'))} ${String(sd['status'])} · ${withColon(lang, t(lang, 'base'))} ${canonicalLink(ctx, String(sd.baseDefinition), lang)}</p>
${intro ? html`<div class="lead">${markdown(intro)}</div>` : ''}
${isExtension && sd.context ? html`<p>${withColon(lang, t(lang, 'context'))} ${sd.context.map((c) => html`<code>${c.expression}</code> `)}</p>` : ''}
<details${intro ? '' : ' open'}><summary>${t(lang, 'fullDescription')}</summary>${localizedMarkdown(String(sd['description'] ?? ''), lang)}</details>
<h2 id="elements">${t(lang, 'elements')}</h2>
<p class="legend"><span class="swatch"></span> ${t(lang, 'changed')} · <span class="ms">${t(lang, 'msShort')}</span> ${t(lang, 'mustSupport')}</p>
<div class="table-scroll"><table class="elements">
<caption>${t(lang, 'elementsCaption')}</caption>
<thead><tr><th scope="col">${t(lang, 'path')}</th><th scope="col">${t(lang, 'card')}</th><th scope="col">${t(lang, 'type')}</th><th scope="col">${t(lang, 'binding')}</th><th scope="col"><abbr title="${t(lang, 'mustSupport')}">${t(lang, 'msShort')}</abbr></th><th scope="col">${t(lang, 'description')}</th></tr></thead>
<tbody>
${elements.map((e) => elementRow(ctx, lang, sd, e, changed))}
</tbody></table></div>
${invariantsSection(lang, sd)}
${isExtension ? '' : html`<h2 id="examples">${t(lang, 'examplesOfProfile')}</h2>
${examples.length ? html`<ul>${examples.map((e) => html`<li><a href="${examplePage(e.resource)}">${e.resource.resourceType}/${e.resource.id}</a></li>`)}</ul>` : html`<p>${t(lang, 'noExamples')}</p>`}`}
${invalidExamplesSection(ctx, lang, sd, new Set(elements.flatMap((e) => e.constraint ?? []).filter((c) => c.source === sd.url).map((c) => c.key)))}
`;
  return { title, body };
}
