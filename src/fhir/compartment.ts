import type { Condition } from '../storage/search-query.js';
import { patientCompartment } from './r4-definitions.js';

let paramsByType: Record<string, string[]> | undefined;

/** For each resource type in the Patient compartment, the parameters that link it to the patient (R4 compartmentdefinition-patient.html). */
export function patientCompartmentParams(): Record<string, string[]> {
  if (!paramsByType) {
    paramsByType = {};
    for (const r of patientCompartment().resource ?? []) {
      const params = (r.param ?? []).filter((p) => p !== '{def}');
      if (params.length) paramsByType[r.code] = params;
    }
  }
  return paramsByType;
}

/** The condition "in the compartment of Patient/id", or without an id, of any patient. */
export function inPatientCompartment(patientId: string | undefined, types?: string[]): Condition {
  const all = patientCompartmentParams();
  const selected = types ? Object.fromEntries(Object.entries(all).filter(([t]) => types.includes(t))) : all;
  return { kind: 'compartment', compartmentType: 'Patient', id: patientId, paramsByType: selected };
}
