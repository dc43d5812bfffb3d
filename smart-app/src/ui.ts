/** Shared form pieces: labelled fields with their error slot, the live status region, and focus handling. */
import { h, uid } from './h.js';

export interface FieldOptions {
  label: string;
  control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
  /**
   * Where the field writes, to place server issues: space-separated `scope:path` items, the scope naming which of the
   * form's resources (a form may write several), the path its element (e.g. `goal-1:Goal.description.text`).
   */
  at?: string;
  /** Invariants whose failure concerns this field (e.g. cs-goal-1). */
  invariants?: string;
  help?: string;
  required?: boolean;
}

export function field(o: FieldOptions): HTMLElement {
  const id = o.control.id || uid('f');
  o.control.id = id;
  const errorId = `${id}-error`;
  const helpId = o.help ? `${id}-help` : undefined;
  o.control.setAttribute('aria-describedby', [helpId, errorId].filter(Boolean).join(' '));
  if (o.required) o.control.required = true;
  return h(
    'div',
    { class: 'field', 'data-at': o.at, 'data-invariants': o.invariants },
    h('label', { for: id }, o.label, o.required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null),
    o.help ? h('p', { class: 'help', id: helpId }, o.help) : null,
    o.control,
    h('p', { class: 'field-error', id: errorId, hidden: true }),
  );
}

/** A group of checkboxes or radios with a legend; the error slot sits under the legend's group. */
export function fieldset(o: { legend: string; at?: string; invariants?: string; children: Node[]; cls?: string }): HTMLFieldSetElement {
  const errorId = uid('fs-error');
  return h(
    'fieldset',
    { class: `field ${o.cls ?? ''}`, 'data-at': o.at, 'data-invariants': o.invariants, 'aria-describedby': errorId },
    h('legend', {}, o.legend),
    h('div', { class: 'choices' }, o.children),
    h('p', { class: 'field-error', id: errorId, hidden: true }),
  );
}

export function select(options: [string, string][], value: string, onChange: (v: string) => void, attrs: Record<string, string> = {}): HTMLSelectElement {
  const el = h('select', { ...attrs, onchange: () => onChange(el.value) }, options.map(([v, text]) => h('option', { value: v }, text)));
  el.value = value;
  return el;
}

export function input(type: string, value: string, onInput: (v: string) => void, attrs: Record<string, string> = {}): HTMLInputElement {
  const el = h('input', { type, value, ...attrs, oninput: () => onInput(el.value) });
  return el;
}

export function textarea(value: string, onInput: (v: string) => void, attrs: Record<string, string> = {}): HTMLTextAreaElement {
  const el = h('textarea', { rows: '2', ...attrs, oninput: () => onInput(el.value) });
  el.value = value;
  return el;
}

export function check(label: string, checked: boolean, onChange: (v: boolean) => void, attrs: Record<string, string> = {}, type: 'checkbox' | 'radio' = 'checkbox'): HTMLLabelElement {
  const el = h('input', { type, checked, ...attrs, onchange: () => onChange(el.checked) });
  return h('label', { class: 'check' }, el, label);
}

let statusRegion: HTMLElement | undefined;
let alertRegion: HTMLElement | undefined;
let clearTimer: number | undefined;

/** The polite live region (role=status) and the assertive one (role=alert), created once by the shell. */
export function setStatusRegions(status: HTMLElement, alert: HTMLElement): void {
  statusRegion = status;
  alertRegion = alert;
}

let pending: number | undefined;

export function announce(text: string, kind: 'status' | 'error' = 'status'): void {
  const region = kind === 'error' ? alertRegion : statusRegion;
  clearStatus();
  if (!region || !text) return;
  // Set after a tick on an emptied region, so screen readers repeat a message identical to the previous one.
  pending = window.setTimeout(() => (region.textContent = text), 30);
  // Confirmations fade after a while; errors stay until the next message.
  if (kind === 'status') clearTimer = window.setTimeout(() => (region.textContent = ''), 6000);
}

/** Empties both regions and cancels a message still on its way (a fast error must not be followed by "Saving…"). */
export function clearStatus(): void {
  window.clearTimeout(pending);
  window.clearTimeout(clearTimer);
  if (statusRegion) statusRegion.textContent = '';
  if (alertRegion) alertRegion.textContent = '';
}

export function busy(button: HTMLButtonElement, on: boolean): void {
  button.disabled = on;
  button.setAttribute('aria-busy', String(on));
}
