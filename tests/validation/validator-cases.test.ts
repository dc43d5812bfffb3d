import { runValidatorCases, validatorCasesDir } from '../../bench/validator-cases-runner.js';

describe('agreement with the HL7 Java validator on the R4 validator test cases', () => {
  it('agrees on valid/invalid for at least 92% of the usable cases (measured: 94.5%)', async () => {
    const report = await runValidatorCases(validatorCasesDir());
    const agree = report.results.filter((r) => r.agree).length;
    expect(report.results.length).toBeGreaterThan(150);
    expect(agree / report.results.length).toBeGreaterThanOrEqual(0.92);
  }, 120000);
});
