import fhirpath from 'fhirpath';

/** Compares two UCUM quantities with FHIRPath's unit conversion; undefined when not comparable. */
export function compareQuantities(a: { value?: number; code?: string }, b: { value?: number; code?: string }): number | undefined {
  if (typeof a.value !== 'number' || typeof b.value !== 'number' || !a.code || !b.code) return undefined;
  const q = (x: { value?: number; code?: string }): string => `${x.value} '${String(x.code).replace(/'/g, "\\'")}'`;
  try {
    const lt = (fhirpath.evaluate({}, `${q(a)} < ${q(b)}`) as unknown[])[0];
    const gt = (fhirpath.evaluate({}, `${q(a)} > ${q(b)}`) as unknown[])[0];
    if (typeof lt !== 'boolean' || typeof gt !== 'boolean') return undefined;
    return lt ? -1 : gt ? 1 : 0;
  } catch {
    return undefined;
  }
}
