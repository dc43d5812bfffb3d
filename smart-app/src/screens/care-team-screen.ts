/** The care team: every member with role and period, creating the team, ending a peer's participation. */
import type { CareTeam, CareTeamParticipant, RelatedPerson } from 'fhir/r4.js';
import type { AppContext } from '../app-context.js';
import { h } from '../h.js';
import { formatDate } from '../i18n/index.js';
import { isCurrent, isPeerRole, newCareTeam, peerEnded, personName, today, withParticipationEnded } from '../resources.js';
import { reloadAndRender, showWriteError, updateWithConflicts, validateAll } from '../save.js';
import { conceptLabel } from '../terminology.js';
import { announce, busy, field, input } from '../ui.js';
import { issue } from '../validation.js';
import { addPeerSection } from './add-peer-section.js';

export function careTeamScreen(ctx: AppContext): HTMLElement {
  const { t } = ctx;
  const section = h('section', { 'aria-labelledby': 'team-heading' }, h('h2', { id: 'team-heading', tabindex: '-1' }, t.team.heading));
  if (!ctx.state.teams.length) {
    const button = h('button', { type: 'button', class: 'primary' }, t.team.create);
    const form = h('div', {}, h('p', {}, t.team.none), button);
    button.addEventListener('click', () => void createTeam(ctx, form, button));
    section.append(form);
    return section;
  }
  for (const team of ctx.state.teams) section.append(teamView(ctx, team));
  section.append(addPeerSection(ctx, ctx.state.teams[0]));
  return section;
}

async function createTeam(ctx: AppContext, form: HTMLElement, button: HTMLButtonElement): Promise<void> {
  const name = personName(ctx.patient) || ctx.patientRef.display || '';
  const team = newCareTeam(ctx.patientRef, ctx.t.team.defaultName(name), today(), ctx.user);
  busy(button, true);
  try {
    if (!(await validateAll(ctx, form, [{ resource: team, scope: 'team' }]))) return;
    announce(ctx.t.status.saving);
    await ctx.api.create(team);
    await reloadAndRender(ctx);
    announce(ctx.t.team.created);
    document.getElementById('team-heading')?.focus();
  } catch (err) {
    showWriteError(ctx, form, 'team', err);
  } finally {
    busy(button, false);
  }
}

function teamView(ctx: AppContext, team: CareTeam): HTMLElement {
  const { t, lang } = ctx;
  const headingId = `team-${team.id}`;
  const period = (p: CareTeamParticipant['period']) =>
    !p?.start ? t.common.none : p.end ? `${formatDate(p.start, lang)} – ${formatDate(p.end, lang)}` : `${t.common.since} ${formatDate(p.start, lang)}`;
  const rows = (team.participant ?? []).map((p, index) => {
    const name = p.member?.display ?? p.member?.reference ?? '';
    const ended = p.period?.end && p.period.end < today();
    const canEnd = !!isPeerRole(p) && isCurrent(p) && !p.period?.end;
    return h(
      'tr',
      { class: ended ? 'ended' : undefined },
      h('th', { scope: 'row' }, name),
      h('td', {}, p.role?.map((r) => conceptLabel(r, lang)).join(', ') ?? ''),
      h('td', {}, period(p.period)),
      h('td', {}, canEnd ? endControl(ctx, team, index, name) : null),
    );
  });
  return h(
    'article',
    { class: 'team', 'aria-labelledby': headingId, 'data-conflict-host': '' },
    h('h3', { id: headingId }, team.name ?? t.team.heading, ' ', h('span', { class: 'badge' }, t.team.teamStatus[team.status ?? ''] ?? team.status ?? '')),
    h(
      'table',
      {},
      h('caption', { class: 'visually-hidden' }, `${t.team.members} — ${team.name ?? ''}`),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t.team.member), h('th', { scope: 'col' }, t.team.role), h('th', { scope: 'col' }, t.team.period), h('th', { scope: 'col' }, t.team.actions))),
      h('tbody', {}, rows),
    ),
  );
}

/** "End participation" opens an inline form with the end date (today by default); nothing is deleted. */
function endControl(ctx: AppContext, team: CareTeam, index: number, name: string): HTMLElement {
  const { t } = ctx;
  const key = `end-${team.id}-${index}`;
  const draft = (ctx.state.drafts[key] ??= {});
  const wrap = h('div', { class: 'end-control' });
  const open = () => {
    draft.open = '1';
    draft.date ??= today();
    const dateInput = input('date', draft.date, (v) => (draft.date = v), { 'data-testid': `end-date-${index}` });
    const confirm = h('button', { type: 'button', class: 'primary' }, t.team.confirmEnd);
    const cancel = h('button', { type: 'button', onclick: () => { delete ctx.state.drafts[key]; wrap.replaceChildren(opener()); } }, t.common.cancel);
    const form = h('div', { class: 'inline-form', role: 'group', 'aria-label': t.team.endParticipationOf(name) },
      field({ label: t.team.endDate, control: dateInput, required: true, at: `team:CareTeam.participant[${index}].period.end peer:RelatedPerson.period.end`, invariants: 'cs-ps-1' }),
      h('p', { class: 'help' }, t.team.endedHint),
      h('div', { class: 'actions' }, confirm, cancel));
    confirm.addEventListener('click', () => void endParticipation(ctx, form, confirm, team, index, name, draft));
    wrap.replaceChildren(form);
    return dateInput;
  };
  const opener = () => h('button', { type: 'button', 'aria-label': t.team.endParticipationOf(name), onclick: () => open().focus() }, t.team.endParticipation);
  if (draft.open) open();
  else wrap.append(opener());
  return wrap;
}

async function endParticipation(ctx: AppContext, form: HTMLElement, button: HTMLButtonElement, team: CareTeam, index: number, name: string, draft: Record<string, string>): Promise<void> {
  const end = draft.date ?? '';
  const member = team.participant?.[index]?.member?.reference ?? '';
  const start = team.participant?.[index]?.period?.start ?? '';
  const problems = !end
    ? [issue(`CareTeam.participant[${index}].period.end`, ctx.t.validation.required)]
    : start && end < start
      ? [issue(`CareTeam.participant[${index}].period.end`, ctx.t.consent.endBeforeStart)]
      : [];
  const peer = ctx.state.peers.find((p) => `RelatedPerson/${p.id}` === member);
  // Apply by member and start, not by index: on a conflict the participant may sit elsewhere in the current version.
  const apply = (current: CareTeam): CareTeam => {
    const i = (current.participant ?? []).findIndex((p) => p.member?.reference === member && (p.period?.start ?? '') === start && !p.period?.end);
    return i < 0 ? current : withParticipationEnded(current, i, end);
  };
  busy(button, true);
  try {
    const checks = [{ resource: apply(team), scope: 'team' }, ...(peer ? [{ resource: peerEnded(peer, end), scope: 'peer' }] : [])];
    if (!(await validateAll(ctx, form, checks, problems.length ? [{ scope: 'team', outcome: { resourceType: 'OperationOutcome', issue: problems } }] : []))) return;
    announce(ctx.t.status.saving);
    await updateWithConflicts(ctx, form, team, apply, team.name ?? 'CareTeam', async () => {
      if (peer) await updatePeer(ctx, peer, end);
      delete ctx.state.drafts[`end-${team.id}-${index}`];
      await reloadAndRender(ctx);
      announce(ctx.t.team.ended(name));
      document.getElementById('team-heading')?.focus();
    });
  } catch (err) {
    showWriteError(ctx, form, 'team', err);
  } finally {
    busy(button, false);
  }
}

/** The peer's RelatedPerson closes its period too; on a conflict, apply the end on the current version. */
async function updatePeer(ctx: AppContext, peer: RelatedPerson, end: string): Promise<void> {
  try {
    await ctx.api.update(peerEnded(peer, end));
  } catch {
    const current = await ctx.api.read<RelatedPerson>('RelatedPerson', peer.id!);
    await ctx.api.update(peerEnded(current, end));
  }
}
