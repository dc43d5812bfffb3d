/**
 * Server issues (an OperationOutcome from $validate or a refused write) placed next to the form fields they concern,
 * in plain language. Fields declare where they write as `scope:path` items (data-at, see ui.ts field); an issue about
 * the resource of that scope goes to the field whose path is the closest to the issue's expression.
 */
import type { OperationOutcome, OperationOutcomeIssue } from 'fhir/r4.js';
import type { Messages } from './i18n/index.js';

export function hasErrors(outcome: OperationOutcome | undefined): boolean {
  return (outcome?.issue ?? []).some((i) => i.severity === 'error' || i.severity === 'fatal');
}

export function clearIssues(form: HTMLElement): void {
  for (const el of form.querySelectorAll<HTMLElement>('.field-error')) {
    el.hidden = true;
    el.textContent = '';
  }
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  form.querySelector('.form-issues')?.remove();
}

/** Shows each error issue next to its field; the rest in a summary at the top of the form. Returns how many. */
export function showIssues(form: HTMLElement, scope: string, outcome: OperationOutcome, t: Messages): number {
  const errors = (outcome.issue ?? []).filter((i) => i.severity === 'error' || i.severity === 'fatal');
  const fields = [...form.querySelectorAll<HTMLElement>('.field[data-at], .field[data-invariants]')]
    .map((el) => ({ el, paths: (el.dataset.at ?? '').split(' ').filter((a) => a.startsWith(`${scope}:`)).map((a) => a.slice(scope.length + 1)) }))
    .filter((f) => f.paths.length || f.el.dataset.invariants);
  const unplaced: string[] = [];
  let firstInvalid: HTMLElement | undefined;
  for (const issue of errors) {
    const message = plainMessage(issue, t);
    const target = fieldFor(issue, fields);
    if (!target) {
      unplaced.push(message);
      continue;
    }
    const slot = target.querySelector<HTMLElement>(':scope > .field-error');
    if (slot) {
      slot.hidden = false;
      slot.textContent = slot.textContent ? `${slot.textContent} ${message}` : message;
    }
    const control = target.querySelector<HTMLElement>('input, select, textarea');
    if (target.tagName === 'FIELDSET') target.setAttribute('aria-invalid', 'true');
    control?.setAttribute('aria-invalid', 'true');
    firstInvalid ??= control ?? undefined;
  }
  if (unplaced.length) {
    const summary = document.createElement('div');
    summary.className = 'form-issues';
    summary.setAttribute('role', 'group');
    summary.setAttribute('tabindex', '-1');
    const p = document.createElement('p');
    p.textContent = t.validation.summary;
    const ul = document.createElement('ul');
    for (const m of [...new Set(unplaced)]) {
      const li = document.createElement('li');
      li.textContent = m;
      ul.appendChild(li);
    }
    summary.append(p, ul);
    form.prepend(summary);
    if (!firstInvalid) summary.focus();
  }
  firstInvalid?.focus();
  return errors.length;
}

/** A client-side issue in the same shape, so the app's own checks and the server's are shown alike. */
export function issue(expression: string, text: string): OperationOutcomeIssue {
  return { severity: 'error', code: 'invalid', expression: [expression], details: { text } };
}

/**
 * Choice types (scheduled[x], scheduledTiming) are one element for the form, and a first repetition ([0]) is the
 * element itself: validators differ in whether they write it.
 */
function normalize(path: string): string {
  return path.replace(/\[x\]/g, '').replace(/(scheduled|value|onset|effective)[A-Z]\w*/g, '$1').replace(/\[0\]/g, '').replace(/\s/g, '');
}

interface PlacedField {
  el: HTMLElement;
  paths: string[];
}

function fieldFor(issue: OperationOutcomeIssue, fields: PlacedField[]): HTMLElement | undefined {
  const text = `${issue.details?.text ?? ''} ${issue.diagnostics ?? ''}`;
  const invariant = /\b(cs-[a-z]+-\d+)\b/.exec(text)?.[1];
  if (invariant) {
    const owner = fields.find((f) => (f.el.dataset.invariants ?? '').split(' ').includes(invariant) && f.paths.length);
    if (owner) return owner.el;
  }
  let best: HTMLElement | undefined;
  let bestLength = -1;
  for (const raw of issue.expression ?? issue.location ?? []) {
    const expr = normalize(raw);
    for (const f of fields) {
      for (const rawPath of f.paths) {
        const path = normalize(rawPath);
        // The field writes this element or a part of it (issue on a child), or the issue is on a parent element.
        const matches = expr === path || expr.startsWith(`${path}.`) || expr.startsWith(`${path}[`) || path.startsWith(`${expr}.`) || path.startsWith(`${expr}[`);
        const length = matches ? Math.min(expr.length, path.length) : -1;
        if (length > bestLength) {
          best = f.el;
          bestLength = length;
        }
      }
    }
  }
  return best;
}

/** Plain words for an issue: the guide's invariants by name, missing required elements, else the server's text. */
export function plainMessage(issue: OperationOutcomeIssue, t: Messages): string {
  const text = issue.details?.text ?? issue.diagnostics ?? '';
  const invariant = /\b(cs-[a-z]+-\d+)\b/.exec(text)?.[1];
  if (invariant && t.validation.invariants[invariant]) return t.validation.invariants[invariant];
  if (issue.code === 'required' || /\b(minimum required|required|cardinality|min(imum)? of 1|missing)\b/i.test(text)) return t.validation.required;
  return text || t.validation.invalid;
}
