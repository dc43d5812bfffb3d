// Minimal shapes of the FHIR JSON this module reads and writes. The installed @types/fhir describes STU3, not R4,
// so the guide's code keeps to the few fields it touches and treats everything else as unknown JSON.
export interface FhirResourceJson {
  resourceType: string;
  id?: string;
  meta?: { profile?: string[]; [key: string]: unknown };
  url?: string;
  version?: string;
  [key: string]: unknown;
}

export interface BundleEntryJson {
  fullUrl?: string;
  resource?: FhirResourceJson;
  request?: { method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH'; url: string };
}

export interface BundleJson extends FhirResourceJson {
  resourceType: 'Bundle';
  type: string;
  entry?: BundleEntryJson[];
}
