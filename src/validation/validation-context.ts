import type { OperationOutcomeIssue } from './outcome.js';
import { issue, type IssueSeverity, type IssueType } from './outcome.js';

/** Resources of the current Bundle indexed for reference resolution (FHIR R4 §2.36.4 resolving references in Bundles). */
export interface BundleIndex {
  type?: string;
  byFullUrl: Map<string, unknown[]>;
  /** `Type/id` → resources, for relative references resolved against the entries' fullUrl bases. */
  byTypeId: Map<string, unknown[]>;
}

/** The state of one validation run, threaded through the walk. */
export class ValidationContext {
  readonly issues: OperationOutcomeIssue[] = [];
  /** %rootResource: the resource that holds contained ones (FHIR R4 §2.25.0 FHIRPath environment variables). */
  root: Record<string, unknown> = {};
  /** %resource: the resource the current element belongs to. */
  resource: Record<string, unknown> = {};
  bundle?: BundleIndex;
  /** Location of the current resource in the instance, and the type of the object being walked. */
  resourcePath = '';
  currentType = '';
  /** ElementDefinition path of the element being walked (e.g. `Address.line`), for extension contexts. */
  currentDefPath = '';
  depth = 0;
  /** Only whether the JSON is well-formed FHIR (ValidateOptions.shapeOnly). */
  shapeOnly = false;

  add(severity: IssueSeverity, code: IssueType, text: string, path: string): void {
    this.issues.push(issue(severity, code, text, path));
  }

  error(code: IssueType, text: string, path: string): void {
    this.add('error', code, text, path);
  }

  warning(code: IssueType, text: string, path: string): void {
    this.add('warning', code, text, path);
  }

  /** A scratch context for trial validation (slice membership by profile): same resources, own issues. */
  fork(): ValidationContext {
    const c = new ValidationContext();
    c.root = this.root;
    c.resource = this.resource;
    c.bundle = this.bundle;
    c.depth = this.depth;
    c.resourcePath = this.resourcePath;
    c.shapeOnly = this.shapeOnly;
    return c;
  }
}
