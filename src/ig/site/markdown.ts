// The small subset of markdown used in the guide's descriptions (paragraphs, **bold**, *italic*, `code`),
// rendered after escaping, so no markup from a resource ever reaches the page unescaped.
import { escapeHtml, raw, type Html } from './html.js';

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
