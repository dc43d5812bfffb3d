/**
 * The care-plan form's state (drafts) and its conversion to and from PeerSupportCarePlan + LifeGoal resources. The
 * drafts outlive re-renders (language switch, conflicts), so what the user typed is never lost.
 */
import type { CarePlan, CarePlanActivity, Goal, Reference, Timing } from 'fhir/r4.js';
import { nowDateTime, today } from './resources.js';
import { CAREPLAN_CATEGORY, frenchConcept, GOAL_ACHIEVEMENT, LIFE_DOMAINS, PEER_ACTIVITIES, PROFILES, SYSTEMS } from './terminology.js';

export type Rhythm = 'weekly' | 'biweekly' | 'monthly' | 'other';

export interface GoalDraft {
  key: string;
  original?: Goal;
  text: string;
  domains: string[];
  lifecycle: Goal['lifecycleStatus'];
  achievement: string;
  newNote: string;
}

export interface ActivityDraft {
  key: string;
  original?: CarePlanActivity;
  code: string;
  performer: string;
  rhythm: Rhythm;
  start: string;
  status: NonNullable<CarePlanActivity['detail']>['status'];
  goals: string[];
  description: string;
}

export interface PlanDraft {
  original?: CarePlan;
  /** The draft as first read from the server: what the user changed is the difference from it (used on conflicts). */
  baseline?: PlanDraft;
  title: string;
  description: string;
  status: CarePlan['status'];
  goals: GoalDraft[];
  activities: ActivityDraft[];
  newNote: string;
}

let seq = 0;
const newKey = (prefix: string) => `${prefix}-new-${++seq}`;

export function emptyGoal(): GoalDraft {
  return { key: newKey('goal'), text: '', domains: [], lifecycle: 'active', achievement: '', newNote: '' };
}

export function emptyActivity(performer = ''): ActivityDraft {
  return { key: newKey('activity'), code: 'ecoute-active', performer, rhythm: 'weekly', start: today(), status: 'in-progress', goals: [], description: '' };
}

export function newPlanDraft(title: string): PlanDraft {
  return { title, description: '', status: 'active', goals: [emptyGoal()], activities: [], newNote: '' };
}

/** The reference a goal draft stands for: the saved goal, or a placeholder id until it is created. */
export function goalRef(g: GoalDraft): string {
  return g.original?.id ? `Goal/${g.original.id}` : `Goal/${g.key}`;
}

export function goalDraft(goal: Goal): GoalDraft {
  return {
    key: `Goal/${goal.id}`,
    original: goal,
    text: goal.description?.text ?? '',
    domains: (goal.category ?? []).flatMap((c) => c.coding ?? []).filter((c) => c.system === SYSTEMS.lifeDomain).map((c) => c.code ?? ''),
    lifecycle: goal.lifecycleStatus,
    achievement: goal.achievementStatus?.coding?.find((c) => c.system === SYSTEMS.goalAchievement)?.code ?? '',
    newNote: '',
  };
}

export function planDraft(plan: CarePlan, goals: Goal[]): PlanDraft {
  const draft = readPlanDraft(plan, goals);
  return { ...draft, baseline: readPlanDraft(plan, goals) };
}

function readPlanDraft(plan: CarePlan, goals: Goal[]): PlanDraft {
  const byRef = new Map(goals.map((g) => [`Goal/${g.id}`, g]));
  const planGoals = (plan.goal ?? []).map((r) => byRef.get(r.reference ?? '')).filter((g): g is Goal => !!g);
  return {
    original: plan,
    title: plan.title ?? '',
    description: plan.description ?? '',
    status: plan.status,
    goals: planGoals.map(goalDraft),
    activities: (plan.activity ?? []).filter(isPeerActivity).map((a, i) => ({
      key: `activity-${i}`,
      original: a,
      code: a.detail?.code?.coding?.find((c) => c.system === SYSTEMS.peerActivity)?.code ?? '',
      performer: a.detail?.performer?.[0]?.reference ?? '',
      rhythm: rhythmOf(a.detail?.scheduledTiming),
      start: a.detail?.scheduledTiming?.repeat?.boundsPeriod?.start ?? '',
      status: a.detail?.status ?? 'in-progress',
      goals: (a.detail?.goal ?? []).map((g) => g.reference ?? ''),
      description: a.detail?.description ?? '',
    })),
    newNote: '',
  };
}

function isPeerActivity(a: CarePlanActivity): boolean {
  return !!a.detail?.code?.coding?.some((c) => c.system === SYSTEMS.peerActivity);
}

export function rhythmOf(timing: Timing | undefined): Rhythm {
  const r = timing?.repeat;
  if (!r || (r.frequency ?? 1) !== 1) return 'other';
  if (r.periodUnit === 'wk' && r.period === 1) return 'weekly';
  if (r.periodUnit === 'wk' && r.period === 2) return 'biweekly';
  if (r.periodUnit === 'mo' && r.period === 1) return 'monthly';
  return 'other';
}

const RHYTHMS: Record<Exclude<Rhythm, 'other'>, { period: number; periodUnit: 'wk' | 'mo' }> = {
  weekly: { period: 1, periodUnit: 'wk' },
  biweekly: { period: 2, periodUnit: 'wk' },
  monthly: { period: 1, periodUnit: 'mo' },
};

/** A LifeGoal from its draft, kept on top of the stored goal so fields the app does not edit survive. */
export function toGoal(draft: GoalDraft, patient: Reference, author: Reference | undefined): Goal {
  const base: Goal = draft.original
    ? structuredClone(draft.original)
    : ({
        resourceType: 'Goal',
        startDate: today(),
        // The person set this goal and agrees with it as written (core goal-acceptance, as in the guide's examples).
        extension: [
          {
            url: 'http://hl7.org/fhir/StructureDefinition/goal-acceptance',
            extension: [
              { url: 'individual', valueReference: patient },
              { url: 'status', valueCode: 'agree' },
            ],
          },
        ],
      } as Goal);
  base.meta = { ...base.meta, profile: [...new Set([...(base.meta?.profile ?? []), PROFILES.lifeGoal])] };
  const otherCategories = (base.category ?? []).filter((c) => !c.coding?.some((x) => x.system === SYSTEMS.lifeDomain));
  base.category = [...draft.domains.map((code) => frenchConcept(SYSTEMS.lifeDomain, LIFE_DOMAINS, code)), ...otherCategories];
  // A translation of the person's words is stale once the words change.
  base.description = draft.text === base.description?.text ? base.description : { text: draft.text };
  base.lifecycleStatus = draft.lifecycle;
  if (draft.achievement) base.achievementStatus = frenchConcept(SYSTEMS.goalAchievement, GOAL_ACHIEVEMENT, draft.achievement);
  else delete base.achievementStatus;
  base.subject = patient;
  base.expressedBy ??= patient;
  if (draft.newNote.trim()) {
    base.note = [...(base.note ?? []), { ...(author ? { authorReference: author } : {}), time: nowDateTime(), text: draft.newNote.trim() }];
  }
  return base;
}

/** The PeerSupportCarePlan; `goalRefs` maps each goal draft's key to the reference of the saved goal. */
export function toCarePlan(
  draft: PlanDraft,
  patient: Reference,
  careTeam: Reference,
  goalRefs: Map<string, string>,
  author: Reference | undefined,
  peerDisplays: Map<string, string>,
): CarePlan {
  const base: CarePlan = draft.original
    ? structuredClone(draft.original)
    : ({
        resourceType: 'CarePlan',
        intent: 'plan',
        created: today(),
        period: { start: today() },
        // The person is the plan's author (their goals, their plan); the clinician who wrote it with them contributes.
        author: patient,
        ...(author ? { contributor: [author] } : {}),
      } as CarePlan);
  base.meta = { ...base.meta, profile: [...new Set([...(base.meta?.profile ?? []), PROFILES.carePlan])] };
  base.status = draft.status;
  base.intent ??= 'plan';
  const otherCategories = (base.category ?? []).filter((c) => !c.coding?.some((x) => x.system === SYSTEMS.careplanCategory));
  base.category = [frenchConcept(SYSTEMS.careplanCategory, [CAREPLAN_CATEGORY], CAREPLAN_CATEGORY.code), ...otherCategories];
  base.title = draft.title.trim() || undefined;
  base.description = draft.description.trim() || undefined;
  base.subject = patient;
  if (!base.careTeam?.some((r) => r.reference === careTeam.reference)) base.careTeam = [careTeam, ...(base.careTeam ?? [])];
  base.goal = draft.goals.map((g) => ({ reference: goalRefs.get(g.key) ?? g.key }));
  const others = (base.activity ?? []).filter((a) => !isPeerActivity(a));
  base.activity = [...draft.activities.map((a) => toActivity(a, goalRefs, peerDisplays)), ...others];
  if (!base.activity.length) delete base.activity;
  if (draft.newNote.trim()) {
    base.note = [...(base.note ?? []), { ...(author ? { authorReference: author } : {}), time: nowDateTime(), text: draft.newNote.trim() }];
  }
  return base;
}

function toActivity(a: ActivityDraft, goalRefs: Map<string, string>, peerDisplays: Map<string, string>): CarePlanActivity {
  const original = a.original?.detail;
  let timing: Timing;
  if (a.rhythm === 'other' && original?.scheduledTiming) {
    timing = structuredClone(original.scheduledTiming);
  } else {
    const rhythm = RHYTHMS[a.rhythm === 'other' ? 'weekly' : a.rhythm];
    const sameRhythm = original?.scheduledTiming && rhythmOf(original.scheduledTiming) === a.rhythm;
    // Keep the recorded day and time of the meetings when the rhythm did not change.
    const repeat = sameRhythm ? structuredClone(original.scheduledTiming!.repeat ?? {}) : {};
    timing = { repeat: { ...repeat, frequency: 1, period: rhythm.period, periodUnit: rhythm.periodUnit } };
  }
  if (a.start) timing.repeat = { ...timing.repeat, boundsPeriod: { ...timing.repeat?.boundsPeriod, start: a.start } };
  const goals = a.goals.map((key) => ({ reference: goalRefs.get(key) ?? key }));
  return {
    ...(a.original ? structuredClone(a.original) : {}),
    detail: {
      ...(original ? structuredClone(original) : {}),
      kind: original?.kind ?? 'Appointment',
      code: frenchConcept(SYSTEMS.peerActivity, PEER_ACTIVITIES, a.code),
      status: a.status,
      scheduledTiming: timing,
      performer: a.performer ? [{ reference: a.performer, ...(peerDisplays.get(a.performer) ? { display: peerDisplays.get(a.performer) } : {}) }] : [],
      ...(goals.length ? { goal: goals } : { goal: undefined }),
      description: a.description.trim() || undefined,
    },
  };
}

const GOAL_FIELDS = ['text', 'domains', 'lifecycle', 'achievement'] as const;
const PLAN_FIELDS = ['title', 'description', 'status'] as const;
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * After a conflict: the current versions from the server, with only what the user changed (mine against baseline)
 * applied on top, so the other person's edits to other fields are kept.
 */
export function rebasePlan(mine: PlanDraft, currentPlan: CarePlan | undefined, currentGoals: Goal[]): PlanDraft {
  const baseline = mine.baseline;
  const fresh = currentPlan ? readPlanDraft(currentPlan, currentGoals) : undefined;
  if (!baseline || !fresh) return mine;
  const out: PlanDraft = { ...fresh, baseline: readPlanDraft(currentPlan!, currentGoals), newNote: mine.newNote };
  for (const f of PLAN_FIELDS) if (!same(mine[f], baseline[f])) (out as unknown as Record<string, unknown>)[f] = mine[f];
  const baseGoals = new Map(baseline.goals.map((g) => [g.key, g]));
  const freshGoals = new Map(fresh.goals.map((g) => [g.key, g]));
  const byId = new Map(currentGoals.map((g) => [`Goal/${g.id}`, g]));
  out.goals = mine.goals.map((g) => {
    const base = baseGoals.get(g.key);
    const current = freshGoals.get(g.key) ?? (byId.get(g.key) ? goalDraft(byId.get(g.key)!) : undefined);
    if (!base || !current) return g;
    const merged: GoalDraft = { ...current, newNote: g.newNote };
    for (const f of GOAL_FIELDS) if (!same(g[f], base[f])) (merged as unknown as Record<string, unknown>)[f] = g[f];
    return merged;
  });
  if (!same(mine.activities.map(strip), baseline.activities.map(strip))) out.activities = mine.activities;
  return out;
}

const strip = (a: ActivityDraft) => ({ ...a, original: undefined });
