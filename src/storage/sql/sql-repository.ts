import type { Resource } from 'fhir/r4.js';
import { indexedKey, type Indexer, type SearchIndex } from '../index-rows.js';
import {
  VersionConflictError,
  checkExpectedVersion,
  resourceLock,
  type MetaInUse,
  type HistoryPage,
  type HistoryQuery,
  type Repository,
  type ResourceKey,
  type SearchPage,
  type StoredVersion,
  type WriteOptions,
} from '../repository.js';
import type { Include, SearchQuery } from '../search-query.js';
import { StoredResource, attachStoredResource } from '../stored-resource.js';
import { keysetCondition, orderBy } from './keyset.js';
import { SearchSql } from './search-sql.js';
import type { RowBatch, SqlClient, SqlDriver, SqlValue, WriteOp } from './sql-driver.js';

interface ResourceRow {
  type: string;
  id: string;
  /** Which index tables hold rows of the current version (a bit per INDEX_TABLES entry). */
  index_tables?: number;
  version: number;
  last_updated: number;
  deleted: number;
  /** The resource's JSON text as written: TEXT on SQLite, json on PostgreSQL. */
  content: string;
}

/** History is newest first; ties broken so that every version has one place in the order. */
const HISTORY_KEYS = [
  { expression: 'last_updated', descending: true },
  { expression: 'type', descending: false },
  { expression: 'id', descending: false },
  { expression: 'version', descending: true },
];

/** resources holds each resource's current version number; its content lives once, in resource_versions. */
const CURRENT_CONTENT = 'JOIN resource_versions v ON v.type = r.type AND v.id = r.id AND v.version = r.version';

/** The index tables and the part of a SearchIndex each holds; a resource's bitmask of them is in resources. */
const INDEX_TABLES: [string, keyof SearchIndex][] = [
  ['sp_string', 'strings'],
  ['sp_token', 'tokens'],
  ['sp_reference', 'references'],
  ['sp_date', 'dates'],
  ['sp_number', 'numbers'],
  ['sp_quantity', 'quantities'],
  ['sp_uri', 'uris'],
  ['sp_composite', 'composites'],
];

const ALL_TABLES = (1 << INDEX_TABLES.length) - 1;

/** The bitmask of the index tables an index has rows in. */
function tablesOf(index: SearchIndex): number {
  return INDEX_TABLES.reduce((mask, [, part], bit) => (index[part].length ? mask | (1 << bit) : mask), 0);
}

/**
 * The one Repository implementation, over any SqlDriver. SQLite and PostgreSQL share every statement; the drivers
 * differ only in connections, placeholders and locks.
 */
export class SqlRepository implements Repository {
  constructor(
    private readonly driver: SqlDriver,
    private readonly indexer: Indexer,
    /** Set when this repository is bound to an open transaction. */
    private readonly tx?: SqlClient,
    private readonly now: () => number = Date.now,
  ) {}

  private get client(): SqlClient {
    return this.tx ?? this.driver.reader;
  }

  async transaction<T>(fn: (tx: Repository) => Promise<T>, lockKeys: string[] = []): Promise<T> {
    if (this.tx) {
      for (const key of lockKeys) await this.driver.lock(this.tx, key);
      return fn(this);
    }
    return this.driver.transaction(async (client) => {
      for (const key of [...lockKeys].sort()) await this.driver.lock(client, key);
      return fn(new SqlRepository(this.driver, this.indexer, client, this.now));
    });
  }

  async readCurrent(type: string, id: string): Promise<StoredVersion | undefined> {
    const rows = await this.client.all<ResourceRow>(
      `SELECT r.type, r.id, r.version, r.last_updated, r.deleted, v.content FROM resources r ${CURRENT_CONTENT} WHERE r.type = ? AND r.id = ?`,
      [type, id],
    );
    return rows.length ? toVersion(rows[0]) : undefined;
  }

  async readVersion(type: string, id: string, versionId: string): Promise<StoredVersion | undefined> {
    if (!/^[1-9][0-9]{0,15}$/.test(versionId)) return undefined;
    const rows = await this.client.all<ResourceRow>(
      'SELECT type, id, version, last_updated, deleted, content FROM resource_versions WHERE type = ? AND id = ? AND version = ?',
      [type, id, Number(versionId)],
    );
    return rows.length ? toVersion(rows[0]) : undefined;
  }

  async create(resource: Resource & { id: string }): Promise<StoredVersion> {
    return this.write(async (client) => (await this.writeVersions(client, [{ resource, version: 1 }]))[0]);
  }

  async createMany(resources: (Resource & { id: string })[]): Promise<StoredVersion[]> {
    const { ops, versions } = this.versionWrites(resources.map((resource) => ({ resource, version: 1 })));
    // Writes alone, that read nothing first: the driver may commit them off the thread that serves requests.
    await (this.tx ? this.tx.write(ops) : this.driver.writeTransaction(ops));
    return versions;
  }

  async update(resource: Resource & { id: string }, options: WriteOptions = {}): Promise<{ version: StoredVersion; created: boolean }> {
    return this.write(async (client) => {
      const current = await this.lockCurrent(client, resource.resourceType, resource.id);
      checkExpected(current, options);
      const created = !current || current.deleted === 1;
      const [version] = await this.writeVersions(client, [{ resource, version: (current?.version ?? 0) + 1, previous: current }]);
      return { version, created };
    });
  }

  async delete(type: string, id: string, options: WriteOptions = {}): Promise<StoredVersion | undefined> {
    return this.write(async (client) => {
      const current = await this.lockCurrent(client, type, id);
      checkExpected(current, options);
      if (!current || current.deleted === 1) return undefined;
      const version = current.version + 1;
      const lastUpdated = this.now();
      await client.write([
        {
          sql: 'UPDATE resources SET version = ?, last_updated = ?, deleted = 1, index_tables = 0 WHERE type = ? AND id = ?',
          params: [version, lastUpdated, type, id],
        },
        { table: 'resource_versions', columns: ['type', 'id', 'version', 'last_updated', 'deleted', 'content'], rows: [[type, id, version, lastUpdated, 1, null]] },
        ...indexDeletes(type, id, current.index_tables),
      ]);
      return { resourceType: type, id, versionId: String(version), lastUpdated: iso(lastUpdated), deleted: true };
    });
  }

  async rewriteVersion(resource: Resource & { id: string }, versionId: string): Promise<StoredVersion> {
    return this.write(async (client) => {
      const { resourceType: type, id } = resource;
      const current = await this.lockCurrent(client, type, id);
      const [stored] = await client.all<{ last_updated: number }>('SELECT last_updated FROM resource_versions WHERE type = ? AND id = ? AND version = ? AND deleted = 0', [
        type,
        id,
        Number(versionId),
      ]);
      if (!current || !stored) throw new VersionConflictError(current ? String(current.version) : undefined);
      const lastUpdated = Number(stored.last_updated);
      const content = stamp(resource, Number(versionId), lastUpdated);
      const ops: WriteOp[] = [
        { sql: 'UPDATE resource_versions SET content = ? WHERE type = ? AND id = ? AND version = ?', params: [JSON.stringify(content), type, id, Number(versionId)] },
      ];
      if (String(current.version) === versionId) ops.push(...reindexWrites(type, id, current.index_tables, this.indexer(content)));
      await client.write(ops);
      return { resourceType: type, id, versionId, lastUpdated: iso(lastUpdated), deleted: false, resource: content };
    });
  }

  async metaInUse(type?: string): Promise<MetaInUse> {
    const ofType = type === undefined ? '' : ' AND type = ?';
    const typeParams = type === undefined ? [] : [type];
    const tokens = await this.client.all<{ param: string; system: string | null; code: string | null }>(
      `SELECT DISTINCT param, system, code FROM sp_token WHERE param IN ('_tag', '_security')${ofType} ORDER BY param, system, code`,
      typeParams,
    );
    const profiles = await this.client.all<{ value: string }>(`SELECT DISTINCT value FROM sp_uri WHERE param = '_profile'${ofType} ORDER BY value`, typeParams);
    // From the versions, whose time indexes answer at once: the resources table has none without the type.
    const [latest] = await this.client.all<{ at: number | null }>(`SELECT MAX(last_updated) AS at FROM resource_versions${type === undefined ? '' : ' WHERE type = ?'}`, typeParams);
    const coding = (row: { system: string | null; code: string | null }) => ({ ...(row.system ? { system: row.system } : {}), ...(row.code ? { code: row.code } : {}) });
    return {
      tags: tokens.filter((row) => row.param === '_tag').map(coding),
      security: tokens.filter((row) => row.param === '_security').map(coding),
      profiles: profiles.map((row) => row.value),
      lastUpdated: latest?.at === null || latest?.at === undefined ? undefined : iso(Number(latest.at)),
    };
  }

  async search(query: SearchQuery): Promise<SearchPage> {
    const sql = new SearchSql(this.driver.dialect);
    if (query.types.length === 1) sql.setType('r', query.types[0]);
    // The SELECT list comes first in the text, so its placeholders are taken first.
    const { columns, keys } = sql.orderKeys(query.sort, 'r');
    const filters = this.filters(sql, query);
    const direction = query.cursor?.direction ?? 'next';
    const params = [...sql.params];
    const seek = query.cursor ? keysetCondition(keys, query.cursor.keys, direction, params) : undefined;
    const keyColumns = keys.map((k, i) => `${k.expression} AS k${i}`).join(', ');
    const selected = 'r.type, r.id, r.version, r.last_updated, r.deleted';
    // The page is chosen on the small rows first; only its rows fetch their content. Keys that are columns of
    // resources are sorted on in the same SELECT: the planner then sees that the matches come in index order and
    // stops at the page's end, and that the page needs no sorting again after the join below. Computed sort keys
    // are columns of a subquery, for the keys to refer to.
    const page = columns.length
      ? `SELECT q.*, ${keyColumns} FROM (SELECT ${selected}, ${columns.join(', ')} FROM resources r WHERE ${filters.join(' AND ')}) q` +
        `${seek ? ` WHERE ${seek}` : ''} ORDER BY ${orderBy(keys, direction)} ${limit(query.count + 1)}`
      : `SELECT ${selected}, ${keyColumns} FROM resources r WHERE ${[...filters, ...(seek ? [seek] : [])].join(' AND ')} ` +
        `ORDER BY ${orderBy(keys, direction)} ${limit(query.count + 1)}`;
    const pageOrder = orderBy(keys.map((k, i) => ({ ...k, expression: `p.k${i}` })), direction);
    const rows = await this.client.all<ResourceRow & Record<string, SqlValue>>(
      `SELECT p.*, v.content FROM (${page}) p ` +
        `JOIN resource_versions v ON v.type = p.type AND v.id = p.id AND v.version = p.version ORDER BY ${pageOrder}`,
      params,
    );
    const more = rows.length > query.count;
    const pageRows = rows.slice(0, query.count);
    if (direction === 'previous') pageRows.reverse();
    const keysOf = (row: Record<string, SqlValue> | undefined) => (row ? keys.map((_, i) => row[`k${i}`]) : undefined);
    const result: SearchPage = {
      resources: pageRows.map((row) => new StoredResource(row.type, row.id, row.content)),
      firstKeys: keysOf(pageRows[0]),
      lastKeys: keysOf(pageRows[pageRows.length - 1]),
      hasNext: direction === 'next' ? more : true,
      hasPrevious: direction === 'previous' ? more : query.cursor !== undefined,
    };
    const complete = !query.cursor && !more;
    if (query.total === 'accurate' || query.total === 'estimate') result.total = complete ? pageRows.length : await this.count(query);
    else if (query.total === undefined && complete) result.total = pageRows.length;
    return result;
  }

  private filters(sql: SearchSql, query: SearchQuery): string[] {
    const filters = ['r.deleted = 0'];
    if (query.types.length) filters.push(`r.type IN (${query.types.map((t) => sql.p(t)).join(', ')})`);
    filters.push(...sql.where(query.conditions, 'r'));
    return filters;
  }

  private async count(query: SearchQuery): Promise<number> {
    const sql = new SearchSql(this.driver.dialect);
    if (query.types.length === 1) sql.setType('r', query.types[0]);
    const filters = this.filters(sql, query);
    const rows = await this.client.all<{ n: number | string }>(
      `SELECT COUNT(*) AS n FROM resources r WHERE ${filters.join(' AND ')}`,
      sql.params,
    );
    return Number(rows[0].n);
  }

  async includes(page: ResourceKey[], includes: Include[], revIncludes: Include[]): Promise<Resource[]> {
    const seen = new Set(page.map(key));
    const found: Resource[] = [];
    // Each resource once: several sources (and source types) may refer to the same one.
    const add = (resources: Resource[]) => {
      const fresh = resources.filter((r) => !seen.has(key(r)) && seen.add(key(r)));
      found.push(...fresh);
      return fresh;
    };
    // Iterating includes follow what the previous round added, until nothing new (bounded against cycles).
    let round: ResourceKey[] = page;
    for (let depth = 0; depth < 8 && round.length; depth++) {
      const added: Resource[] = [];
      for (const inc of includes) {
        if (depth > 0 && !inc.iterate) continue;
        added.push(...add(await this.forwardIncludes(round, inc)));
      }
      for (const inc of revIncludes) {
        if (depth > 0 && !inc.iterate) continue;
        added.push(...add(await this.reverseIncludes(round, inc)));
      }
      round = added;
    }
    return found;
  }

  private async forwardIncludes(sources: ResourceKey[], inc: Include): Promise<Resource[]> {
    const results: Resource[] = [];
    for (const [sourceType, ids] of groupByType(sources)) {
      if (inc.sourceType !== '*' && inc.sourceType !== sourceType) continue;
      const params: SqlValue[] = [sourceType, ...ids];
      let filter = '';
      if (inc.param !== '*') {
        filter += ' AND ref.param = ?';
        params.push(inc.param);
      }
      if (inc.targetType) {
        filter += ' AND ref.target_type = ?';
        params.push(inc.targetType);
      }
      // Each resource once, chosen by key: content (json on PostgreSQL) cannot be compared for DISTINCT.
      const rows = await this.client.all<ResourceRow>(
        `SELECT r.type, r.id, v.content FROM resources r ${CURRENT_CONTENT} WHERE r.deleted = 0 AND (r.type, r.id) IN ` +
          `(SELECT ref.target_type, ref.target_id FROM sp_reference ref WHERE ref.type = ? AND ref.id IN (${ids.map(() => '?').join(', ')})${filter})`,
        params,
      );
      results.push(...rows.map((row) => parseContent(row.content)));
    }
    return results;
  }

  private async reverseIncludes(targets: ResourceKey[], inc: Include): Promise<Resource[]> {
    const results: Resource[] = [];
    for (const [targetType, ids] of groupByType(targets)) {
      if (inc.targetType && inc.targetType !== targetType) continue;
      // Answered from the target index (target_id, target_type, param, type, id); a source type of * is any.
      const params: SqlValue[] = [targetType, ...ids];
      let filter = '';
      if (inc.param !== '*') {
        filter += ' AND ref.param = ?';
        params.push(inc.param);
      }
      if (inc.sourceType !== '*') {
        filter += ' AND ref.type = ?';
        params.push(inc.sourceType);
      }
      const rows = await this.client.all<ResourceRow>(
        `SELECT r.type, r.id, v.content FROM resources r ${CURRENT_CONTENT} WHERE r.deleted = 0 AND (r.type, r.id) IN ` +
          `(SELECT ref.type, ref.id FROM sp_reference ref WHERE ref.target_type = ? AND ref.target_id IN (${ids.map(() => '?').join(', ')})${filter})`,
        params,
      );
      results.push(...rows.map((row) => parseContent(row.content)));
    }
    return results;
  }

  async history(query: HistoryQuery): Promise<HistoryPage> {
    const where: string[] = [];
    const params: SqlValue[] = [];
    const filter = (test: string, value: SqlValue | undefined) => {
      if (value === undefined) return;
      where.push(test);
      params.push(value);
    };
    filter('type = ?', query.type);
    filter('id = ?', query.id);
    filter('last_updated >= ?', query.since); // "at or after the given instant" (R4 http.html#history)
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = await this.client.all<{ n: number | string }>(`SELECT COUNT(*) AS n FROM resource_versions ${clause}`, params);
    const direction = query.cursor?.direction ?? 'next';
    const seekParams = [...params];
    const seek = query.cursor ? `${where.length ? ' AND' : ' WHERE'} ${keysetCondition(HISTORY_KEYS, query.cursor.keys, direction, seekParams)}` : '';
    const rows = await this.client.all<ResourceRow>(
      `SELECT type, id, version, last_updated, deleted, content FROM resource_versions ${clause}${seek} ` +
        `ORDER BY ${orderBy(HISTORY_KEYS, direction)} ${limit(query.count + 1)}`,
      seekParams,
    );
    const more = rows.length > query.count;
    const page = rows.slice(0, query.count);
    if (direction === 'previous') page.reverse();
    const keysOf = (row: ResourceRow | undefined) => (row ? [Number(row.last_updated), row.type, row.id, Number(row.version)] : undefined);
    return {
      versions: page.map(toVersion),
      total: Number(total[0].n),
      firstKeys: keysOf(page[0]),
      lastKeys: keysOf(page[page.length - 1]),
      hasNext: direction === 'next' ? more : true,
      hasPrevious: direction === 'previous' ? more : query.cursor !== undefined,
    };
  }

  close(): Promise<void> {
    return this.driver.close();
  }

  async reindexStep(fingerprint: string, batchSize: number): Promise<{ done: boolean; reindexed: number }> {
    return this.driver.transaction(async (client) => {
      // One process at a time moves the shared cursor.
      await this.driver.lock(client, 'reindex');
      const [state] = await client.all<{ fingerprint: string; cursor_type: string | null; cursor_id: string | null }>(
        'SELECT fingerprint, cursor_type, cursor_id FROM index_state WHERE id = 1',
      );
      if (state?.fingerprint === fingerprint && state.cursor_type === null) return { done: true, reindexed: 0 };
      // Under way for this fingerprint: go on after the cursor; for any other, start from the beginning.
      const cursor = state?.fingerprint === fingerprint ? [state.cursor_type, state.cursor_type, state.cursor_id] : [];
      const rows = await client.all<{ type: string; id: string }>(
        `SELECT type, id FROM resources WHERE deleted = 0${cursor.length ? ' AND (type > ? OR (type = ? AND id > ?))' : ''} ` +
          `ORDER BY type, id ${limit(batchSize)}`,
        cursor,
      );
      for (const { type, id } of rows) {
        // Under the resource's lock and from its current version, so that a concurrent update is not overwritten.
        const current = await this.lockCurrent(client, type, id);
        if (!current || current.deleted) continue;
        const [version] = await client.all<{ content: string }>('SELECT content FROM resource_versions WHERE type = ? AND id = ? AND version = ?', [
          type,
          id,
          current.version,
        ]);
        await client.write(reindexWrites(type, id, current.index_tables, this.indexer(parseContent(version.content))));
      }
      const done = rows.length < batchSize;
      const last = rows[rows.length - 1];
      await client.run(
        'INSERT INTO index_state (id, fingerprint, cursor_type, cursor_id) VALUES (1, ?, ?, ?) ' +
          'ON CONFLICT (id) DO UPDATE SET fingerprint = excluded.fingerprint, cursor_type = excluded.cursor_type, cursor_id = excluded.cursor_id',
        [fingerprint, done ? null : last.type, done ? null : last.id],
      );
      return { done, reindexed: rows.length };
    });
  }

  private write<T>(fn: (client: SqlClient) => Promise<T>): Promise<T> {
    return this.tx ? fn(this.tx) : this.driver.transaction(fn);
  }

  /** Reads the current row under a per-resource lock, so that concurrent writers of one resource queue up. */
  private async lockCurrent(client: SqlClient, type: string, id: string): Promise<ResourceRow | undefined> {
    await this.driver.lock(client, resourceLock(type, id));
    const rows = await client.all<ResourceRow>('SELECT version, deleted, index_tables FROM resources WHERE type = ? AND id = ?', [type, id]);
    return rows[0];
  }

  private async writeVersions(client: SqlClient, writes: VersionWrite[]): Promise<StoredVersion[]> {
    const { ops, versions } = this.versionWrites(writes);
    await client.write(ops);
    return versions;
  }

  /**
   * What writing new versions takes: the current-version rows, the versions with their JSON, and the search index,
   * as writes to send together (one statement on PostgreSQL). An existing resource's row is updated and its old
   * index rows replaced.
   */
  private versionWrites(writes: VersionWrite[]): { ops: WriteOp[]; versions: StoredVersion[] } {
    const lastUpdated = this.now();
    const stamped = writes.map((w) => stamp(w.resource, w.version, lastUpdated));
    const indexes = stamped.map((r) => this.indexer(r));
    const created: SqlValue[][] = [];
    const replaced: WriteOp[] = [];
    for (const [i, w] of writes.entries()) {
      const { resourceType: type, id } = stamped[i];
      const tables = tablesOf(indexes[i]);
      if (w.previous) {
        replaced.push(
          {
            sql: 'UPDATE resources SET version = ?, last_updated = ?, deleted = 0, index_tables = ? WHERE type = ? AND id = ?',
            params: [w.version, lastUpdated, tables, type, id],
          },
          ...indexDeletes(type, id, w.previous.index_tables),
        );
      } else {
        created.push([type, id, w.version, lastUpdated, 0, tables]);
      }
    }
    const ops: WriteOp[] = [
      ...replaced,
      { table: 'resources', columns: ['type', 'id', 'version', 'last_updated', 'deleted', 'index_tables'], rows: created },
      {
        table: 'resource_versions',
        columns: ['type', 'id', 'version', 'last_updated', 'deleted', 'content'],
        rows: stamped.map((r, i) => [r.resourceType, r.id, writes[i].version, lastUpdated, 0, JSON.stringify(r)]),
      },
      ...indexRows(stamped.map((r, i) => ({ type: r.resourceType, id: r.id, index: indexes[i] }))),
    ];
    const versions = stamped.map((resource, i) => ({
      resourceType: resource.resourceType,
      id: resource.id,
      versionId: String(writes[i].version),
      lastUpdated: iso(lastUpdated),
      deleted: false,
      resource,
    }));
    return { ops, versions };
  }
}

interface VersionWrite {
  resource: Resource & { id: string };
  version: number;
  /** The resource's row when it has one already (a previous version or a deletion): its index rows are replaced. */
  previous?: ResourceRow;
}

/** The resource as stored: meta.versionId and meta.lastUpdated set; resourceType, id and meta lead, as is usual. */
function stamp(resource: Resource & { id: string }, version: number, lastUpdated: number): Resource & { id: string } {
  const { resourceType, id, meta, ...rest } = resource;
  return { resourceType, id, meta: { ...meta, versionId: String(version), lastUpdated: iso(lastUpdated) }, ...rest } as Resource & { id: string };
}

function checkExpected(current: ResourceRow | undefined, options: WriteOptions): void {
  checkExpectedVersion(options, current && current.deleted === 0 ? String(current.version) : undefined);
}

/** The deletes of a resource's index rows from the tables its bitmask names (all of them when unknown). */
function indexDeletes(type: string, id: string, tables = ALL_TABLES): WriteOp[] {
  return INDEX_TABLES.filter((_, bit) => tables & (1 << bit)).map(([table]) => ({ sql: `DELETE FROM ${table} WHERE type = ? AND id = ?`, params: [type, id] }));
}

/** The writes that replace a resource's search index, in the tables its bitmask names, by `index`. */
function reindexWrites(type: string, id: string, tables: number | undefined, index: SearchIndex): WriteOp[] {
  return [
    ...indexDeletes(type, id, tables),
    ...indexRows([{ type, id, index }]),
    { sql: 'UPDATE resources SET index_tables = ? WHERE type = ? AND id = ?', params: [tablesOf(index), type, id] },
  ];
}

/** The index rows of several resources, a batch per table. */
function indexRows(entries: { type: string; id: string; index: SearchIndex }[]): RowBatch[] {
  const batch = <T>(table: string, columns: string[], pick: (index: SearchIndex) => T[], values: (row: T) => SqlValue[]): RowBatch => ({
    table,
    columns: ['type', 'id', 'seq', ...columns],
    rows: entries.flatMap(({ type, id, index }) => pick(index).map((row, seq) => [type, id, seq, ...values(row)])),
  });
  return [
    batch('sp_string', ['param', 'norm', 'exact'], (x) => x.strings, (v) => [v.param, indexedKey(v.norm), v.exact]),
    batch('sp_token', ['param', 'system', 'code', 'text'], (x) => x.tokens, (v) => [v.param, indexedKey(v.system), indexedKey(v.code), v.text]),
    batch(
      'sp_reference',
      ['param', 'target_type', 'target_id', 'url', 'identifier_system', 'identifier_value'],
      (x) => x.references,
      (v) => [v.param, v.targetType, v.targetId, v.url, indexedKey(v.identifierSystem), indexedKey(v.identifierValue)],
    ),
    batch('sp_date', ['param', 'low', 'high'], (x) => x.dates, (v) => [v.param, v.low, v.high]),
    batch('sp_number', ['param', 'low', 'high'], (x) => x.numbers, (v) => [v.param, v.low, v.high]),
    batch('sp_quantity', ['param', 'system', 'code', 'low', 'high'], (x) => x.quantities, (v) => [v.param, v.system, v.code, v.low, v.high]),
    batch('sp_uri', ['param', 'value'], (x) => x.uris, (v) => [v.param, indexedKey(v.value)]),
    batch(
      'sp_composite',
      ['param', 'grp', 'component', 'system', 'code', 'low', 'high', 'norm'],
      (x) => x.composites,
      (v) => [v.param, v.group, v.component, indexedKey(v.system), indexedKey(v.code), v.low, v.high, indexedKey(v.norm)],
    ),
  ].filter((b) => b.rows.length);
}

/**
 * A LIMIT clause with its count written in the SQL, not bound: SQLite (3.53) lets a bound LIMIT inform the plan, so
 * it prepares such a statement anew each time the value is bound, an eighth of a search's instructions by callgrind.
 * The statement cache keeps one statement per page size.
 */
function limit(count: number): string {
  if (!Number.isSafeInteger(count) || count < 0) throw new Error(`Not a row count: ${count}`);
  return `LIMIT ${count}`;
}

function parseContent(content: string): Resource {
  return JSON.parse(content) as Resource;
}

/** A version as read: its resource, if any, parsed only when something reads it. */
function toVersion(row: ResourceRow): StoredVersion {
  const deleted = Number(row.deleted) === 1;
  const version = { resourceType: row.type, id: row.id, versionId: String(row.version), lastUpdated: iso(Number(row.last_updated)), deleted };
  return deleted ? version : attachStoredResource(version, new StoredResource(row.type, row.id, row.content));
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function groupByType(resources: ResourceKey[]): Map<string, string[]> {
  const byType = new Map<string, string[]>();
  for (const r of resources) byType.set(r.resourceType, [...(byType.get(r.resourceType) ?? []), r.id!]);
  return byType;
}

function key(r: ResourceKey): string {
  return `${r.resourceType}/${r.id}`;
}

