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
  /**
   * Composite parameters: one row per component value; the rows of one combination share a group number
   * (R4 search.html#composite). Tokens use system/code, ranges low/high, strings norm, references system=type
   * and code=id, uris code.
   */
  composites: CompositeRow[];
}

export interface CompositeRow {
  param: string;
  group: number;
  component: number;
  system: string | null;
  code: string | null;
  low: number | null;
  high: number | null;
  norm: string | null;
}

export type Indexer = (resource: import('fhir/r4.js').Resource) => SearchIndex;

export function emptyIndex(): SearchIndex {
  return { strings: [], tokens: [], references: [], dates: [], numbers: [], quantities: [], uris: [], composites: [] };
}

/** Case- and accent-insensitive form used by string search (R4 search.html#string), at write and at query time. */
export function normalizeText(value: string): string {
  return value.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/**
 * The values searches compare as keys (strings' normalized form, token codes and systems, reference identifiers,
 * uris, composite components) are kept to their first 200 characters, at write and at query time, so that the two
 * always agree. PostgreSQL refuses a B-tree entry over 2,704 bytes (a family name of 3,000 characters was a 500);
 * past 200 characters, a search matches on the first 200.
 */
export const INDEXED_LENGTH = 200;

export function indexedKey(value: string): string;
export function indexedKey(value: string | null): string | null;
export function indexedKey(value: string | null): string | null {
  if (value === null || value.length <= INDEXED_LENGTH) return value;
  // Not between the two halves of a surrogate pair.
  const end = /[\uD800-\uDBFF]/.test(value[INDEXED_LENGTH - 1]) ? INDEXED_LENGTH - 1 : INDEXED_LENGTH;
  return value.slice(0, end);
}
