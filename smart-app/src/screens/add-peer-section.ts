/**
 * Adding a peer: one of the programme's peers (found by the programme identifier) or a new one. The peer's
 * RelatedPerson for THIS person is reused when it exists, created otherwise (one per person accompanied), and the
 * participation starts on the chosen date.
 */
import type { CareTeam, OperationOutcomeIssue, Reference, RelatedPerson } from 'fhir/r4.js';
import type { AppContext } from '../app-context.js';
import { h } from '../h.js';
import { loadProgrammePeers, type ProgrammePeer } from '../data.js';
import { isCurrent, isPeerRole, newPeerSupporter, peerSupporterFrom, personName, programmeId, reactivatePeer, today, withPeerParticipant } from '../resources.js';
import { reloadAndRender, showWriteError, updateWithConflicts, validateAll } from '../save.js';
import { label, CARE_TEAM_ROLES, PEER_ROLE_CODES, type PeerRole } from '../terminology.js';
import { announce, busy, check, field, fieldset, input, select } from '../ui.js';
import { issue } from '../validation.js';

let programme: Promise<{ peers: ProgrammePeer[]; complete: boolean }> | undefined;

export function addPeerSection(ctx: AppContext, team: CareTeam): HTMLElement {
  const { t, lang } = ctx;
  const d = (ctx.state.drafts.addPeer ??= { source: 'programme', pick: '', given: '', family: '', programmeId: '', phone: '', language: 'fr-CA', role: 'patient-partenaire', start: today() });
  const form = h('form', { class: 'card', 'aria-labelledby': 'add-peer-heading', novalidate: true });
  const pickSlot = h('div');
  const newSlot = h('div');
  const showSource = () => {
    pickSlot.hidden = d.source !== 'programme';
    newSlot.hidden = d.source !== 'new';
  };
  const sources = fieldset({
    legend: t.addPeer.source,
    cls: 'inline',
    children: [
      check(t.addPeer.fromProgramme, d.source === 'programme', () => { d.source = 'programme'; showSource(); }, { name: 'peer-source', value: 'programme' }, 'radio'),
      check(t.addPeer.newPeer, d.source === 'new', () => { d.source = 'new'; showSource(); }, { name: 'peer-source', value: 'new' }, 'radio'),
    ],
  });

  programme ??= loadProgrammePeers(ctx);
  void programme.then(({ peers: list, complete }) => {
    if (!complete && !ctx.state.notices.has('noProgrammeSearch')) {
      ctx.state.notices.add('noProgrammeSearch');
      document.dispatchEvent(new CustomEvent('app:notices'));
    }
    const options: [string, string][] = [['', list.length ? t.addPeer.pickPlaceholder : t.addPeer.noPeers], ...list.map((p): [string, string] => [p.programmeId, `${personName(p.sample)} (${p.programmeId})`])];
    pickSlot.replaceChildren(field({ label: t.addPeer.pickPeer, control: select(options, d.pick, (v) => (d.pick = v)), at: 'peer:RelatedPerson.identifier', required: true }));
  }).catch((err: unknown) => {
    programme = undefined; // try again on the next render
    pickSlot.replaceChildren(h('p', { class: 'help', role: 'alert' }, `${t.status.failed} ${err instanceof Error ? err.message : ''}`));
  });
  pickSlot.append(h('p', { class: 'help' }, t.loading));

  newSlot.append(
    h('div', { class: 'row' },
      field({ label: t.addPeer.given, control: input('text', d.given, (v) => (d.given = v), { autocomplete: 'off' }), at: 'peer:RelatedPerson.name.given', required: true }),
      field({ label: t.addPeer.family, control: input('text', d.family, (v) => (d.family = v), { autocomplete: 'off' }), at: 'peer:RelatedPerson.name.family peer:RelatedPerson.name', required: true })),
    h('div', { class: 'row' },
      field({ label: t.addPeer.programmeId, help: t.addPeer.programmeIdHelp, control: input('text', d.programmeId, (v) => (d.programmeId = v)), at: 'peer:RelatedPerson.identifier', required: true }),
      field({ label: t.addPeer.phone, control: input('tel', d.phone, (v) => (d.phone = v), { autocomplete: 'off' }), at: 'peer:RelatedPerson.telecom' }),
      field({ label: t.addPeer.language, control: select(Object.entries(t.addPeer.languages), d.language, (v) => (d.language = v)), at: 'peer:RelatedPerson.communication' })),
  );
  showSource();

  const roleOptions = PEER_ROLE_CODES.map((c): [string, string] => [c, label(CARE_TEAM_ROLES, c, lang)]);
  const newIndex = team.participant?.length ?? 0;
  const submit = h('button', { type: 'submit', class: 'primary' }, t.addPeer.submit);
  form.append(
    h('h3', { id: 'add-peer-heading' }, t.addPeer.heading),
    sources,
    pickSlot,
    newSlot,
    h('div', { class: 'row' },
      field({ label: t.addPeer.role, control: select(roleOptions, d.role, (v) => (d.role = v)), at: `team:CareTeam.participant[${newIndex}].role peer:RelatedPerson.relationship`, required: true }),
      field({ label: t.addPeer.start, control: input('date', d.start, (v) => (d.start = v)), at: `team:CareTeam.participant[${newIndex}].period peer:RelatedPerson.period`, invariants: 'cs-ct-2', required: true })),
    h('div', { class: 'actions' }, submit),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void addPeer(ctx, form, submit, team, d);
  });
  return form;
}

async function addPeer(ctx: AppContext, form: HTMLElement, button: HTMLButtonElement, team: CareTeam, d: Record<string, string>): Promise<void> {
  const { t } = ctx;
  const role = d.role as PeerRole;
  const problems: OperationOutcomeIssue[] = [];
  const newIndex = team.participant?.length ?? 0;
  if (!d.start) problems.push(issue(`CareTeam.participant[${newIndex}].period.start`, t.validation.required));
  let peer: RelatedPerson | undefined;
  let existing = false;
  if (d.source === 'programme') {
    const chosen = programme ? (await programme).peers.find((p) => p.programmeId === d.pick) : undefined;
    if (!chosen) problems.push(issue('RelatedPerson.identifier', t.validation.required));
    else if (chosen.mine) {
      peer = chosen.mine.active && !chosen.mine.period?.end ? chosen.mine : reactivatePeer(chosen.mine, role, d.start);
      existing = true;
    } else peer = peerSupporterFrom(chosen.sample, ctx.patientRef, role, d.start);
  } else {
    if (!d.given.trim()) problems.push(issue('RelatedPerson.name.given', t.validation.required));
    if (!d.family.trim()) problems.push(issue('RelatedPerson.name.family', t.validation.required));
    if (!d.programmeId.trim()) problems.push(issue('RelatedPerson.identifier', t.validation.required));
    const mine = ctx.state.peers.find((p) => programmeId(p) === d.programmeId.trim());
    if (mine) {
      peer = mine.active && !mine.period?.end ? mine : reactivatePeer(mine, role, d.start);
      existing = true;
    } else peer = newPeerSupporter(ctx.patientRef, { given: d.given, family: d.family, programmeId: d.programmeId, phone: d.phone, language: d.language }, role, d.start);
  }
  const client = problems.length ? [{ scope: 'peer', outcome: { resourceType: 'OperationOutcome' as const, issue: problems } }] : [];
  const name = peer ? personName(peer) : '';
  if (peer?.id && (team.participant ?? []).some((p) => p.member?.reference === `RelatedPerson/${peer!.id}` && isPeerRole(p) && isCurrent(p) && !p.period?.end)) {
    announce(t.addPeer.alreadyMember(name), 'error');
    return;
  }
  busy(button, true);
  try {
    // Until the peer is saved, the team is checked with a typed reference (cs-ct-1 accepts Reference.type).
    const pendingRef: Reference = peer?.id ? { reference: `RelatedPerson/${peer.id}`, display: name } : { type: 'RelatedPerson', display: name };
    const checks = peer ? [{ resource: peer, scope: 'peer' }, { resource: withPeerParticipant(team, pendingRef, role, d.start, ctx.user), scope: 'team' }] : [];
    if (!(await validateAll(ctx, form, checks, client))) return;
    announce(t.status.saving);
    const saved = existing ? (peer === ctx.state.peers.find((p) => p.id === peer!.id) ? peer! : await ctx.api.update(peer!)) : await ctx.api.create(peer!);
    const ref: Reference = { reference: `RelatedPerson/${saved.id}`, display: personName(saved) };
    await updateWithConflicts(ctx, form, team, (current) => withPeerParticipant(current, ref, role, d.start, ctx.user), team.name ?? 'CareTeam', async () => {
      delete ctx.state.drafts.addPeer;
      programme = undefined;
      await reloadAndRender(ctx);
      announce(t.addPeer.added(name));
      document.getElementById('team-heading')?.focus();
    });
  } catch (err) {
    showWriteError(ctx, form, 'team', err);
  } finally {
    busy(button, false);
  }
}
