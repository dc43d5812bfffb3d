import type { ValidationContext } from './validation-context.js';

/**
 * Narrative XHTML rules (FHIR R4 §2.4.0 Narrative, invariants txt-1 and txt-2, both `htmlChecks()`): a `div` root in
 * the XHTML namespace, only the basic HTML formatting elements and attributes, no scripts, forms or event handlers,
 * well-formed, and some non-whitespace content. Returns true when the narrative passes.
 */

const ELEMENTS = new Set(
  (
    'a abbr acronym b big blockquote br caption cite code col colgroup dd dfn div dl dt em h1 h2 h3 h4 h5 h6 hr i img ' +
    'li ol p pre q samp small span strong sub sup table tbody td tfoot th thead tr tt ul var'
  ).split(' '),
);

const ATTRIBUTES = new Set(
  (
    'abbr accesskey align alt axis bgcolor border cellhalign cellpadding cellspacing cellvalign char charoff charset ' +
    'cite class colspan compact coords dir frame headers height href hreflang hspace id lang longdesc name nowrap rel ' +
    'rev rowspan rules scope shape span src start style summary tabindex title type valign value vspace width xml:lang ' +
    'xmlns'
  ).split(' '),
);

const TAG = /<(\/?)([A-Za-z][A-Za-z0-9:]*)((?:\s+[A-Za-z_:][-A-Za-z0-9_:.]*\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!\[CDATA\[[\s\S]*?\]\]>|<!DOCTYPE[^>]*>/g;
const ATTR = /([A-Za-z_:][-A-Za-z0-9_:.]*)\s*=\s*("[^"]*"|'[^']*')/g;

let lastDiv: string | undefined;
let lastVerdict = false;

/** True when the narrative div satisfies txt-1 and txt-2. */
export function htmlChecks(div: string): boolean {
  // txt-1 and txt-2 both call htmlChecks() on the same div, one after the other: judge it once.
  if (div !== lastDiv) {
    lastVerdict = checkXhtml(div);
    lastDiv = div;
  }
  return lastVerdict;
}

function checkXhtml(div: string): boolean {
  if (!/^\s*<div[\s>]/.test(div) || !/xmlns\s*=\s*["']http:\/\/www\.w3\.org\/1999\/xhtml["']/.test(div)) return false;
  const stack: string[] = [];
  let last = 0;
  let text = '';
  TAG.lastIndex = 0;
  for (let m = TAG.exec(div); m; m = TAG.exec(div)) {
    text += div.slice(last, m.index);
    if (div.slice(last, m.index).includes('<')) return false; // a '<' that starts no well-formed tag
    last = TAG.lastIndex;
    if (m[2] === undefined) continue; // comment, processing instruction, CDATA
    const name = m[2].toLowerCase();
    if (!ELEMENTS.has(name)) return false;
    if (m[1]) {
      if (stack.pop() !== name) return false;
      continue;
    }
    ATTR.lastIndex = 0;
    for (let a = ATTR.exec(m[3]); a; a = ATTR.exec(m[3])) {
      const attr = a[1].toLowerCase();
      if (!ATTRIBUTES.has(attr) && !attr.startsWith('xmlns')) return false;
      if ((attr === 'href' || attr === 'src') && /^\s*javascript:/i.test(a[2].slice(1, -1))) return false;
    }
    if (name === 'img' && /src\s*=\s*["'](?!#|data:)/.test(m[3]) === false && !/src\s*=/.test(m[3])) return false;
    if (!m[4]) stack.push(name);
  }
  const tail = div.slice(last);
  if (tail.includes('<')) return false;
  text += tail;
  if (stack.length) return false;
  // txt-2: some content: text, or an image.
  return text.trim().length > 0 || /<img\b/i.test(div);
}

/** Anchors a narrative defines (`id` and `name` attributes). */
export function narrativeAnchors(div: string, into: Set<string>): void {
  for (const m of div.matchAll(/\s(?:id|name)\s*=\s*["']([^"']+)["']/g)) into.add(m[1]);
}

/** Internal links (`href="#x"`) of a narrative. */
export function narrativeLinks(div: string): string[] {
  return [...div.matchAll(/<a\s[^>]*href\s*=\s*["']#([^"']*)["']/g)].map((m) => m[1]);
}

/**
 * Internal narrative links (`<a href="#x">`) must lead somewhere in the resource: an `id`/`name` anchor in one of its
 * narratives, or a contained resource (FHIR R4 §2.4.0 Narrative, as the Java validator checks).
 */
export function checkNarrativeLinks(resource: Record<string, unknown>, path: string, ctx: ValidationContext): void {
  const divOf = (r: unknown): string | undefined => {
    const div = ((r as { text?: { div?: unknown } } | null)?.text)?.div;
    return typeof div === 'string' ? div : undefined;
  };
  const contained = Array.isArray(resource.contained) ? (resource.contained as unknown[]) : [];
  const divs = [divOf(resource), ...contained.map(divOf)].filter((d): d is string => d !== undefined);
  if (!divs.some((d) => d.includes('#'))) return;
  const anchors = new Set<string>();
  for (const c of contained) {
    const id = (c as { id?: unknown } | null)?.id;
    if (typeof id === 'string') anchors.add(id);
  }
  for (const d of divs) narrativeAnchors(d, anchors);
  for (const d of divs) {
    for (const link of narrativeLinks(d)) {
      if (link && !anchors.has(link)) ctx.error('invalid', `Hyperlink '#${link}' in the narrative does not resolve`, `${path}.text.div`);
    }
  }
}
