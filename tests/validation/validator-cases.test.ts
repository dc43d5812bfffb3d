import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runValidatorCases } from '../../bench/validator-cases-runner.js';

/** The development half of the official R4 validator test cases, kept in shared/ beside the repository. */
function casesDir(): string {
  const candidates = [process.env.VALIDATOR_CASES, resolve(process.cwd(), '..', 'shared', 'validator-cases'), '/work/shared/validator-cases'];
  const found = candidates.find((d) => d && existsSync(join(d, 'manifest.json')));
  if (!found) throw new Error(`validator cases not found (looked in ${candidates.filter(Boolean).join(', ')}); set VALIDATOR_CASES`);
  return found;
}

describe('agreement with the HL7 Java validator on the R4 validator test cases', () => {
  it('agrees on valid/invalid for at least 92% of the usable cases (measured: 94.5%)', async () => {
    const report = await runValidatorCases(casesDir());
    const agree = report.results.filter((r) => r.agree).length;
    expect(report.results.length).toBeGreaterThan(150);
    expect(agree / report.results.length).toBeGreaterThanOrEqual(0.92);
  }, 120000);
});
