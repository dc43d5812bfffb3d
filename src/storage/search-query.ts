/**
 * A search, parsed and resolved against the SearchParameter definitions (R4 search.html). The FHIR layer builds it
 * from a query string; storage drivers consume it and never see a raw parameter string.
 */
export type Prefix = 'eq' | 'ne' | 'gt' | 'lt' | 'ge' | 'le' | 'sa' | 'eb' | 'ap';

/** Which index table a search parameter type lives in. */
export type IndexKind = 'string' | 'token' | 'reference' | 'date' | 'number' | 'quantity' | 'uri' | 'composite';

export interface RangeValue {
  prefix: Prefix;
  /** Inclusive bounds of the value's implicit range (dates in epoch ms). */
  low: number;
  high: number;
}

export interface TokenValue {
  /** undefined: any system; null: no system (`|code`). */
  system?: string | null;
  code?: string;
}

export interface ReferenceValue {
  targetType?: string;
  id?: string;
  url?: string;
}

export type Condition =
  | { kind: 'string'; param: string; modifier?: 'exact' | 'contains'; values: string[] }
  | { kind: 'token'; param: string; modifier?: 'not' | 'text'; values: TokenValue[] }
  | { kind: 'reference'; param: string; targetTypes?: string[]; values: ReferenceValue[] }
  | { kind: 'reference-identifier'; param: string; values: TokenValue[] }
  | { kind: 'date'; param: string; values: RangeValue[] }
  | { kind: 'number'; param: string; values: RangeValue[] }
  | { kind: 'quantity'; param: string; values: (RangeValue & { system?: string; code?: string })[] }
  | { kind: 'uri'; param: string; modifier?: 'above' | 'below'; values: string[] }
  | { kind: 'missing'; param: string; index: IndexKind; missing: boolean }
  | { kind: 'id'; values: string[]; not?: boolean }
  | { kind: 'last-updated'; values: RangeValue[] }
  /** `subject:Patient.name=x`: resources whose reference `param` points at a resource matching `condition`. */
  | { kind: 'chain'; param: string; targetTypes: string[]; condition: Condition }
  /** `_has:Observation:patient:code=x`: resources referenced by a `sourceType` resource matching `condition`. */
  | { kind: 'has'; sourceType: string; referenceParam: string; condition: Condition }
  /** Composite parameters (`code-value-quantity=loinc|8480-6$gt100`): every component matches within one element. */
  | { kind: 'composite'; param: string; values: CompositeValue[][] }
  /** Any one of the conditions. */
  | { kind: 'any'; conditions: Condition[] }
  /** Every one of the conditions. */
  | { kind: 'all'; conditions: Condition[] }
  /** Resources of this type (used to combine per-type conditions in system-level searches). */
  | { kind: 'type'; type: string }
  /**
   * Resources in the compartment of `compartmentType/id` (R4 compartmentdefinition.html): the compartment's own
   * resource, and resources whose listed reference parameters point at it. Without an id: in the compartment of any
   * resource of that type.
   */
  | { kind: 'compartment'; compartmentType: string; id?: string; paramsByType: Record<string, string[]> };

/** One component of a composite search value, by the type of its component parameter. */
export type CompositeValue =
  | { type: 'token'; value: TokenValue }
  | { type: 'range'; value: RangeValue }
  | { type: 'quantity'; value: RangeValue & { system?: string; code?: string } }
  | { type: 'string'; value: string }
  | { type: 'reference'; value: ReferenceValue }
  | { type: 'uri'; value: string };

export interface SortRule {
  /** A search parameter code, or `_id` / `_lastUpdated`. */
  param: string;
  index: IndexKind | 'id' | 'last-updated';
  descending: boolean;
}

export interface PageCursor {
  direction: 'next' | 'previous';
  /** The sort-key values of the row the page starts after (or before, for `previous`). */
  keys: (string | number | null)[];
}

export interface SearchQuery {
  /** Resource types searched; empty for all types (system-level search). */
  types: string[];
  conditions: Condition[];
  sort: SortRule[];
  count: number;
  cursor?: PageCursor;
  /**
   * Whether to count all matches (R4 search.html#total). Left out, the total is given only when it is free: when the
   * first page holds every match. Counting a large result costs as much as the search itself.
   */
  total?: 'none' | 'estimate' | 'accurate';
}

export interface Include {
  /** The resource type whose reference parameter is followed. */
  sourceType: string;
  /** A reference search parameter code, or '*' for every reference parameter. */
  param: string;
  targetType?: string;
  iterate: boolean;
}

/** What a value of a cursor key must be: an integer (a BIGINT column, a 0/1 flag), any finite number, or text. */
export type KeyKind = 'integer' | 'number' | 'string';

/**
 * The keys a sort produces, in order: a parameter's missing-flag and its value (text, or a number for dates, numbers
 * and quantities), `_id` and `_lastUpdated` as themselves, then type and id.
 */
export function sortKeyKinds(sort: SortRule[]): KeyKind[] {
  const kinds = sort.flatMap((rule): KeyKind[] => {
    if (rule.index === 'id') return ['string'];
    if (rule.index === 'last-updated') return ['integer'];
    // Dates are BIGINT milliseconds; numbers and quantities DOUBLE PRECISION.
    return ['integer', rule.index === 'date' ? 'integer' : rule.index === 'number' || rule.index === 'quantity' ? 'number' : 'string'];
  });
  return [...kinds, 'string', 'string'];
}

/**
 * Whether a cursor's keys fit the keys of its query, in number and kind. A cursor is the client's to send back: one
 * altered or made for another sort would otherwise reach the database as values of the wrong type.
 */
export function cursorFits(keys: PageCursor['keys'], kinds: KeyKind[]): boolean {
  return (
    keys.length === kinds.length &&
    keys.every((key, i) =>
      kinds[i] === 'string'
        ? typeof key === 'string'
        : kinds[i] === 'integer'
          ? Number.isSafeInteger(key)
          : typeof key === 'number' && Number.isFinite(key),
    )
  );
}
