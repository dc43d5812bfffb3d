import type { TerminologyService } from '../terminology/value-set-expander.js';
import type { StructureDefinition } from './element-tree.js';
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
  // Most extensions name the type or the definition path of the element holding them: no instance path needed.
  const names = elementContextNames(sd);
  if (names.has(parentDefPath) || (parentType !== '' && names.has(parentType)) || names.has('Element') || names.has('Base')) return;
  const site = new UseSite(path, ctx, compiler, parentType, parentDefPath);
  if (sd.context.some((c) => site.allows(c, url))) return;
  ctx.error(
    'structure',
    `The extension ${url} is not allowed to be used at this point (allowed = ${sd.context.map((c) => `${c.type}=${c.expression}`).join('; ')})`,
    path,
  );
}

const contextNamesOf = new WeakMap<StructureDefinition, Set<string>>();

/** The element contexts of an extension (`[x]` dropped), worked out once per definition. */
function elementContextNames(sd: StructureDefinition): Set<string> {
  let names = contextNamesOf.get(sd);
  if (!names) {
    names = new Set((sd.context ?? []).filter((c) => c.type === 'element').map((c) => c.expression.replace(/\[x\]$/, '')));
    contextNamesOf.set(sd, names);
  }
  return names;
}

/**
 * Where an extension is used. Most contexts name the type or the definition path of the element holding it; the
 * instance path (`Patient.name`), which costs string work, is computed only for the contexts that need it.
 */
class UseSite {
  private relPath?: string;
  private names?: Set<string>;

  constructor(
    private readonly path: string,
    private readonly ctx: ValidationContext,
    private readonly compiler: ProfileCompiler,
    private readonly parentType: string,
    private readonly parentDefPath: string,
  ) {}

  /** The path of the element holding the extension, from its resource type, without indexes. */
  private get rel(): string {
    const resourceType = this.resourceType;
    this.relPath ??= resourceType + elementPath(this.path.slice(this.ctx.resourcePath.length)).replace(/\.(extension|modifierExtension)$/, '');
    return this.relPath;
  }

  private get resourceType(): string {
    return typeof this.ctx.resource.resourceType === 'string' ? this.ctx.resource.resourceType : '';
  }

  /** Every name the element holding the extension answers to as an element context. */
  private get candidates(): Set<string> {
    if (this.names) return this.names;
    const { rel, resourceType, parentType, parentDefPath } = this;
    const atRoot = rel === resourceType;
    const names = new Set(['Element', 'Base', rel, parentDefPath]);
    if (parentType) names.add(parentType);
    // R5 names the abstract parent of conformance resources; R4 extensions published later use it (§2.22 context).
    if (atRoot && this.compiler.typeTree(resourceType)?.children.has('url')) names.add('CanonicalResource').add('MetadataResource');
    if (atRoot) for (const c of [resourceType, 'Resource', 'DomainResource']) names.add(c);
    else names.add('BackboneElement');
    return (this.names = names);
  }

  allows(c: { type: string; expression: string }, url: string): boolean {
    if (c.type === 'fhirpath') return true;
    if (c.type === 'extension') return this.parentType === 'Extension' || this.rel.endsWith('.extension');
    const expr = c.expression.replace(/\[x\]$/, '');
    const { parentType, parentDefPath } = this;
    // The names that cost nothing first; the others need the instance path.
    if (expr === 'Element' || expr === 'Base' || expr === parentDefPath || (parentType !== '' && expr === parentType)) return true;
    if (this.candidates.has(expr)) return true;
    // R4 core's own snapshots put structuredefinition-fhir-type on ElementDefinition.type although its context says
    // ElementDefinition.type.code (later versions declare both): accept the usage the specification itself makes.
    if (url === FHIR_TYPE && expr === 'ElementDefinition.type.code' && this.candidates.has('ElementDefinition.type')) return true;
    // A datatype named as context (e.g. ElementDefinition) covers the parts of that datatype (ElementDefinition.type),
    // as R4 core's own definitions use them.
    if (/^[A-Z][A-Za-z]+$/.test(expr) && parentDefPath.startsWith(expr + '.')) return true;
    // A choice context (`Observation.value[x]`) covers its typed names (`Observation.valueQuantity`).
    return c.expression.endsWith('[x]') && this.rel.startsWith(expr) && /^[A-Z]/.test(this.rel.slice(expr.length));
  }
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
    const ok = display === concept.display || [concept.display, ...(concept.designation ?? []).map((d) => d.value ?? '')].some((d) => norm(d) === norm(display));
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
