/**
 * The peer-support plan: the person's life goals in their own words (domains, where each goal stands, progress,
 * notes) and the peers' activities with their rhythm. The form edits drafts (care-plan-model.ts); saving is in
 * care-plan-save.ts.
 */
import type { Annotation } from 'fhir/r4.js';
import type { AppContext } from '../app-context.js';
import { emptyActivity, emptyGoal, newPlanDraft, planDraft, type ActivityDraft, type GoalDraft, type PlanDraft } from '../care-plan-model.js';
import { h } from '../h.js';
import { formatDate } from '../i18n/index.js';
import { personName } from '../resources.js';
import { GOAL_ACHIEVEMENT, LIFE_DOMAINS, PEER_ACTIVITIES } from '../terminology.js';
import { check, field, fieldset, input, select, textarea } from '../ui.js';
import { savePlan } from './care-plan-save.js';

export function carePlanScreen(ctx: AppContext): HTMLElement {
  const { t, state } = ctx;
  const section = h('section', { 'aria-labelledby': 'plan-heading' }, h('h2', { id: 'plan-heading', tabindex: '-1' }, t.plan.heading));
  if (!state.teams.length) {
    section.append(h('p', {}, t.plan.needTeam));
    return section;
  }
  if (!state.planDraft && state.plan) state.planDraft = planDraft(state.plan, state.goals);
  if (!state.planDraft) {
    const start = h('button', { type: 'button', class: 'primary' }, t.plan.start);
    start.addEventListener('click', () => {
      state.planDraft = newPlanDraft(t.plan.defaultTitle(ctx.patient.name?.[0]?.given?.[0] ?? personName(ctx.patient)));
      ctx.render();
      document.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    });
    section.append(h('p', {}, t.plan.none), start);
    return section;
  }
  section.append(planForm(ctx, state.planDraft));
  return section;
}

function planForm(ctx: AppContext, d: PlanDraft): HTMLElement {
  const { t } = ctx;
  const form = h('form', { class: 'plan', novalidate: true });
  const rerender = (focusSelector?: string) => {
    ctx.render();
    if (focusSelector) document.querySelector<HTMLElement>(focusSelector)?.focus();
  };
  const statuses = Object.entries(t.plan.statuses);
  const save = h('button', { type: 'submit', class: 'primary' }, t.plan.save);
  form.append(
    h('div', { class: 'row' },
      field({ label: t.plan.title, control: input('text', d.title, (v) => (d.title = v), { 'data-autofocus': '' }), at: 'plan:CarePlan.title' }),
      field({ label: t.plan.status, control: select(statuses, d.status, (v) => (d.status = v as PlanDraft['status'])), at: 'plan:CarePlan.status', required: true })),
    field({ label: t.plan.description, control: textarea(d.description, (v) => (d.description = v)), at: 'plan:CarePlan.description' }),
    h('fieldset', { class: 'field group', 'data-at': 'plan:CarePlan.goal', 'aria-describedby': 'plan-goals-error' },
      h('legend', {}, h('h3', {}, t.plan.goals)),
      h('p', { class: 'field-error', id: 'plan-goals-error', hidden: true }),
      d.goals.map((g, i) => goalEditor(ctx, d, g, i, rerender)),
      h('button', { type: 'button', onclick: () => { d.goals.push(emptyGoal()); rerender(`#goal-text-${d.goals.length - 1}`); } }, t.plan.addGoal)),
    h('fieldset', { class: 'field group', 'data-at': 'plan:CarePlan.activity', 'data-invariants': 'cs-cp-1', 'aria-describedby': 'plan-activities-error' },
      h('legend', {}, h('h3', {}, t.plan.activities)),
      h('p', { class: 'field-error', id: 'plan-activities-error', hidden: true }),
      d.activities.map((a, i) => activityEditor(ctx, d, a, i, rerender)),
      ctx.state.peers.some((p) => p.active !== false)
        ? h('button', { type: 'button', onclick: () => { d.activities.push(emptyActivity(firstPeer(ctx))); rerender(`#activity-code-${d.activities.length - 1}`); } }, t.plan.addActivity)
        : h('p', { class: 'help' }, t.plan.needPeer)),
    notes(ctx, d.original?.note) ?? '',
    field({ label: t.plan.planNote, control: textarea(d.newNote, (v) => (d.newNote = v)), at: 'plan:CarePlan.note' }),
    h('div', { class: 'actions sticky' }, save),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void savePlan(ctx, form, save, d);
  });
  return form;
}

function firstPeer(ctx: AppContext): string {
  const p = ctx.state.peers.find((x) => x.active !== false);
  return p ? `RelatedPerson/${p.id}` : '';
}

function goalEditor(ctx: AppContext, d: PlanDraft, g: GoalDraft, i: number, rerender: (f?: string) => void): HTMLElement {
  const { t, lang } = ctx;
  const s = g.key;
  const headingId = `goal-heading-${i}`;
  const domains = new Set(g.domains);
  const achievements: [string, string][] = [['', t.plan.achievementNone], ...GOAL_ACHIEVEMENT.map((c): [string, string] => [c.code, c[lang]])];
  return h('article', { class: 'goal card', 'aria-labelledby': headingId },
    h('h4', { id: headingId }, t.plan.goal(i + 1)),
    field({ label: t.plan.goalText, help: t.plan.goalTextHelp, control: textarea(g.text, (v) => (g.text = v), { id: `goal-text-${i}`, rows: '2', lang: '' }), at: `${s}:Goal.description.text ${s}:Goal.description`, required: true }),
    fieldset({
      legend: t.plan.domains,
      cls: 'domains',
      at: `${s}:Goal.category`,
      children: LIFE_DOMAINS.map((c) => check(c[lang], domains.has(c.code), (on) => {
        if (on) domains.add(c.code);
        else domains.delete(c.code);
        g.domains = [...domains];
      }, { value: c.code })),
    }),
    h('div', { class: 'row' },
      field({ label: t.plan.lifecycle, control: select(Object.entries(t.plan.lifecycles), g.lifecycle, (v) => (g.lifecycle = v as GoalDraft['lifecycle'])), at: `${s}:Goal.lifecycleStatus`, required: true }),
      field({ label: t.plan.achievement, control: select(achievements, g.achievement, (v) => (g.achievement = v)), at: `${s}:Goal.achievementStatus`, invariants: 'cs-goal-1' })),
    notes(ctx, g.original?.note),
    field({ label: t.plan.goalNote, control: textarea(g.newNote, (v) => (g.newNote = v)), at: `${s}:Goal.note` }),
    !g.original && d.goals.length > 1
      ? h('button', { type: 'button', class: 'link', onclick: () => {
          d.goals.splice(i, 1);
          for (const a of d.activities) a.goals = a.goals.filter((k) => k !== g.key);
          rerender('#plan-heading');
        } }, t.plan.removeGoal(i + 1))
      : null,
  );
}

function activityEditor(ctx: AppContext, d: PlanDraft, a: ActivityDraft, i: number, rerender: (f?: string) => void): HTMLElement {
  const { t, lang } = ctx;
  const at = (p: string) => `plan:CarePlan.activity[${i}].detail.${p}`;
  const headingId = `activity-heading-${i}`;
  const peers: [string, string][] = ctx.state.peers.filter((p) => p.active !== false || `RelatedPerson/${p.id}` === a.performer).map((p) => [`RelatedPerson/${p.id}`, personName(p)]);
  if (!a.performer) peers.unshift(['', '—']);
  const rhythms: [string, string][] = Object.entries(t.plan.rhythms);
  if (a.rhythm === 'other') rhythms.push(['other', describeTiming(a)]);
  const served = new Set(a.goals);
  return h('article', { class: 'activity card', 'aria-labelledby': headingId },
    h('h4', { id: headingId }, t.plan.activity(i + 1)),
    h('div', { class: 'row' },
      field({ label: t.plan.activityCode, control: select(PEER_ACTIVITIES.map((c) => [c.code, c[lang]]), a.code, (v) => (a.code = v), { id: `activity-code-${i}` }), at: at('code'), required: true }),
      field({ label: t.plan.performer, control: select(peers, a.performer, (v) => (a.performer = v)), at: at('performer'), required: true })),
    h('div', { class: 'row' },
      field({ label: t.plan.rhythm, control: select(rhythms, a.rhythm, (v) => (a.rhythm = v as ActivityDraft['rhythm'])), at: `${at('scheduled')} ${at('scheduledTiming')}`, required: true }),
      field({ label: t.plan.activityStart, control: input('date', a.start, (v) => (a.start = v)), at: at('scheduledTiming.repeat.boundsPeriod') }),
      field({ label: t.plan.activityStatus, control: select(Object.entries(t.plan.activityStatuses), a.status, (v) => (a.status = v as ActivityDraft['status'])), at: at('status'), required: true })),
    d.goals.length
      ? fieldset({
          legend: t.plan.serves,
          at: at('goal'),
          children: d.goals.map((g, gi) => check(g.text.trim() || t.plan.goal(gi + 1), served.has(g.key), (on) => {
            if (on) served.add(g.key);
            else served.delete(g.key);
            a.goals = [...served];
          }, { value: g.key })),
        })
      : null,
    field({ label: t.plan.activityDescription, control: textarea(a.description, (v) => (a.description = v)), at: at('description') }),
    h('button', { type: 'button', class: 'link', onclick: () => { d.activities.splice(i, 1); rerender('#plan-heading'); } }, t.plan.removeActivity(i + 1)),
  );
}

function describeTiming(a: ActivityDraft): string {
  const r = a.original?.detail?.scheduledTiming?.repeat;
  return r ? `${r.frequency ?? 1} / ${r.period ?? 1} ${r.periodUnit ?? ''}` : '';
}

function notes(ctx: AppContext, list: Annotation[] | undefined): HTMLElement | null {
  if (!list?.length) return null;
  return h('div', { class: 'notes' },
    h('p', { class: 'notes-title' }, ctx.t.plan.notes),
    h('ul', {}, list.map((n) => h('li', {}, n.time ? h('span', { class: 'muted' }, `${formatDate(n.time, ctx.lang)} — `) : null, n.text))));
}
