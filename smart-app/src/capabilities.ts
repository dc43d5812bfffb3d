/**
 * What the server offers, read once from its CapabilityStatement, so the app degrades visibly (a notice, not a crash)
 * on a server without the guide's search parameters or without $validate.
 */
import type { CapabilityStatement, CapabilityStatementRestResource } from 'fhir/r4.js';
import type { FhirApi } from './fhir-api.js';

export interface Capabilities {
  validate(type: string): boolean;
  searchParam(type: string, name: string): boolean;
}

export async function readCapabilities(api: FhirApi): Promise<Capabilities> {
  let statement: CapabilityStatement | undefined;
  try {
    statement = (await api.send('GET', 'metadata')) as CapabilityStatement;
  } catch {
    statement = undefined; // no statement: assume only the core interactions
  }
  const rest = statement?.rest?.find((r) => r.mode === 'server') ?? statement?.rest?.[0];
  const resource = (type: string): CapabilityStatementRestResource | undefined => rest?.resource?.find((r) => r.type === type);
  const isValidate = (op: { name: string; definition: string }) => op.name === 'validate' || /Resource-validate$/.test(op.definition);
  const systemValidate = (rest?.operation ?? []).some(isValidate);
  return {
    validate: (type) => systemValidate || (resource(type)?.operation ?? []).some(isValidate),
    searchParam: (type, name) => (resource(type)?.searchParam ?? []).some((p) => p.name === name),
  };
}
