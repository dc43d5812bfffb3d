import type { OperationOutcome, OperationOutcomeIssue } from 'fhir/r4.js';

export type IssueSeverity = OperationOutcomeIssue['severity'];
export type IssueCode = OperationOutcomeIssue['code'];

/** Builds a one-issue OperationOutcome (R4 operationoutcome.html). */
export function outcome(
  severity: IssueSeverity,
  code: IssueCode,
  text: string,
  expression?: string,
): OperationOutcome {
  const issue: OperationOutcomeIssue = { severity, code, details: { text }, diagnostics: text };
  if (expression) issue.expression = [expression];
  return { resourceType: 'OperationOutcome', issue: [issue] };
}

/** The one error type of the FHIR layers: an HTTP status and the OperationOutcome that explains it. */
export class FhirError extends Error {
  constructor(
    readonly status: number,
    readonly outcome: OperationOutcome,
    readonly headers: Record<string, string> = {},
  ) {
    super(outcome.issue[0]?.diagnostics ?? `HTTP ${status}`);
    this.name = 'FhirError';
  }
}

export const allOk = (text = 'All OK'): OperationOutcome => outcome('information', 'informational', text);

export const badRequest = (text: string, expression?: string): FhirError =>
  new FhirError(400, outcome('error', 'invalid', text, expression));

export const notFound = (text: string): FhirError => new FhirError(404, outcome('error', 'not-found', text));

export const gone = (text: string): FhirError => new FhirError(410, outcome('error', 'deleted', text));

export const methodNotAllowed = (text: string): FhirError =>
  new FhirError(405, outcome('error', 'not-supported', text));

export const conflict = (text: string): FhirError => new FhirError(409, outcome('error', 'conflict', text));

export const preconditionFailed = (text: string): FhirError =>
  new FhirError(412, outcome('error', 'conflict', text));

export const tooLarge = (text: string): FhirError => new FhirError(413, outcome('error', 'too-costly', text));

export const unsupportedMediaType = (text: string): FhirError =>
  new FhirError(415, outcome('error', 'not-supported', text));

export const unprocessable = (text: string, expression?: string): FhirError =>
  new FhirError(422, outcome('error', 'processing', text, expression));

export const notSupported = (text: string): FhirError => new FhirError(400, outcome('error', 'not-supported', text));

export const forbidden = (text: string): FhirError => new FhirError(403, outcome('error', 'forbidden', text));

export function isFhirError(err: unknown): err is FhirError {
  return err instanceof FhirError;
}
