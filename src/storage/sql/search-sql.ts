import type { CompositeValue, Condition, IndexKind, RangeValue, SortRule, TokenValue } from '../search-query.js';
import type { SqlValue } from './sql-driver.js';
import { indexedKey, normalizeText } from '../index-rows.js';
import type { OrderKey } from './keyset.js';

/**
 * Translates parsed search conditions into SQL over the index tables. Each condition becomes
 * `alias.id IN (SELECT id FROM sp_… WHERE type = … AND param = … AND <value test>)`, which lets the database start
 * from the value index instead of probing every resource.
 */
export class SearchSql {
  readonly params: SqlValue[] = [];
  private aliasCount = 0;
  /** Aliases whose resource type is known, so subqueries filter by a constant instead of being correlated. */
  private readonly knownTypes = new Map<string, string>();

  constructor(private readonly dialect: 'sqlite' | 'postgres') {}

  /**
   * `column IN (subquery)` for the nested sets of chains and `_has`, computed once: SQLite runs an IN subquery once;
   * PostgreSQL may join it in a nested loop, for every row of the level around it, when its statistics are not yet
   * gathered (a chain of three over 400 fresh Organizations took 91 seconds), so there the set is made an array first.
   */
  private inSet(column: string, subquery: string): string {
    return this.dialect === 'postgres' ? `${column} = ANY (ARRAY(${subquery}))` : `${column} IN (${subquery})`;
  }

  setType(owner: string, type: string): void {
    this.knownTypes.set(owner, type);
  }

  private typeOf(owner: string): string {
    const known = this.knownTypes.get(owner);
    return known === undefined ? `${owner}.type` : this.p(known);
  }

  p(value: SqlValue): string {
    this.params.push(value);
    return '?';
  }

  /** A value compared with an indexed column, kept as the column keeps it (index-rows.ts, INDEXED_LENGTH). */
  key(value: string): string {
    return this.p(indexedKey(value));
  }

  private alias(prefix: string): string {
    return `${prefix}${++this.aliasCount}`;
  }

  /** All conditions, ANDed, for rows of `owner` (an alias of `resources`). */
  where(conditions: Condition[], owner: string): string[] {
    return conditions.map((c) => this.condition(c, owner));
  }

  condition(c: Condition, owner: string): string {
    switch (c.kind) {
      case 'id':
        if (!c.values.length) return c.not ? '1 = 1' : '1 = 0';
        return `${owner}.id ${c.not ? 'NOT IN' : 'IN'} (${c.values.map((v) => this.p(v)).join(', ')})`;
      case 'last-updated':
        return this.any(c.values.map((v) => rangeTest(this, v, `${owner}.last_updated`, `${owner}.last_updated`)));
      case 'any':
        return this.any(c.conditions.map((inner) => this.condition(inner, owner)));
      case 'compartment':
        return this.compartment(c, owner);
      case 'composite':
        return this.composite(c, owner);
      case 'all':
        return c.conditions.length ? `(${c.conditions.map((inner) => `(${this.condition(inner, owner)})`).join(' AND ')})` : '1 = 1';
      case 'type':
        return `${owner}.type = ${this.p(c.type)}`;
      case 'missing': {
        const sub = this.indexed(table(c.index), owner, c.param, () => '1 = 1');
        return c.missing ? `NOT (${sub})` : sub;
      }
      case 'string':
        return this.indexed('sp_string', owner, c.param, (t) => this.any(c.values.map((v) => this.stringTest(t, v, c.modifier))));
      case 'token': {
        if (c.modifier === 'text') {
          return this.indexed('sp_token', owner, c.param, (t) =>
            this.any(c.values.map((v) => `${t}.text LIKE ${this.p(`%${escapeLike(normalizeText(v.code ?? ''))}%`)} ESCAPE '\\'`)),
          );
        }
        const sub = this.indexed('sp_token', owner, c.param, (t) => this.tokenTests(t, c.values));
        return c.modifier === 'not' ? `NOT (${sub})` : sub;
      }
      case 'uri':
        return this.indexed('sp_uri', owner, c.param, (t) =>
          this.any(
            // :below and :above follow the URL's path: segments whole, so that …/v2 is not above …/v22.
            c.values.map((v) => {
              const equal = `${t}.value = ${this.key(v)}`;
              if (c.modifier === 'below') return `(${equal} OR ${prefixRange(this, `${t}.value`, v.endsWith('/') ? v : `${v}/`)})`;
              if (c.modifier === 'above') {
                const prefix = `substr(${this.p(v)}, 1, length(${t}.value)) = ${t}.value`;
                const boundary = `(substr(${this.p(v)}, length(${t}.value) + 1, 1) = '/' OR ${t}.value LIKE '%/')`;
                return `(${equal} OR (${prefix} AND ${boundary}))`;
              }
              return equal;
            }),
          ),
        );
      case 'date':
        return this.indexed('sp_date', owner, c.param, (t) => this.any(c.values.map((v) => rangeTest(this, v, `${t}.low`, `${t}.high`))));
      case 'number':
        return this.indexed('sp_number', owner, c.param, (t) => this.any(c.values.map((v) => rangeTest(this, v, `${t}.low`, `${t}.high`))));
      case 'quantity':
        return this.indexed('sp_quantity', owner, c.param, (t) =>
          this.any(
            c.values.map((v) => {
              const tests = [rangeTest(this, v, `${t}.low`, `${t}.high`)];
              if (v.code) tests.push(`${t}.code = ${this.p(v.code)}`);
              if (v.system) tests.push(`${t}.system = ${this.p(v.system)}`);
              return tests.join(' AND ');
            }),
          ),
        );
      case 'reference':
        return this.indexed('sp_reference', owner, c.param, (t) => {
          const tests = [this.any(c.values.map((v) => this.referenceTest(t, v)))];
          if (c.targetTypes) tests.push(`${t}.target_type IN (${c.targetTypes.map((x) => this.p(x)).join(', ')})`);
          return tests.join(' AND ');
        });
      case 'reference-identifier':
        return this.indexed('sp_reference', owner, c.param, (t) =>
          this.any(c.values.map((v) => this.tokenTest(t, v, 'identifier_system', 'identifier_value'))),
        );
      case 'chain':
        // A branch per target type, each naming its type: the subqueries then do not depend on the rows around them,
        // and PostgreSQL runs each once. Correlated on target_type, each level ran for every row of the level above
        // (a chain of seven took ten seconds).
        return this.indexed('sp_reference', owner, c.param, (t) =>
          this.any(
            c.targetTypes.map((type) => {
              const target = this.alias('c');
              this.setType(target, type);
              // Built left to right: placeholders must be numbered in the order they appear in the text.
              const head = `${t}.target_type = ${this.p(type)} AND `;
              const from = `SELECT ${target}.id FROM resources ${target} WHERE ${target}.type = ${this.p(type)} AND ${target}.deleted = 0 AND `;
              return `${head}${this.inSet(`${t}.target_id`, `${from}${this.condition(c.condition, target)}`)}`;
            }),
          ),
        );
      case 'has': {
        const ref = this.alias('h');
        const source = this.alias('s');
        this.setType(source, c.sourceType);
        const head =
          `${owner}.id IN (SELECT ${ref}.target_id FROM sp_reference ${ref} WHERE ${ref}.type = ${this.p(c.sourceType)} ` +
          `AND ${ref}.param = ${this.p(c.referenceParam)} AND ${ref}.target_type = ${this.typeOf(owner)} AND `;
        const from = `SELECT ${source}.id FROM resources ${source} WHERE ${source}.type = ${this.p(c.sourceType)} AND ${source}.deleted = 0 AND `;
        return `${head}${this.inSet(`${ref}.id`, `${from}${this.condition(c.condition, source)}`)})`;
      }
    }
  }

  private composite(c: Extract<Condition, { kind: 'composite' }>, owner: string): string {
    const first = this.alias('k');
    const second = this.alias('k');
    const head =
      `${owner}.id IN (SELECT ${first}.id FROM sp_composite ${first} JOIN sp_composite ${second} ON ${second}.type = ${first}.type ` +
      `AND ${second}.id = ${first}.id AND ${second}.param = ${first}.param AND ${second}.grp = ${first}.grp AND ${second}.component = 1 ` +
      `WHERE ${first}.type = ${this.typeOf(owner)} AND ${first}.param = ${this.p(c.param)} AND ${first}.component = 0 AND `;
    return `${head}${this.any(c.values.map(([a, b]) => `${this.componentTest(first, a)} AND ${this.componentTest(second, b)}`))})`;
  }

  private componentTest(t: string, v: CompositeValue): string {
    switch (v.type) {
      case 'token':
        return `(${this.tokenTest(t, v.value, 'system', 'code')})`;
      case 'range':
        return rangeTest(this, v.value, `${t}.low`, `${t}.high`);
      case 'quantity': {
        const tests = [rangeTest(this, v.value, `${t}.low`, `${t}.high`)];
        if (v.value.code) tests.push(`${t}.code = ${this.key(v.value.code)}`);
        if (v.value.system) tests.push(`${t}.system = ${this.key(v.value.system)}`);
        return `(${tests.join(' AND ')})`;
      }
      case 'string':
        return prefixRange(this, `${t}.norm`, normalizeText(v.value));
      case 'reference':
        return v.value.url !== undefined
          ? `${t}.code = ${this.key(v.value.url)}`
          : `(${t}.code = ${this.key(v.value.id ?? '')}${v.value.targetType ? ` AND ${t}.system = ${this.key(v.value.targetType)}` : ''})`;
      case 'uri':
        return `${t}.code = ${this.key(v.value)}`;
    }
  }

  private compartment(c: Extract<Condition, { kind: 'compartment' }>, owner: string): string {
    const known = this.knownTypes.get(owner);
    const branches: string[] = [];
    if (known === undefined || known === c.compartmentType) {
      branches.push(c.id === undefined ? `${owner}.type = ${this.p(c.compartmentType)}` : `(${owner}.type = ${this.p(c.compartmentType)} AND ${owner}.id = ${this.p(c.id)})`);
    }
    for (const [type, params] of Object.entries(c.paramsByType)) {
      if (known !== undefined && known !== type) continue;
      const t = this.alias('m');
      branches.push(
        `(${owner}.type = ${this.p(type)} AND ${owner}.id IN (SELECT ${t}.id FROM sp_reference ${t} WHERE ${t}.type = ${this.p(type)} ` +
          `AND ${t}.target_type = ${this.p(c.compartmentType)}${c.id === undefined ? '' : ` AND ${t}.target_id = ${this.p(c.id)}`} ` +
          `AND ${t}.param IN (${params.map((p) => this.p(p)).join(', ')})))`,
      );
    }
    return branches.length ? this.any(branches) : '1 = 0';
  }

  /** Sort keys: per rule a "value is missing" flag (missing sorts last) and the value itself; then type and id. */
  orderKeys(sort: SortRule[], owner: string): { columns: string[]; keys: OrderKey[] } {
    const columns: string[] = [];
    const keys: OrderKey[] = [];
    sort.forEach((rule, i) => {
      if (rule.index === 'id' || rule.index === 'last-updated') {
        keys.push({ expression: rule.index === 'id' ? 'id' : 'last_updated', descending: rule.descending });
        return;
      }
      const t = this.alias('o');
      const [column, zero] = sortColumn(rule.index, rule.descending);
      const aggregate = rule.descending ? 'MAX' : 'MIN';
      columns.push(
        `(SELECT ${aggregate}(${t}.${column}) FROM ${table(rule.index)} ${t} WHERE ${t}.type = ${owner}.type ` +
          `AND ${t}.id = ${owner}.id AND ${t}.param = ${this.p(rule.param)}) AS s${i}`,
      );
      keys.push({ expression: `CASE WHEN s${i} IS NULL THEN 1 ELSE 0 END`, descending: false });
      keys.push({ expression: `COALESCE(s${i}, ${zero})`, descending: rule.descending });
    });
    keys.push({ expression: 'type', descending: false }, { expression: 'id', descending: false });
    return { columns, keys };
  }

  private indexed(tableName: string, owner: string, param: string, test: (alias: string) => string): string {
    const t = this.alias('t');
    const head = `${owner}.id IN (SELECT ${t}.id FROM ${tableName} ${t} WHERE ${t}.type = ${this.typeOf(owner)} AND ${t}.param = ${this.p(param)}`;
    return `${head} AND (${test(t)}))`;
  }

  /**
   * Any of the tests, as a balanced tree of ORs: SQLite refuses an expression more than 1,000 deep, which a chain of
   * a few hundred ORs is.
   */
  private any(tests: string[]): string {
    if (!tests.length) return '1 = 0';
    if (tests.length === 1) return tests[0];
    const half = Math.ceil(tests.length / 2);
    const side = (part: string[]) => (part.length === 1 ? `(${part[0]})` : this.any(part));
    return `(${side(tests.slice(0, half))} OR ${side(tests.slice(half))})`;
  }

  /** Token values, the codes of one system in one IN list: a code system's hierarchy (:below) may give hundreds. */
  private tokenTests(t: string, values: TokenValue[]): string {
    const bySystem = new Map<string | null | undefined, string[]>();
    const tests: string[] = [];
    for (const v of values) {
      if (v.code === undefined) tests.push(this.tokenTest(t, v, 'system', 'code'));
      else bySystem.set(v.system, [...(bySystem.get(v.system) ?? []), v.code]);
    }
    for (const [system, codes] of bySystem) {
      const code = codes.length === 1 ? `${t}.code = ${this.key(codes[0])}` : `${t}.code IN (${codes.map((c) => this.key(c)).join(', ')})`;
      const ofSystem = system === undefined ? '' : system === null ? ` AND ${t}.system IS NULL` : ` AND ${t}.system = ${this.key(system)}`;
      tests.push(`${code}${ofSystem}`);
    }
    return this.any(tests);
  }

  private stringTest(t: string, value: string, modifier?: 'exact' | 'contains'): string {
    if (modifier === 'exact') return `${t}.exact = ${this.p(value)}`;
    const norm = normalizeText(value);
    if (modifier === 'contains') return `${t}.norm LIKE ${this.p(`%${escapeLike(norm)}%`)} ESCAPE '\\'`;
    return prefixRange(this, `${t}.norm`, norm);
  }

  private tokenTest(t: string, v: TokenValue, systemColumn: string, codeColumn: string): string {
    const tests: string[] = [];
    if (v.code !== undefined) tests.push(`${t}.${codeColumn} = ${this.key(v.code)}`);
    if (v.system === null) tests.push(`${t}.${systemColumn} IS NULL`);
    else if (v.system !== undefined) tests.push(`${t}.${systemColumn} = ${this.key(v.system)}`);
    return tests.length ? tests.join(' AND ') : '1 = 1';
  }

  private referenceTest(t: string, v: { targetType?: string; id?: string; url?: string }): string {
    if (v.url !== undefined) return `${t}.url = ${this.p(v.url)}`;
    const tests = [`${t}.target_id = ${this.p(v.id ?? '')}`];
    if (v.targetType) tests.push(`${t}.target_type = ${this.p(v.targetType)}`);
    return tests.join(' AND ');
  }
}

export function table(index: IndexKind): string {
  return `sp_${index}`;
}

function sortColumn(index: IndexKind, descending: boolean): [string, string] {
  switch (index) {
    case 'string':
      return ['norm', "''"];
    case 'token':
      return ['code', "''"];
    case 'uri':
      return ['value', "''"];
    case 'reference':
      return ['target_id', "''"];
    default:
      return [descending ? 'high' : 'low', '0'];
  }
}

/**
 * The prefix semantics of R4 search.html#prefix over ranges: the resource's range [low, high] against the search
 * value's implicit range [v.low, v.high].
 */
function rangeTest(sql: SearchSql, v: RangeValue, low: string, high: string): string {
  const lo = () => sql.p(v.low);
  const hi = () => sql.p(v.high);
  const within = () => `(${low} >= ${lo()} AND ${high} <= ${hi()})`;
  switch (v.prefix) {
    case 'eq':
      return within();
    case 'ne':
      return `NOT ${within()}`;
    case 'gt':
      return `${high} > ${hi()}`;
    case 'lt':
      return `${low} < ${lo()}`;
    case 'ge':
      return `(${high} > ${hi()} OR ${within()})`;
    case 'le':
      return `(${low} < ${lo()} OR ${within()})`;
    case 'sa':
      return `${low} > ${hi()}`;
    case 'eb':
      return `${high} < ${lo()}`;
    case 'ap':
      return `(${low} <= ${hi()} AND ${high} >= ${lo()})`;
  }
}

/** `column` starts with `prefix`, as a range so that a B-tree index serves it in both databases. */
function prefixRange(sql: SearchSql, column: string, value: string): string {
  const prefix = indexedKey(value);
  if (prefix === '') return `${column} IS NOT NULL`;
  return `(${column} >= ${sql.p(prefix)} AND ${column} < ${sql.p(successor(prefix))})`;
}

/** The smallest string greater than every string that starts with `prefix` (code-point order = UTF-8 byte order). */
function successor(prefix: string): string {
  const points = Array.from(prefix);
  const last = points.pop()!.codePointAt(0)!;
  // U+10FFFF has no successor; appending it bounds all but pathological strings of repeated U+10FFFF.
  return last >= 0x10ffff ? `${prefix}\u{10ffff}` : points.join('') + String.fromCodePoint(last + 1);
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}
