/**
 * Public API of the Caring Community FHIR validator: validates FHIR R4 JSON resources against the base specification
 * and any profiles, returning an OperationOutcome (FHIR R4 §5.1 Validation, §2.11 Profiling).
 */
import { createConformanceRegistry, type ConformanceRegistry, type CanonicalResource } from '../ig/conformance-registry.js';
import { InstanceValidator } from './instance-validator.js';
import { hasErrors, issue, toOutcome, type OperationOutcome } from './outcome.js';
import { ValidationContext } from './validation-context.js';
import { duplicateKeys } from './json-text.js';

export { hasErrors };
export type { OperationOutcome, OperationOutcomeIssue, IssueSeverity, IssueType } from './outcome.js';

/** Options of {@link createValidator}. */
export interface ValidatorOptions {
  /** FHIR NPM packages (`.tgz` files or unpacked folders) whose profiles, extensions and value sets to load. */
  packages?: string[];
  /** Loose conformance resources (StructureDefinition, ValueSet, CodeSystem, or Bundles of them). */
  resources?: CanonicalResource[];
  /** An existing registry to share (e.g. the server's); packages and resources are then added to it. */
  registry?: ConformanceRegistry;
}

/** Options of one {@link Validator.validate} call. */
export interface ValidateOptions {
  /** Canonical URLs (optionally `|version`) of profiles the resource must conform to, besides base R4. */
  profiles?: string[];
  /**
   * Only whether the resource is well-formed FHIR JSON (R4 §2.6): objects, arrays and primitives where the base
   * definitions put them, primitives of the right JSON type and lexical form, known properties, one type per choice.
   * No cardinality, bindings, invariants, extension definitions or profiles. What the server checks on every write.
   */
  shapeOnly?: boolean;
}

/** A validator bound to a set of conformance resources; compiled profiles are cached across calls. */
export interface Validator {
  /**
   * Validates one resource. Never throws: a non-object, JSON text that does not parse, or an internal failure
   * all yield an OperationOutcome with an error issue.
   */
  validate(resource: unknown, options?: ValidateOptions): OperationOutcome;
  /** The registry of conformance resources the validator resolves canonical URLs against. */
  readonly registry: ConformanceRegistry;
}

/** Creates a validator over R4 core plus the given packages and resources (start-up well under 2 s). */
export async function createValidator(options: ValidatorOptions = {}): Promise<Validator> {
  let registry = options.registry;
  if (registry) {
    for (const p of options.packages ?? []) await registry.addPackage(p);
    for (const r of options.resources ?? []) registry.add(r);
  } else {
    registry = await createConformanceRegistry({ packages: options.packages, resources: options.resources });
  }
  const engine = new InstanceValidator(registry);
  const reg = registry;
  return {
    registry: reg,
    validate(resource: unknown, opts: ValidateOptions = {}): OperationOutcome {
      let value = resource;
      let duplicates: string[] = [];
      if (typeof value === 'string') {
        duplicates = duplicateKeys(value);
        const parsed = parseJson(value);
        if ('error' in parsed) return toOutcome([issue('fatal', 'structure', `Error parsing JSON: ${parsed.error}`)]);
        value = parsed.value;
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        return toOutcome([issue('fatal', 'structure', 'The content is not a JSON object, so it cannot be a FHIR resource')]);
      }
      const ctx = new ValidationContext();
      ctx.shapeOnly = opts.shapeOnly ?? false;
      const rt = (value as { resourceType?: unknown }).resourceType;
      for (const d of duplicates) {
        const where = typeof rt === 'string' ? `${rt}.${d}` : d;
        ctx.error('structure', `The property '${d.split('.').pop()}' appears more than once in the JSON`, where);
      }
      try {
        engine.validateResource(value, typeof rt === 'string' ? rt : '', opts.profiles ?? [], ctx, true);
      } catch (e) {
        const failure = issue('fatal', 'exception', `Internal validator error: ${e instanceof Error ? e.message : String(e)}`);
        // Where it failed, for a bug report; the text above stays readable.
        if (e instanceof Error && e.stack) failure.diagnostics = e.stack.split('\n').slice(0, 4).join(' | ');
        ctx.issues.push(failure);
      }
      return toOutcome(dedupe(ctx.issues));
    },
  };
}

/**
 * JSON text to a value. Whole-line `//` comments are tolerated as the Java validator does (JSON5-style test cases);
 * anything else that does not parse is an error.
 */
function parseJson(text: string): { value: unknown } | { error: string } {
  try {
    return { value: JSON.parse(text) };
  } catch (e) {
    const stripped = text.replace(/^\s*\/\/.*$/gm, '');
    if (stripped !== text) {
      try {
        return { value: JSON.parse(stripped) };
      } catch {
        // fall through to the original message
      }
    }
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

/** The same issue found through two profiles is reported once. */
function dedupe(issues: OperationOutcome['issue']): OperationOutcome['issue'] {
  if (issues.length < 2) return issues;
  const seen = new Set<string>();
  return issues.filter((i) => {
    const k = `${i.severity}|${i.expression?.[0] ?? ''}|${i.details?.text ?? ''}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
