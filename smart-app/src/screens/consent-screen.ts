/** The person's consents to share with a named peer: list, record, withdraw (status inactive, never deleted). */
import type { Consent, OperationOutcomeIssue } from 'fhir/r4.js';
import type { AppContext } from '../app-context.js';
import { h } from '../h.js';
import { formatDate } from '../i18n/index.js';
import { addYears, CONSENT_CLASSES, nowDateTime, personName, peerConsent, today, withdrawnConsent } from '../resources.js';
import { reloadAndRender, showWriteError, updateWithConflicts, validateAll } from '../save.js';
import { announce, busy, check, field, fieldset, input, select } from '../ui.js';
import { issue } from '../validation.js';

const P = 'Consent.provision.provision';

export function consentScreen(ctx: AppContext): HTMLElement {
  const { t } = ctx;
  const section = h('section', { 'aria-labelledby': 'consent-heading', 'data-conflict-host': '' },
    h('h2', { id: 'consent-heading', tabindex: '-1' }, t.consent.heading),
    h('p', { class: 'intro' }, t.consent.intro));
  section.append(ctx.state.consents.length ? consentTable(ctx) : h('p', {}, t.consent.none));
  section.append(consentForm(ctx));
  return section;
}

function peerName(ctx: AppContext, consent: Consent): string {
  const ref = consent.provision?.provision?.[0]?.actor?.[0]?.reference;
  const peer = ctx.state.peers.find((p) => `RelatedPerson/${p.id}` === ref?.reference);
  return ref?.display ?? (peer ? personName(peer) : (ref?.reference ?? ''));
}

function consentTable(ctx: AppContext): HTMLElement {
  const { t, lang } = ctx;
  const rows = ctx.state.consents.map((c) => {
    const permit = c.provision?.provision?.[0];
    const name = peerName(ctx, c);
    const withdraw = h('button', { type: 'button', 'aria-label': t.consent.withdrawOf(name) }, t.consent.withdraw);
    const cell = h('td', {}, c.status === 'active' ? withdraw : null);
    withdraw.addEventListener('click', () => void withdrawConsent(ctx, cell, withdraw, c, name));
    return h('tr', {},
      h('th', { scope: 'row' }, name),
      h('td', {}, (permit?.class ?? []).map((x) => t.consent.classes[x.code ?? ''] ?? x.code).join(', ')),
      h('td', {}, permit?.period ? `${formatDate(permit.period.start, lang)} – ${formatDate(permit.period.end, lang)}` : ''),
      h('td', {}, formatDate(c.dateTime, lang)),
      h('td', {}, h('span', { class: `badge status-${c.status}` }, t.consent.statuses[c.status] ?? c.status)),
      cell);
  });
  return h('table', {},
    h('caption', { class: 'visually-hidden' }, t.consent.heading),
    h('thead', {}, h('tr', {}, ...[t.consent.peer, t.consent.resources, t.consent.period, t.consent.given, t.consent.status, t.team.actions].map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', {}, rows));
}

async function withdrawConsent(ctx: AppContext, form: HTMLElement, button: HTMLButtonElement, consent: Consent, name: string): Promise<void> {
  busy(button, true);
  try {
    if (!(await validateAll(ctx, form, [{ resource: withdrawnConsent(consent), scope: 'consent' }]))) return;
    announce(ctx.t.status.saving);
    await updateWithConflicts(ctx, form, consent, withdrawnConsent, name, async () => {
      await reloadAndRender(ctx);
      announce(ctx.t.consent.withdrawn(name));
      document.getElementById('consent-heading')?.focus();
    });
  } catch (err) {
    showWriteError(ctx, form, 'consent', err);
  } finally {
    busy(button, false);
  }
}

function consentForm(ctx: AppContext): HTMLElement {
  const { t } = ctx;
  const currentPeers = ctx.state.peers.filter((p) => p.active !== false);
  const start = today();
  const d = (ctx.state.drafts.consent ??= { peer: currentPeers[0] ? `RelatedPerson/${currentPeers[0].id}` : '', classes: CONSENT_CLASSES.join(' '), start, end: addYears(start, 1) });
  const form = h('form', { class: 'card', 'aria-labelledby': 'consent-form-heading', novalidate: true }, h('h3', { id: 'consent-form-heading' }, t.consent.formHeading));
  if (!currentPeers.length) {
    form.append(h('p', {}, t.consent.noPeer));
    return form;
  }
  const classes = new Set(d.classes.split(' ').filter(Boolean));
  const submit = h('button', { type: 'submit', class: 'primary' }, t.consent.record);
  form.append(
    field({
      label: t.consent.peer,
      control: select(currentPeers.map((p) => [`RelatedPerson/${p.id}`, personName(p)]), d.peer, (v) => (d.peer = v)),
      at: `consent:${P}.actor`,
      required: true,
    }),
    fieldset({
      legend: t.consent.resources,
      at: `consent:${P}.class`,
      invariants: 'cs-consent-2',
      children: CONSENT_CLASSES.map((code) =>
        check(t.consent.classes[code], classes.has(code), (on) => {
          if (on) classes.add(code);
          else classes.delete(code);
          d.classes = [...classes].join(' ');
        }, { value: code })),
    }),
    h('div', { class: 'row' },
      field({ label: t.consent.start, control: input('date', d.start, (v) => (d.start = v)), at: `consent:${P}.period.start consent:${P}.period`, required: true }),
      field({ label: t.consent.end, control: input('date', d.end, (v) => (d.end = v)), at: `consent:${P}.period.end`, invariants: 'cs-consent-1', required: true })),
    h('div', { class: 'actions' }, submit),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void recordConsent(ctx, form, submit, d);
  });
  return form;
}

async function recordConsent(ctx: AppContext, form: HTMLElement, button: HTMLButtonElement, d: Record<string, string>): Promise<void> {
  const { t } = ctx;
  const peer = ctx.state.peers.find((p) => `RelatedPerson/${p.id}` === d.peer);
  const classes = d.classes.split(' ').filter(Boolean);
  const problems: OperationOutcomeIssue[] = [];
  if (!classes.length) problems.push(issue(`${P}.class`, t.consent.pickResources));
  if (!d.start) problems.push(issue(`${P}.period.start`, t.validation.required));
  if (!d.end) problems.push(issue(`${P}.period.end`, t.validation.required));
  else if (d.start && d.end <= d.start) problems.push(issue(`${P}.period.end`, t.consent.endBeforeStart));
  const name = peer ? personName(peer) : '';
  const consent = peerConsent({
    patient: ctx.patientRef,
    peer: { reference: d.peer, display: name },
    classes,
    start: d.start,
    end: d.end,
    dateTime: nowDateTime(),
    organization: ctx.state.teams[0]?.managingOrganization,
  });
  busy(button, true);
  try {
    const client = problems.length ? [{ scope: 'consent', outcome: { resourceType: 'OperationOutcome' as const, issue: problems } }] : [];
    if (!(await validateAll(ctx, form, [{ resource: consent, scope: 'consent' }], client))) return;
    announce(t.status.saving);
    await ctx.api.create(consent);
    delete ctx.state.drafts.consent;
    await reloadAndRender(ctx);
    announce(t.consent.recorded(name));
    document.getElementById('consent-heading')?.focus();
  } catch (err) {
    showWriteError(ctx, form, 'consent', err);
  } finally {
    busy(button, false);
  }
}
