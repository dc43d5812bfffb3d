import { en } from './en.js';
import { fr, type Messages } from './fr.js';
import type { Lang } from '../terminology.js';

export type { Messages };
export const CATALOGUES: Record<Lang, Messages> = { fr, en };

/** French unless the EHR (launch context) or the browser asks for English: the app serves Québec first. */
export function pickLanguage(...candidates: (string | undefined | null)[]): Lang {
  for (const c of candidates) {
    if (!c) continue;
    const l = c.toLowerCase();
    if (l.startsWith('fr')) return 'fr';
    if (l.startsWith('en')) return 'en';
  }
  return 'fr';
}

/** Dates as the reader expects them (2 mars 2026 / March 2, 2026); FHIR dates are read as calendar dates. */
export function formatDate(value: string | undefined, lang: Lang): string {
  if (!value) return '';
  const m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(value);
  if (!m) return value;
  const date = new Date(Date.UTC(+m[1], m[2] ? +m[2] - 1 : 0, m[3] ? +m[3] : 1));
  return new Intl.DateTimeFormat(lang === 'fr' ? 'fr-CA' : 'en-CA', {
    year: 'numeric',
    month: m[2] ? 'long' : undefined,
    day: m[3] ? 'numeric' : undefined,
    timeZone: 'UTC',
  }).format(date);
}
