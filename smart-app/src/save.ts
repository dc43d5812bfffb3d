/**
 * One way to write: check each resource with $validate when the server offers it, show problems next to the fields,
 * then write; a 412 shows the conflict panel with the user's input kept.
 */
import type { OperationOutcome, Resource } from 'fhir/r4.js';
import type { AppContext } from './app-context.js';
import { changes, conflictPanel } from './conflict.js';
import { loadAll } from './data.js';
import { ConflictError, FhirError } from './fhir-api.js';
import { announce, clearStatus } from './ui.js';
import { clearIssues, hasErrors, showIssues } from './validation.js';

export interface Check {
  resource: Resource;
  /** The scope (see ui.ts field `at`) of the form fields that write this resource. */
  scope: string;
  profile?: string;
}

/** $validate every resource (when offered); shows the issues and returns false if any resource has errors. */
export async function validateAll(ctx: AppContext, form: HTMLElement, checks: Check[], clientIssues: { scope: string; outcome: OperationOutcome }[] = []): Promise<boolean> {
  clearIssues(form);
  let errors = 0;
  for (const c of clientIssues) errors += showIssues(form, c.scope, c.outcome, ctx.t);
  if (errors) {
    announce(ctx.t.status.fixErrors(errors), 'error');
    return false;
  }
  announce(ctx.t.status.checking);
  for (const c of checks) {
    if (!ctx.caps.validate(c.resource.resourceType)) continue;
    const outcome = await ctx.api.validate(c.resource, c.profile);
    if (hasErrors(outcome)) errors += showIssues(form, c.scope, outcome, ctx.t);
  }
  if (errors) announce(ctx.t.status.fixErrors(errors), 'error');
  return errors === 0;
}

/** A refused write: issues next to the fields (400/422 with an OperationOutcome) or a plain message. */
export function showWriteError(ctx: AppContext, form: HTMLElement, scope: string, err: unknown): void {
  if (err instanceof FhirError && err.outcome && hasErrors(err.outcome)) {
    const n = showIssues(form, scope, err.outcome, ctx.t);
    announce(ctx.t.status.fixErrors(n), 'error');
    return;
  }
  announce(`${ctx.t.status.failed} ${err instanceof Error ? err.message : ''}`.trim(), 'error');
}

/**
 * Updates `base` with the user's change (`apply`), guarded by If-Match. On 412 the current version is read, the
 * panel shows what changed since `base`, and "apply again" re-runs `apply` on the current version: the change is a
 * function of the stored resource, so re-applying never loses what the other person saved.
 */
export async function updateWithConflicts<T extends Resource>(
  ctx: AppContext,
  form: HTMLElement,
  base: T,
  apply: (current: T) => T,
  label: string,
  onSaved: (saved: T) => Promise<void> | void,
): Promise<void> {
  try {
    const saved = await ctx.api.update(apply(base));
    await onSaved(saved);
  } catch (err) {
    if (!(err instanceof ConflictError)) throw err;
    const current = await ctx.api.read<T>(base.resourceType as T['resourceType'], base.id!);
    showConflict(ctx, form, [{ label, changes: changes(base, current) }], async () => {
      await updateWithConflicts(ctx, form, current, apply, label, async (saved) => {
        await onSaved(saved);
        announce(ctx.t.conflict.reapplied);
      });
    });
  }
}

export function showConflict(ctx: AppContext, form: HTMLElement, diffs: Parameters<typeof conflictPanel>[1], reapply: () => Promise<void>): void {
  // A control inside a table row hands the panel to its section (data-conflict-host), where it has room.
  const host = form.closest<HTMLElement>('[data-conflict-host]') ?? form;
  host.querySelector('.conflict')?.remove();
  const panel = conflictPanel(
    ctx.t,
    diffs,
    () => {
      panel.remove();
      reapply().catch((err) => announce(`${ctx.t.status.failed} ${err instanceof Error ? err.message : ''}`, 'error'));
    },
    () => {
      panel.remove();
      ctx.state.planDraft = undefined;
      ctx.state.drafts = {};
      void reloadAndRender(ctx);
    },
  );
  host.prepend(panel);
  // The panel is an alertdialog and takes the focus: screen readers read its title; a second alert would repeat it.
  clearStatus();
  panel.focus();
}

export async function reloadAndRender(ctx: AppContext): Promise<void> {
  await loadAll(ctx);
  ctx.render();
}
