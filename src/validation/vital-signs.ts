/**
 * FHIR R4 §8.1.3 (Vital Signs): an Observation with one of the vital-sign LOINC codes SHALL conform to the matching
 * core profile, whatever else it claims.
 */
const VITAL_SIGNS: Record<string, string> = {
  '85353-1': 'vitalspanel',
  '9279-1': 'resprate',
  '8867-4': 'heartrate',
  '2708-6': 'oxygensat',
  '59408-5': 'oxygensat',
  '8310-5': 'bodytemp',
  '8302-2': 'bodyheight',
  '9843-4': 'headcircum',
  '29463-7': 'bodyweight',
  '39156-5': 'bmi',
  '85354-9': 'bp',
};

/** The core vital-signs profiles an Observation's LOINC codes require. */
export function vitalSignsProfiles(obs: Record<string, unknown>): string[] {
  const codings = ((obs.code as { coding?: { system?: string; code?: string }[] } | undefined)?.coding ?? []).filter((c) => c?.system === 'http://loinc.org');
  const out: string[] = [];
  for (const c of codings) {
    const p = c.code ? VITAL_SIGNS[c.code] : undefined;
    if (p) out.push('http://hl7.org/fhir/StructureDefinition/' + p);
  }
  return out;
}
