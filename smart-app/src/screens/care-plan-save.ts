/**
 * Saving the plan: the app's own checks (the person's words, a life domain, a peer for each activity), then
 * $validate of every goal and the plan, then the writes: goals first (the plan points to them), then the plan. A
 * conflict on any of them re-reads the current versions and offers to apply the user's changes on top of them.
 */
import type { CarePlan, Goal, OperationOutcome, OperationOutcomeIssue, Reference } from 'fhir/r4.js';
import type { AppContext } from '../app-context.js';
import { goalRef, rebasePlan, toCarePlan, toGoal, type PlanDraft } from '../care-plan-model.js';
import { changes } from '../conflict.js';
import { ConflictError } from '../fhir-api.js';
import { personName } from '../resources.js';
import { reloadAndRender, showConflict, showWriteError, validateAll, type Check } from '../save.js';
import { announce, busy } from '../ui.js';
import { issue } from '../validation.js';

/** Returns whether everything was saved (false: problems shown, or a conflict offered). */
export async function savePlan(ctx: AppContext, form: HTMLElement, button: HTMLButtonElement, d: PlanDraft): Promise<boolean> {
  const { t } = ctx;
  const team = ctx.state.teams[0];
  const teamRef: Reference = { reference: `CareTeam/${team.id}`, ...(team.name ? { display: team.name } : {}) };
  const peerDisplays = new Map(ctx.state.peers.map((p) => [`RelatedPerson/${p.id}`, personName(p)]));
  const client: { scope: string; outcome: OperationOutcome }[] = [];
  const add = (scope: string, problems: OperationOutcomeIssue[]) => problems.length && client.push({ scope, outcome: { resourceType: 'OperationOutcome', issue: problems } });
  add('plan', d.goals.length ? [] : [issue('CarePlan.goal', t.plan.needGoal)]);
  for (const g of d.goals) {
    add(g.key, [
      ...(g.text.trim() ? [] : [issue('Goal.description.text', t.validation.required)]),
      ...(g.domains.length ? [] : [issue('Goal.category', t.validation.required)]),
    ]);
  }
  add('plan', d.activities.flatMap((a, i) => (a.performer ? [] : [issue(`CarePlan.activity[${i}].detail.performer`, t.validation.required)])));

  const goalRefs = () => new Map(d.goals.map((g) => [g.key, goalRef(g)]));
  const goals = d.goals.map((g) => toGoal(g, ctx.patientRef, ctx.user));
  const plan = () => toCarePlan(d, ctx.patientRef, teamRef, goalRefs(), ctx.user, peerDisplays);
  const checks: Check[] = [...goals.map((g, i) => ({ resource: g, scope: d.goals[i].key })), { resource: plan(), scope: 'plan' }];

  busy(button, true);
  let scope = 'plan';
  try {
    if (!(await validateAll(ctx, form, checks, client))) return false;
    announce(t.status.saving);
    const conflicts: { label: string; base: Goal | CarePlan }[] = [];
    for (const [i, g] of d.goals.entries()) {
      scope = g.key;
      const resource = goals[i];
      if (!g.original) g.original = await ctx.api.create(resource);
      else if (changes(g.original, resource).length) {
        try {
          g.original = await ctx.api.update(resource);
        } catch (err) {
          if (!(err instanceof ConflictError)) throw err;
          conflicts.push({ label: t.plan.goal(i + 1), base: g.original });
        }
      }
    }
    scope = 'plan';
    if (!conflicts.length) {
      const resource = plan();
      try {
        d.original = d.original ? await ctx.api.update(resource) : await ctx.api.create(resource);
      } catch (err) {
        if (!(err instanceof ConflictError) || !d.original) throw err;
        conflicts.push({ label: t.plan.heading, base: d.original });
      }
    }
    if (conflicts.length) {
      await offerRebase(ctx, form, button, d, conflicts);
      return false;
    }
    ctx.state.planDraft = undefined;
    await reloadAndRender(ctx);
    announce(t.plan.saved);
    document.getElementById('plan-heading')?.focus();
    return true;
  } catch (err) {
    showWriteError(ctx, form, scope, err);
    return false;
  } finally {
    busy(button, false);
  }
}

async function offerRebase(ctx: AppContext, form: HTMLElement, button: HTMLButtonElement, d: PlanDraft, conflicts: { label: string; base: Goal | CarePlan }[]): Promise<void> {
  const current = await Promise.all(conflicts.map((c) => ctx.api.read<Goal | CarePlan>(c.base.resourceType, c.base.id!)));
  const diffs = conflicts.map((c, i) => ({ label: c.label, changes: changes(c.base, current[i]) }));
  showConflict(ctx, form, diffs, async () => {
    const plan = current.find((r): r is CarePlan => r.resourceType === 'CarePlan') ?? (await ctx.api.read<CarePlan>('CarePlan', d.original!.id!));
    const fresh = new Map(current.filter((r): r is Goal => r.resourceType === 'Goal').map((g) => [g.id, g]));
    const goals = d.goals.map((g) => (g.original?.id && fresh.get(g.original.id)) || g.original).filter((g): g is Goal => !!g);
    const rebased = rebasePlan(d, plan, goals);
    ctx.state.planDraft = rebased;
    if (await savePlan(ctx, form, button, rebased)) announce(ctx.t.conflict.reapplied);
  });
}
