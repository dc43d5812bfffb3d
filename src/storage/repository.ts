import type { Resource } from 'fhir/r4.js';
import type { StoredResource } from './stored-resource.js';
import type { Include, SearchQuery, PageCursor } from './search-query.js';

/** One stored version of a resource. A delete is stored as a version without content. */
export interface StoredVersion {
  resourceType: string;
  id: string;
  versionId: string;
  lastUpdated: string;
  deleted: boolean;
  /** The resource with meta.versionId and meta.lastUpdated set; undefined for a deletion. */
  resource?: Resource;
}

/** What names a resource: enough to follow references from it or to it. */
export type ResourceKey = Pick<Resource, 'resourceType' | 'id'>;

export interface SearchPage {
  resources: StoredResource[];
  /** Keys of the first and last row, to build `previous` and `next` cursors. */
  firstKeys?: PageCursor['keys'];
  lastKeys?: PageCursor['keys'];
  hasNext: boolean;
  hasPrevious: boolean;
  total?: number;
}

export interface HistoryQuery {
  type?: string;
  id?: string;
  /** Epoch ms: only versions recorded after this instant. */
  since?: number;
  count: number;
  /** Where the page starts: after (or, for `previous`, before) the version with these keys. */
  cursor?: PageCursor;
}

export interface HistoryPage {
  versions: StoredVersion[];
  total: number;
  firstKeys?: PageCursor['keys'];
  lastKeys?: PageCursor['keys'];
  hasNext: boolean;
  hasPrevious: boolean;
}

export interface MetaInUse {
  tags: { system?: string; code?: string }[];
  security: { system?: string; code?: string }[];
  profiles: string[];
  /** When the resources concerned last changed (a new version or a deletion), if ever. */
  lastUpdated?: string;
}

export interface WriteOptions {
  /**
   * The versionIds one of which the client expects to replace (If-Match), `*` for any current version; when none is
   * current, the write is a conflict.
   */
  expectedVersions?: string[];
}

export class VersionConflictError extends Error {
  constructor(readonly currentVersion: string | undefined) {
    super(`Version conflict: current version is ${currentVersion ?? 'none'}`);
  }
}

/** Throws a VersionConflictError unless the current versionId (undefined: none, or deleted) is one expected. */
export function checkExpectedVersion(options: WriteOptions, current: string | undefined): void {
  const expected = options.expectedVersions;
  if (!expected) return;
  if (current === undefined || !(expected.includes(current) || expected.includes('*'))) throw new VersionConflictError(current);
}

/**
 * The lock a write of one resource takes (Repository.transaction's lockKeys): a caller that reads a resource to
 * change it takes it first, so that no other write comes between its read and its write.
 */
export function resourceLock(type: string, id: string): string {
  return `resource:${type}/${id}`;
}

/**
 * The storage contract for FHIR resources. Every write runs in a transaction; a write outside `transaction()`
 * is its own transaction. Implementations decide version conflicts in the database so that several server
 * processes over one database behave as one server.
 */
export interface Repository {
  /** The latest version of a resource (possibly a deletion), or undefined if it never existed. */
  readCurrent(type: string, id: string): Promise<StoredVersion | undefined>;
  readVersion(type: string, id: string, versionId: string): Promise<StoredVersion | undefined>;
  /** Creates a resource with the id it carries (the caller assigns server ids). */
  create(resource: Resource & { id: string }): Promise<StoredVersion>;
  /** Creates new resources together, in one transaction and as few statements as the database allows. */
  createMany(resources: (Resource & { id: string })[]): Promise<StoredVersion[]>;
  /** Writes a new version; creates the resource when it does not exist (update-as-create). */
  update(resource: Resource & { id: string }, options?: WriteOptions): Promise<{ version: StoredVersion; created: boolean }>;
  /** Records a deletion; returns undefined when there was nothing to delete. */
  delete(type: string, id: string, options?: WriteOptions): Promise<StoredVersion | undefined>;
  /**
   * Replaces the content of a stored version in place, without a new version: the change of its Meta that R4's
   * $meta-add and $meta-delete make. The search index follows when it is the current version.
   */
  rewriteVersion(resource: Resource & { id: string }, versionId: string): Promise<StoredVersion>;
  /** The tags, security labels and profiles the current resources carry, of one type or all, and when they last changed. */
  metaInUse(type?: string): Promise<MetaInUse>;
  search(query: SearchQuery): Promise<SearchPage>;
  /** Resolves `_include` / `_revinclude` for a page of results. */
  includes(page: ResourceKey[], includes: Include[], revIncludes: Include[]): Promise<Resource[]>;
  /** Versions newest first, keyset-paged like search so that links survive new versions. */
  history(query: HistoryQuery): Promise<HistoryPage>;
  /**
   * Runs `fn` in one database transaction: all of its writes commit together or not at all. `lockKeys` are taken
   * first and held to the end, so that conditional operations on the same criteria are serialized (R4 http.html#ccreate).
   */
  transaction<T>(fn: (tx: Repository) => Promise<T>, lockKeys?: string[]): Promise<T>;
  /**
   * Extracts the search index afresh for up to `batchSize` resources, when the index was extracted with something other
   * than `fingerprint` (another set of search parameters, another extraction). Progress is kept in the database, so
   * a reindex interrupted by a restart, or shared by several processes, goes on where it stopped.
   */
  reindexStep(fingerprint: string, batchSize: number): Promise<{ done: boolean; reindexed: number }>;
  close(): Promise<void>;
}
