import type { Bundle, BundleEntry } from 'fhir/r4.js';
import { storedResourceOf } from '../fhir/stored-entry.js';

/**
 * A response body's JSON. A Bundle's entries whose resource nothing has read yet carry the stored JSON text itself;
 * everything else is JSON.stringify's. The text is what stringifying the parsed resource would give (it was written
 * by JSON.stringify), so the body means the same either way, less the work. Pretty printing serializes everything.
 */
export function toJson(body: unknown, pretty: boolean): string {
  if (pretty) return JSON.stringify(body, null, 2);
  const entries = (body as Bundle | null)?.resourceType === 'Bundle' ? (body as Bundle).entry : undefined;
  if (!entries?.some((e) => storedJson(e) !== undefined)) return JSON.stringify(body);
  const { entry, ...rest } = body as Bundle;
  return withMember(JSON.stringify(rest), 'entry', `[${entries.map(entryJson).join(',')}]`);
}

function entryJson(entry: BundleEntry): string {
  const json = storedJson(entry);
  if (json === undefined) return JSON.stringify(entry);
  // Every member but the resource, which is not read: reading it would parse it.
  const rest: Record<string, unknown> = {};
  for (const key of Object.keys(entry)) if (key !== 'resource') rest[key] = entry[key as keyof BundleEntry];
  return withMember(JSON.stringify(rest), 'resource', json);
}

function storedJson(entry: BundleEntry): string | undefined {
  return storedResourceOf(entry)?.json;
}

/** `objectJson` (a serialized object) with one more member, whose value is already JSON. */
function withMember(objectJson: string, name: string, valueJson: string): string {
  return `${objectJson.slice(0, -1)}${objectJson.length > 2 ? ',' : ''}"${name}":${valueJson}}`;
}
