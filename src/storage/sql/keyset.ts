import type { SqlValue } from './sql-driver.js';

/** One ordering key of a keyset-paged query: an SQL expression and its direction. */
export interface OrderKey {
  expression: string;
  descending: boolean;
}

/**
 * Keyset ("seek") paging: a page starts strictly after the keys of the previous page's last row, so links keep
 * working while rows are inserted or removed elsewhere (no skipped or repeated rows, unlike OFFSET).
 * Returns the lexicographic comparison `(k1, k2, …) after (v1, v2, …)` for keys of mixed directions.
 */
export function keysetCondition(
  keys: OrderKey[],
  values: readonly SqlValue[],
  direction: 'next' | 'previous',
  params: SqlValue[],
): string {
  const disjuncts: string[] = [];
  for (let i = 0; i < keys.length; i++) {
    const parts: string[] = [];
    for (let j = 0; j < i; j++) {
      parts.push(`${keys[j].expression} = ?`);
      params.push(values[j]);
    }
    const forward = keys[i].descending ? '<' : '>';
    const backward = keys[i].descending ? '>' : '<';
    parts.push(`${keys[i].expression} ${direction === 'next' ? forward : backward} ?`);
    params.push(values[i]);
    disjuncts.push(`(${parts.join(' AND ')})`);
  }
  return `(${disjuncts.join(' OR ')})`;
}

export function orderBy(keys: OrderKey[], direction: 'next' | 'previous'): string {
  return keys
    .map((k) => `${k.expression} ${(k.descending !== (direction === 'previous')) ? 'DESC' : 'ASC'}`)
    .join(', ');
}
