/**
 * Runs the R4 validator test cases of FHIR/fhir-test-cases (as kept in shared/validator-cases) against this validator
 * and compares valid (0 errors) vs invalid with the HL7 Java validator's recorded outcome. Shared by the bench and the
 * regression test; no case is special-cased.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { createConformanceRegistry, type CanonicalResource } from '../src/ig/conformance-registry.js';
import { createValidator, hasErrors, type OperationOutcome } from '../src/validation/index.js';

interface Outcomeish {
  errorCount?: number;
  outcome?: OperationOutcome;
}

interface Step {
  source?: string;
  java?: string | Outcomeish;
}

interface ManifestCase {
  name: string;
  file: string;
  version?: string;
  module?: string;
  java?: string | Outcomeish;
  supporting?: string[];
  profiles?: string[];
  packages?: string[];
  profile?: Step & { supporting?: string[] };
  logical?: unknown;
}


/** The development half of the R4 validator test cases: shared/ beside the repository, or VALIDATOR_CASES. */
export function validatorCasesDir(): string {
  const dir = process.env.VALIDATOR_CASES ?? fileURLToPath(new URL('../../shared/validator-cases', import.meta.url));
  if (!existsSync(join(dir, 'manifest.json'))) throw new Error(`validator cases not found in ${dir}; set VALIDATOR_CASES`);
  return dir;
}

export interface CaseResult {
  name: string;
  step: 'base' | 'profile';
  module: string;
  expectedErrors: number;
  actualErrors: number;
  agree: boolean;
  firstError?: string;
  expectedFirst?: string;
  ms: number;
}

export interface CasesReport {
  results: CaseResult[];
  unusable: { name: string; reason: string }[];
}

function javaErrors(dir: string, java: string | Outcomeish): { count: number; first?: string } | undefined {
  let outcome: OperationOutcome | undefined;
  if (typeof java === 'string') {
    const p = join(dir, 'outcomes', java);
    if (!existsSync(p)) return undefined;
    outcome = JSON.parse(readFileSync(p, 'utf8')) as OperationOutcome;
  } else if (java.outcome) {
    outcome = java.outcome;
  } else if (typeof java.errorCount === 'number') {
    return { count: java.errorCount };
  }
  if (!outcome) return undefined;
  const errors = (outcome.issue ?? []).filter((i) => i.severity === 'error' || i.severity === 'fatal');
  return { count: errors.length, first: errors[0]?.details?.text ?? errors[0]?.diagnostics };
}

/** Why a case cannot be run here (JSON-only, no terminology server, no package downloads), or undefined. */
function unusableReason(dir: string, c: ManifestCase): string | undefined {
  const files = [c.file, ...(c.supporting ?? []), ...(c.profiles ?? []), ...(c.profile?.source ? [c.profile.source] : []), ...(c.profile?.supporting ?? [])];
  if (c.file.endsWith('.xml')) return 'xml';
  if (files.some((f) => f.endsWith('.xml'))) return 'xml supporting file';
  if (c.module === 'tx') return 'tx module';
  if (c.packages?.length) return 'packages';
  if (!c.java) return 'no java outcome';
  if (files.some((f) => !existsSync(join(dir, f)))) return 'missing file';
  return undefined;
}

function readResource(dir: string, f: string): CanonicalResource | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, f), 'utf8')) as CanonicalResource;
  } catch {
    return undefined;
  }
}

/** Runs every usable case of a validator-cases folder. */
export async function runValidatorCases(dir: string): Promise<CasesReport> {
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { 'test-cases': ManifestCase[] };
  const results: CaseResult[] = [];
  const unusable: { name: string; reason: string }[] = [];
  for (const c of manifest['test-cases']) {
    const reason = unusableReason(dir, c);
    if (reason) {
      unusable.push({ name: c.name, reason });
      continue;
    }
    // As the Java test harness does: the base step loads `supporting` and `profiles`; the profile step adds its own.
    const load = (files: string[]): CanonicalResource[] =>
      files.map((f) => readResource(dir, f)).filter((r): r is CanonicalResource => r !== undefined);
    const baseFiles = [...(c.supporting ?? []), ...(c.profiles ?? [])];
    const text = readFileSync(join(dir, c.file), 'utf8');
    const steps: { step: 'base' | 'profile'; java: string | Outcomeish; profiles: string[]; files: string[] }[] = [
      { step: 'base', java: c.java!, profiles: [], files: baseFiles },
    ];
    if (c.profile?.java && c.profile.source) {
      const sd = readResource(dir, c.profile.source);
      const files = [...baseFiles, c.profile.source, ...(c.profile.supporting ?? [])];
      if (sd?.url) steps.push({ step: 'profile', java: c.profile.java, profiles: [sd.url], files });
    }
    for (const s of steps) {
      const registry = await createConformanceRegistry({ resources: load(s.files) });
      const validator = await createValidator({ registry });
      const expected = javaErrors(dir, s.java);
      if (!expected) {
        unusable.push({ name: `${c.name} (${s.step})`, reason: 'missing java outcome' });
        continue;
      }
      const t = performance.now();
      const outcome = c.file.endsWith('.ndjson') ? validateNdjson(validator, text, s.profiles) : validator.validate(text, { profiles: s.profiles });
      const ms = performance.now() - t;
      const errors = outcome.issue.filter((i) => i.severity === 'error' || i.severity === 'fatal');
      results.push({
        name: c.name,
        step: s.step,
        module: c.module ?? '',
        expectedErrors: expected.count,
        actualErrors: errors.length,
        agree: (expected.count === 0) === !hasErrors(outcome),
        firstError: errors[0]?.details?.text,
        expectedFirst: expected.first,
        ms,
      });
    }
  }
  return { results, unusable };
}

function validateNdjson(validator: Awaited<ReturnType<typeof createValidator>>, text: string, profiles: string[]): OperationOutcome {
  const issues: OperationOutcome['issue'] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    for (const is of validator.validate(line, { profiles }).issue) {
      if (is.severity !== 'information') issues.push({ ...is, expression: is.expression?.map((e) => `line ${i + 1}: ${e}`) });
    }
  });
  return { resourceType: 'OperationOutcome', issue: issues };
}
