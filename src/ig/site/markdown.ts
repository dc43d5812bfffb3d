// The small subset of markdown used in the guide's descriptions (paragraphs, **bold**, *italic*, `code`),
// rendered after escaping, so no markup from a resource ever reaches the page unescaped.
import { escapeHtml, raw, type Html } from './html.js';
import { bcp47, pickLangParagraphs, type Lang } from './i18n.js';

function inline(text: string): string {
  return escapeHtml(text)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
    .replace(/\*([^*]+)\*/g, '<em>$1</em>');
}

export function markdown(text: string | undefined): Html {
  if (!text) return raw('');
  const paragraphs = text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
  return raw(paragraphs.map((p) => `<p>${inline(p.replace(/\s*\n\s*/g, ' '))}</p>`).join('\n'));
}

/**
 * Renders a bilingual "français / English" text for a page in `pageLang`; paragraphs that exist only in the other
 * language carry their own lang attribute.
 */
export function localizedMarkdown(text: string | undefined, pageLang: Lang): Html {
  return raw(
    pickLangParagraphs(text, pageLang)
      .map((p) => {
        const attr = p.lang === pageLang ? '' : ` lang="${bcp47(p.lang)}"`;
        return `<p${attr}>${inline(p.text.trim().replace(/\s*\n\s*/g, ' '))}</p>`;
      })
      .join('\n'),
  );
}

/** Inline version of localizedMarkdown, for table cells. */
export function localizedInline(text: string | undefined, pageLang: Lang): Html {
  const parts = pickLangParagraphs(text, pageLang);
  return raw(
    parts
      .map((p) => (p.lang === pageLang ? inline(p.text) : `<span lang="${bcp47(p.lang)}">${inline(p.text)}</span>`))
      .join(' '),
  );
}
