import type { BundleEntry } from 'fhir/r4.js';
import type { StoredResource } from '../storage/stored-resource.js';

const STORED = Symbol('stored resource');

/**
 * A Bundle entry whose resource is parsed when something reads it. Until then the response can carry the stored
 * JSON (`storedResourceOf`); JSON.stringify, which reads it, writes the parsed resource.
 */
export function storedEntry(fullUrl: string, stored: StoredResource, search: BundleEntry['search']): BundleEntry {
  return {
    fullUrl,
    get resource() {
      return stored.resource;
    },
    search,
    [STORED]: stored,
  } as BundleEntry;
}

/** The stored resource of an entry made by `storedEntry`. */
export function storedResourceOf(entry: BundleEntry): StoredResource | undefined {
  return (entry as { [STORED]?: StoredResource })[STORED];
}
