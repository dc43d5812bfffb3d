// The frame of every page: language, skip link, header with navigation and language switch, footer. All links are
// relative so the site works wherever it is mounted (the server mounts it at /ig/).
import { html, type Html } from './html.js';
import { t, type Lang } from './i18n.js';

export interface PageSpec {
  lang: Lang;
  /** Path below the language folder, e.g. `index.html` or `examples/Patient-x.html`. */
  relPath: string;
  title: string;
  body: Html;
}

/** Prefix that leads from a page back to the site root (the folder holding fr/, en/, style.css). */
export function toRoot(relPath: string): string {
  return '../'.repeat(relPath.split('/').length);
}

/** Prefix that leads from a page to its language folder. */
export function toLangRoot(relPath: string): string {
  return '../'.repeat(relPath.split('/').length - 1);
}

export function renderPage(page: PageSpec): string {
  const { lang, relPath } = page;
  const other: Lang = lang === 'fr' ? 'en' : 'fr';
  const root = toRoot(relPath);
  const home = toLangRoot(relPath);
  const doc = html`<!DOCTYPE html>
<html lang="${lang === 'fr' ? 'fr-CA' : 'en-CA'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${page.title} — ${t(lang, 'siteTitle')}</title>
<link rel="stylesheet" href="${root}style.css">
<link rel="alternate" hreflang="${other === 'fr' ? 'fr-CA' : 'en-CA'}" href="${root}${other}/${relPath}">
</head>
<body>
<a class="skip" href="#main">${t(lang, 'skip')}</a>
<header class="site-header">
  <div class="wrap header-row">
    <a class="brand" href="${home}index.html">${t(lang, 'siteTitle')}</a>
    <a class="lang-switch" href="${root}${other}/${relPath}" hreflang="${other}" lang="${other}" title="${t(lang, 'languageSwitch')}">${t(lang, 'otherLang')}</a>
  </div>
  <nav class="wrap site-nav" aria-label="${lang === 'fr' ? 'Navigation principale' : 'Main navigation'}">
    <a href="${home}index.html">${t(lang, 'home')}</a>
    <a href="${home}index.html#profiles">${t(lang, 'profiles')}</a>
    <a href="${home}index.html#terminology">${t(lang, 'terminology')}</a>
    <a href="${home}search-parameters.html">${t(lang, 'searchParameters')}</a>
    <a href="${home}index.html#examples">${t(lang, 'examples')}</a>
    <a href="${root}package.tgz" download>${t(lang, 'download')}</a>
  </nav>
</header>
<main id="main" class="wrap">
${page.body}
</main>
<footer class="site-footer"><div class="wrap">${t(lang, 'footer')}</div></footer>
</body>
</html>
`;
  return doc.value;
}

/** The site root: sends browsers to the French pages (French first) and offers both languages without script. */
export function renderLanding(): string {
  return `<!DOCTYPE html>
<html lang="fr-CA">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="0; url=fr/index.html">
<title>Communauté soignante — Caring Community</title>
<link rel="stylesheet" href="style.css">
</head>
<body>
<main id="main" class="wrap landing">
<h1>Communauté soignante <span lang="en-CA">/ Caring Community</span></h1>
<p><a href="fr/index.html">Guide d’implémentation FHIR (français)</a></p>
<p lang="en-CA"><a href="en/index.html">FHIR Implementation Guide (English)</a></p>
</main>
</body>
</html>
`;
}
