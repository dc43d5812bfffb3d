// SUSHI leaves publisher, contact and jurisdiction to the IG Publisher, which this project does not run; the guide's
// own build copies them from sushi-config.yaml so the published resources say who publishes them and for where.
import type { FhirResourceJson } from '../fhir-json.js';
import type { IgConfig } from './run-sushi.js';

const CANONICAL_TYPES = new Set(['StructureDefinition', 'CodeSystem', 'ValueSet', 'ConceptMap', 'SearchParameter', 'ImplementationGuide']);

/** Returns a copy of `resource` with the guide's metadata filled in where the resource does not set its own. */
export function applyIgMetadata(resource: FhirResourceJson, config: IgConfig): FhirResourceJson {
  if (!CANONICAL_TYPES.has(resource.resourceType)) return resource;
  return {
    ...resource,
    version: resource.version ?? config.version,
    publisher: resource['publisher'] ?? config.publisher,
    contact: resource['contact'] ?? config.contact,
    jurisdiction: resource['jurisdiction'] ?? config.jurisdiction,
  };
}

/** A minimal ImplementationGuide resource listing every artefact, so tools that load packages can find the guide. */
export function implementationGuideResource(config: IgConfig, resources: FhirResourceJson[], examples: FhirResourceJson[]): FhirResourceJson {
  const ref = (r: FhirResourceJson, isExample: boolean) => ({
    reference: { reference: `${r.resourceType}/${r.id}` },
    name: String(r['title'] ?? r['name'] ?? r.id),
    exampleBoolean: isExample,
  });
  return {
    resourceType: 'ImplementationGuide',
    id: config.id,
    url: `${config.canonical}/ImplementationGuide/${config.id}`,
    version: config.version,
    name: 'CommunauteSoignanteIG',
    title: config.title,
    status: config.status,
    publisher: config.publisher,
    contact: config.contact,
    description: config.description,
    jurisdiction: config.jurisdiction,
    packageId: config.id,
    license: config.license,
    fhirVersion: [config.fhirVersion],
    dependsOn: [],
    definition: {
      resource: [...resources.map((r) => ref(r, false)), ...examples.map((r) => ref(r, true))],
    },
  };
}
