import type { CapabilityStatement, CapabilityStatementRestResource } from 'fhir/r4.js';
import type { FhirContext } from './fhir-request.js';
import { CONFORMANCE_TYPES, conformanceSearchParams } from './conformance.js';

const SERVER_VERSION = '0.1.0';

/** Where the SMART authorization server is, for `rest.security` (SMART App Launch 2.2 conformance.html). */
export interface SmartSecurity {
  authorize: string;
  token: string;
  introspect?: string;
  revoke?: string;
}

/**
 * The CapabilityStatement (R4 capabilitystatement.html, http.html#capabilities). Built from the same registries the
 * server routes and searches with, so that everything it lists works and nothing that works is missing.
 */
export function capabilityStatement(ctx: FhirContext & { security?: SmartSecurity }): CapabilityStatement {
  const resources: CapabilityStatementRestResource[] = [...ctx.resourceTypes].sort().map((type) =>
    CONFORMANCE_TYPES.has(type) ? conformanceResource(ctx, type) : storedResource(ctx, type),
  );
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: new Date().toISOString(),
    publisher: 'Caring Community FHIR',
    kind: 'instance',
    software: { name: 'Caring Community FHIR', version: SERVER_VERSION },
    implementation: { description: 'Caring Community FHIR server (Communauté soignante)', url: ctx.baseUrl },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    patchFormat: ['application/json-patch+json', 'application/fhir+json'],
    rest: [
      {
        mode: 'server',
        resource: resources,
        interaction: [{ code: 'transaction' }, { code: 'batch' }, { code: 'search-system' }, { code: 'history-system' }],
        searchParam: ctx.searchParameters.forType('Resource').map((p) => ({ name: p.code, definition: p.url, type: p.type })),
        operation: [META, ...(ctx.validator ? [VALIDATE] : [])],
        ...(ctx.security ? { security: securityBlock(ctx.security) } : {}),
      },
    ],
  };
}

const VALIDATE = { name: 'validate', definition: 'http://hl7.org/fhir/OperationDefinition/Resource-validate' };
const META = { name: 'meta', definition: 'http://hl7.org/fhir/OperationDefinition/Resource-meta' };

function storedResource(ctx: FhirContext, type: string): CapabilityStatementRestResource {
  return {
    type: type as CapabilityStatementRestResource['type'],
    profile: `http://hl7.org/fhir/StructureDefinition/${type}`,
    interaction: ['read', 'vread', 'update', 'patch', 'delete', 'history-instance', 'history-type', 'create', 'search-type'].map(
      (code) => ({ code: code as 'read' }),
    ),
    versioning: 'versioned-update',
    readHistory: true,
    updateCreate: true,
    conditionalCreate: true,
    conditionalRead: 'full-support',
    conditionalUpdate: true,
    conditionalDelete: 'single',
    referencePolicy: ['literal', 'logical'],
    searchInclude: ['*', ...ctx.searchParameters.forType(type).filter((p) => p.type === 'reference').map((p) => `${type}:${p.code}`)],
    searchRevInclude: ['*'],
    searchParam: ctx.searchParameters
      .forType(type)
      .map((p) => ({ name: p.code, definition: p.url, type: p.type, documentation: p.description })),
    operation: [
      META,
      { name: 'meta-add', definition: 'http://hl7.org/fhir/OperationDefinition/Resource-meta-add' },
      { name: 'meta-delete', definition: 'http://hl7.org/fhir/OperationDefinition/Resource-meta-delete' },
      ...(type === 'Patient' ? [{ name: 'everything', definition: 'http://hl7.org/fhir/OperationDefinition/Patient-everything' }] : []),
      ...(ctx.validator ? [VALIDATE] : []),
    ],
  };
}

/** Conformance resources: read and search only, from the definitions the server runs on, and $validate. */
function conformanceResource(ctx: FhirContext, type: string): CapabilityStatementRestResource {
  return {
    type: type as CapabilityStatementRestResource['type'],
    profile: `http://hl7.org/fhir/StructureDefinition/${type}`,
    documentation: 'Read-only: the R4 core definitions and the loaded implementation guides',
    interaction: [{ code: 'read' }, { code: 'search-type' }],
    searchParam: conformanceSearchParams(type).map((p) => ({ name: p.name, type: p.type })),
    ...(ctx.validator ? { operation: [VALIDATE] } : {}),
  };
}

/** The SMART-on-FHIR service coding and the oauth-uris extension (http://fhir-registry.smarthealthit.org). */
function securityBlock(uris: SmartSecurity): NonNullable<NonNullable<CapabilityStatement['rest']>[number]['security']> {
  return {
    cors: true,
    service: [
      {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code: 'SMART-on-FHIR', display: 'SMART-on-FHIR' }],
        text: 'OAuth2 using SMART-on-FHIR profile (see http://docs.smarthealthit.org)',
      },
    ],
    extension: [
      {
        url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
        extension: Object.entries(uris)
          .filter(([, value]) => value !== undefined)
          .map(([url, value]) => ({ url, valueUri: value as string })),
      },
    ],
  };
}
