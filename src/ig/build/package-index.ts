// One entry of a FHIR NPM package's .index.json (index-version 1), as the FHIR package spec describes it:
// https://confluence.hl7.org/display/FHIR/NPM+Package+Specification
export interface PackageIndexEntry {
  filename: string;
  resourceType: string;
  id: string;
  url?: string;
  version?: string;
  kind?: string;
  type?: string;
}

interface IndexableResource {
  resourceType: string;
  id?: string;
  url?: string;
  version?: string;
  kind?: string;
  type?: string;
}

/** Builds the index entry of one resource file; optional fields are left out when the resource lacks them. */
export function indexEntryFor(filename: string, resource: IndexableResource): PackageIndexEntry {
  const entry: PackageIndexEntry = { filename, resourceType: resource.resourceType, id: resource.id ?? '' };
  if (typeof resource.url === 'string') entry.url = resource.url;
  if (typeof resource.version === 'string') entry.version = resource.version;
  if (typeof resource.kind === 'string') entry.kind = resource.kind;
  // Only StructureDefinition's `type` is the index's "type"; SearchParameter.type is a search type, not a FHIR type.
  if (resource.resourceType === 'StructureDefinition' && typeof resource.type === 'string') entry.type = resource.type;
  return entry;
}
