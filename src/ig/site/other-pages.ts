// The search-parameter page and the example pages.
import type { FhirResourceJson } from '../fhir-json.js';
import { html, type Html } from './html.js';
import { pickLang, t, withColon, type Lang } from './i18n.js';
import { localizedMarkdown, markdown } from './markdown.js';
import { linkFor, ofType, type SiteContext } from './site-context.js';

export function renderSearchParametersPage(ctx: SiteContext, lang: Lang): { title: string; body: Html } {
  const params = ofType(ctx, 'SearchParameter');
  const intro =
    lang === 'fr'
      ? 'Paramètres de recherche ajoutés par le guide. Ceux que FHIR R4 définit déjà (par exemple `identifier` sur RelatedPerson pour l’identifiant de programme d’un pair, ou `care-team` sur CarePlan) ne sont pas redéfinis.'
      : 'Search parameters added by this guide. Those core FHIR R4 already defines (e.g. `identifier` on RelatedPerson for a peer’s programme identifier, or `care-team` on CarePlan) are not redefined.';
  return {
    title: t(lang, 'searchParameters'),
    body: html`<h1>${t(lang, 'searchParameters')}</h1>
<div class="lead">${markdown(intro)}</div>
${params.map(
  (p) => html`<h2 id="${p.id}"><code>${(p['base'] as string[] | undefined)?.join(', ')}?${String(p['code'])}</code></h2>
<div class="table-scroll"><table>
<tbody>
<tr><th scope="row">${t(lang, 'code')}</th><td><code>${String(p['code'])}</code></td></tr>
<tr><th scope="row">${t(lang, 'base2')}</th><td>${(p['base'] as string[] | undefined)?.join(', ')}</td></tr>
<tr><th scope="row">${t(lang, 'type')}</th><td>${String(p['type'])}</td></tr>
<tr><th scope="row">${t(lang, 'expression')}</th><td><code>${String(p['expression'])}</code></td></tr>
<tr><th scope="row">${t(lang, 'canonical')}</th><td><code>${p.url}</code></td></tr>
</tbody></table></div>
${localizedMarkdown(String(p['description'] ?? ''), lang)}`,
)}`,
  };
}

export function renderExamplePage(ctx: SiteContext, lang: Lang, resource: FhirResourceJson, file: string): { title: string; body: Html } {
  const profiles = resource.meta?.profile ?? [];
  const narrative = (resource['text'] as { div?: string } | undefined)?.div;
  // The narrative is shown as text, never injected: example XHTML is content, not trusted markup.
  const narrativeText = narrative?.replace(/<[^>]+>/g, '').trim();
  const title = `${resource.resourceType}/${resource.id}`;
  return {
    title,
    body: html`<h1>${title}</h1>
${profiles.length ? html`<p class="meta">${withColon(lang, t(lang, 'profiles'))} ${profiles.map((p) => {
      const link = linkFor(ctx, p, lang);
      return link ? html`<a href="../${link.page}">${link.title}</a> ` : html`<code>${p}</code> `;
    })}</p>` : ''}
${narrativeText ? html`<p class="lead" lang="fr-CA">${narrativeText}</p>` : ''}
<p><a href="${resource.resourceType}-${resource.id}.json">${t(lang, 'rawJson')}</a> · <code>examples/${file}</code></p>
<pre><code>${JSON.stringify(resource, null, 2)}</code></pre>`,
  };
}
