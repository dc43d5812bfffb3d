// The home page: the care model in a few paragraphs, the profiles, the terminology, the examples, the download.
import { html, type Html } from './html.js';
import { pickLang, t, withColon, type Lang } from './i18n.js';
import { markdown } from './markdown.js';
import { examplePage, ofType, pageFor, type SiteContext } from './site-context.js';
import { DOWNLOAD_TEXT, HOME_INTRO, PROFILE_INTRO } from './texts.js';
import type { FhirResourceJson } from '../fhir-json.js';

function firstSentence(text: string): string {
  const match = /^(.+?[.!?])(\s|$)/s.exec(text);
  return (match?.[1] ?? text).replace(/\*\*|\*|`/g, '');
}

function cards(lang: Lang, resources: FhirResourceJson[], summary: (r: FhirResourceJson) => string): Html {
  return html`<ul class="cards">${resources.map(
    (r) => html`<li><a href="${pageFor(r)}">${pickLang(String(r['title'] ?? r['name']), lang)}</a><p>${summary(r)}</p></li>`,
  )}</ul>`;
}

export function renderHomePage(ctx: SiteContext, lang: Lang): { title: string; body: Html } {
  const profiles = ofType(ctx, 'StructureDefinition', (sd) => sd['type'] !== 'Extension');
  const extensions = ofType(ctx, 'StructureDefinition', (sd) => sd['type'] === 'Extension');
  const describe = (r: FhirResourceJson) =>
    firstSentence(PROFILE_INTRO[String(r.id)]?.[lang] ?? pickLang(String(r['description'] ?? ''), lang));
  const short = (r: FhirResourceJson) => firstSentence(pickLang(String(r['description'] ?? ''), lang));
  return {
    title: t(lang, 'home'),
    body: html`<h1>${t(lang, 'siteTitle')}</h1>
<div class="lead">${HOME_INTRO[lang].map((p) => markdown(p))}</div>
<section class="download" aria-labelledby="download">
<h2 id="download" style="margin-top:0;border:0">${t(lang, 'download')}</h2>
${markdown(DOWNLOAD_TEXT[lang])}
<p><a class="button" href="../package.tgz" download>package.tgz</a> <code>${ctx.config.id}#${ctx.config.version}</code></p>
</section>
<h2 id="profiles">${t(lang, 'profiles')}</h2>
${cards(lang, profiles, describe)}
<h2 id="extensions">${t(lang, 'extensions')}</h2>
${cards(lang, extensions, describe)}
<h2 id="terminology">${t(lang, 'terminology')}</h2>
<h3>${t(lang, 'codeSystems')}</h3>
${cards(lang, ofType(ctx, 'CodeSystem'), short)}
<h3>${t(lang, 'valueSets')}</h3>
${cards(lang, ofType(ctx, 'ValueSet'), short)}
<h3>${t(lang, 'conceptMaps')}</h3>
${cards(lang, ofType(ctx, 'ConceptMap'), short)}
<h2 id="search">${t(lang, 'searchParameters')}</h2>
<p>${withColon(lang, t(lang, 'searchParameters'))} ${ofType(ctx, 'SearchParameter').map((p, i) => html`${i > 0 ? ', ' : ''}<a href="search-parameters.html#${p.id}"><code>${String(p['code'])}</code></a>`)}</p>
<h2 id="examples">${t(lang, 'examples')}</h2>
<ul>${ctx.examples.map((e) => html`<li><a href="${examplePage(e.resource)}">${e.resource.resourceType}/${e.resource.id}</a></li>`)}</ul>`,
  };
}
