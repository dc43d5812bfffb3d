import type { Bundle, BundleEntry } from 'fhir/r4.js';
import { storedResourceOf } from '../storage/stored-resource.js';

/**
 * The JSON of the `resource` member of a response or of a Bundle entry. A resource still as stored, which nothing
 * has read, is the stored JSON text itself, and so are those of a Bundle's entries; everything else is
 * JSON.stringify's. The text is what stringifying the parsed resource would give (it was written by JSON.stringify),
 * so the body means the same either way, less the work. Pretty printing serializes everything.
 */
export function resourceJson(holder: { resource?: unknown }, pretty = false): string {
  const stored = pretty ? undefined : storedJson(holder);
  if (stored !== undefined) return stored;
  const body = holder.resource;
  if (pretty) return JSON.stringify(body, null, 2);
  const entries = (body as Bundle | undefined)?.resourceType === 'Bundle' ? (body as Bundle).entry : undefined;
  if (!entries?.some((e) => storedJson(e) !== undefined)) return JSON.stringify(body);
  const { entry, ...rest } = body as Bundle;
  return withMember(JSON.stringify(rest), 'entry', `[${entries.map(entryJson).join(',')}]`);
}

function entryJson(entry: BundleEntry): string {
  if (storedJson(entry) === undefined) return JSON.stringify(entry);
  // Every member but the resource, which is not read: reading it would parse it.
  const rest: Record<string, unknown> = {};
  for (const key of Object.keys(entry)) if (key !== 'resource') rest[key] = entry[key as keyof BundleEntry];
  return withMember(JSON.stringify(rest), 'resource', resourceJson(entry));
}

function storedJson(holder: object): string | undefined {
  return storedResourceOf(holder)?.json;
}

/** `objectJson` (a serialized object) with one more member, whose value is already JSON. */
function withMember(objectJson: string, name: string, valueJson: string): string {
  return `${objectJson.slice(0, -1)}${objectJson.length > 2 ? ',' : ''}"${name}":${valueJson}}`;
}
