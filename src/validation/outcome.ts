/** OperationOutcome types and builders (FHIR R4 §OperationOutcome, IssueType value set). */

export type IssueSeverity = 'fatal' | 'error' | 'warning' | 'information';

/** Codes of http://hl7.org/fhir/ValueSet/issue-type used by the validator. */
export type IssueType =
  | 'invalid'
  | 'structure'
  | 'required'
  | 'value'
  | 'invariant'
  | 'code-invalid'
  | 'not-found'
  | 'not-supported'
  | 'business-rule'
  | 'processing'
  | 'exception'
  | 'informational'
  | 'extension'
  | 'duplicate';

export interface OperationOutcomeIssue {
  severity: IssueSeverity;
  code: IssueType;
  details?: { text: string };
  diagnostics?: string;
  expression?: string[];
}

export interface OperationOutcome {
  resourceType: 'OperationOutcome';
  issue: OperationOutcomeIssue[];
}

/** Builds one issue; `expression` is the FHIRPath location of the offending element. */
export function issue(severity: IssueSeverity, code: IssueType, text: string, expression?: string): OperationOutcomeIssue {
  const i: OperationOutcomeIssue = { severity, code, details: { text }, diagnostics: text };
  if (expression) i.expression = [expression];
  return i;
}

/** True when the outcome holds an issue of severity error or fatal (the resource is invalid). */
export function hasErrors(outcome: OperationOutcome): boolean {
  return outcome.issue.some((i) => i.severity === 'error' || i.severity === 'fatal');
}

/** An outcome for a resource with no issues: R4 requires at least one issue, so say "all OK" (information). */
export function toOutcome(issues: OperationOutcomeIssue[]): OperationOutcome {
  if (issues.length === 0) {
    return { resourceType: 'OperationOutcome', issue: [issue('information', 'informational', 'All OK')] };
  }
  return { resourceType: 'OperationOutcome', issue: issues };
}
