import type { TerminologyService } from '../terminology/value-set-expander.js';
import type { ProfileCompiler } from './profile-compiler.js';
import type { ValidationContext } from './validation-context.js';

const FHIR_TYPE = 'http://hl7.org/fhir/StructureDefinition/structuredefinition-fhir-type';

/** A path without indices (e.g. `.name[0].given` → `.name.given`). */
function elementPath(path: string): string {
  return path.replace(/\[\d+\]/g, '');
}

/**
 * Extension context (FHIR R4 §2.22.0.1 StructureDefinition.context): where an extension may be used. `parentPath` is
 * the element holding the extension, `parentType` its type.
 */
export function checkExtensionContext(ext: Record<string, unknown>, path: string, ctx: ValidationContext, compiler: ProfileCompiler, parentType: string, parentDefPath: string): void {
  const url = ext.url;
  if (typeof url !== 'string') return;
  const sd = compiler.structure(url);
  if (!sd?.context?.length) return;
  const resourceType = typeof ctx.resource.resourceType === 'string' ? ctx.resource.resourceType : '';
  const rel = resourceType + elementPath(path.slice(ctx.resourcePath.length)).replace(/\.(extension|modifierExtension)$/, '');
  const atRoot = rel === resourceType;
  const candidates = new Set(['Element', 'Base', rel, parentDefPath]);
  if (parentType) candidates.add(parentType);
  // R5 names the abstract parent of conformance resources; R4 extensions published later use it (§2.22 context).
  if (atRoot && compiler.typeTree(resourceType)?.children.has('url')) candidates.add('CanonicalResource').add('MetadataResource');
  if (atRoot) for (const c of [resourceType, 'Resource', 'DomainResource']) candidates.add(c);
  else candidates.add('BackboneElement');
  const inExtension = rel.endsWith('.extension') || parentType === 'Extension';
  for (const c of sd.context) {
    if (c.type === 'fhirpath') return;
    if (c.type === 'extension') {
      if (inExtension) return;
      continue;
    }
    const expr = c.expression.replace(/\[x\]$/, '');
    if (candidates.has(expr)) return;
    // R4 core's own snapshots put structuredefinition-fhir-type on ElementDefinition.type although its context says
    // ElementDefinition.type.code (later versions declare both): accept the usage the specification itself makes.
    if (url === FHIR_TYPE && expr === 'ElementDefinition.type.code' && candidates.has('ElementDefinition.type')) return;
    // A datatype named as context (e.g. ElementDefinition) covers the parts of that datatype (ElementDefinition.type),
    // as R4 core's own definitions use them.
    if (/^[A-Z][A-Za-z]+$/.test(expr) && parentDefPath.startsWith(expr + '.')) return;
    // A choice context (`Observation.value[x]`) covers its typed names (`Observation.valueQuantity`).
    if (c.expression.endsWith('[x]') && rel.startsWith(expr) && /^[A-Z]/.test(rel.slice(expr.length))) return;
  }
  ctx.error(
    'structure',
    `The extension ${url} is not allowed to be used at this point (allowed = ${sd.context.map((c) => `${c.type}=${c.expression}`).join('; ')})`,
    path,
  );
}

/** A code from a code system held completely in the registry must exist in it (FHIR R4 §4.1.2 Coding). */
export function checkCodingInSystem(value: unknown, path: string, ctx: ValidationContext, terminology: TerminologyService): void {
  const c = value as { system?: unknown; code?: unknown };
  if (typeof c?.system !== 'string' || typeof c.code !== 'string') return;
  const all = terminology.codeSystem(c.system);
  if (!all && terminology.isValueSet(c.system)) {
    ctx.error('invalid', `The Coding references a value set, not a code system ('${c.system}')`, `${path}.system`);
    return;
  }
  if (all && !all.has(c.code)) ctx.error('code-invalid', `Unknown code '${c.code}' in the CodeSystem '${c.system}'`, `${path}.code`);
  const concept = all?.get(c.code) as { display?: string; designation?: { value?: string }[] } | undefined;
  const display = (value as { display?: unknown }).display;
  // Display mismatches are warnings, not errors: this project's users write fr-CA displays for codes whose code
  // systems carry English only (the Java validator has the same switch, display issues as warnings).
  if (concept?.display && typeof display === 'string') {
    const norm = (s: string): string => s.toLowerCase().replace(/\s+/g, ' ').trim();
    const ok = [concept.display, ...(concept.designation ?? []).map((d) => d.value ?? '')].some((d) => norm(d) === norm(display));
    if (!ok) ctx.warning('invalid', `Wrong Display Name '${display}' for ${c.system}#${c.code}. Valid display is '${concept.display}'`, `${path}.display`);
  }
}

/** Attachment.size is the size of the data before base64 encoding (FHIR R4 §2.24.0.4 Attachment). */
export function checkAttachment(value: unknown, path: string, ctx: ValidationContext): void {
  const a = value as { data?: unknown; size?: unknown };
  if (typeof a?.data !== 'string' || typeof a.size !== 'number') return;
  if (!/^[A-Za-z0-9+/=\s]*$/.test(a.data)) return; // reported as a base64Binary format error
  const actual = Buffer.from(a.data, 'base64').length;
  if (actual !== a.size) ctx.error('structure', `Stated Attachment Size ${a.size} does not match actual attachment size ${actual}`, `${path}.size`);
}
