/**
 * The search index of one resource version, as the storage layer keeps it. The FHIR layer extracts these values from
 * the official SearchParameter expressions at write time; storage only persists and queries them.
 */
export interface SearchIndex {
  strings: { param: string; norm: string; exact: string }[];
  tokens: { param: string; system: string | null; code: string | null; text: string | null }[];
  references: {
    param: string;
    targetType: string | null;
    targetId: string | null;
    url: string | null;
    identifierSystem: string | null;
    identifierValue: string | null;
  }[];
  /** Date ranges as epoch milliseconds, both ends inclusive. */
  dates: { param: string; low: number; high: number }[];
  numbers: { param: string; low: number; high: number }[];
  quantities: { param: string; system: string | null; code: string | null; low: number; high: number }[];
  uris: { param: string; value: string }[];
}

export type Indexer = (resource: import('fhir/r4.js').Resource) => SearchIndex;

export function emptyIndex(): SearchIndex {
  return { strings: [], tokens: [], references: [], dates: [], numbers: [], quantities: [], uris: [] };
}

/** Case- and accent-insensitive form used by string search (R4 search.html#string), at write and at query time. */
export function normalizeText(value: string): string {
  return value.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}
