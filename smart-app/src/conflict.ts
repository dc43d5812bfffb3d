/**
 * A conflicting edit (412 on If-Match): the user's input stays in the form; the panel says what the other person
 * changed (the stored version we had against the server's current one) and lets the user apply their change again on
 * the current version, or drop it and reload.
 */
import type { Resource } from 'fhir/r4.js';
import { h } from './h.js';
import type { Messages } from './i18n/index.js';

/** Leaf values of a resource by path, without the bookkeeping (meta, text) that changes on every save. */
function flatten(value: unknown, path: string, out: Map<string, string>): void {
  if (value === null || value === undefined) return;
  if (Array.isArray(value)) value.forEach((v, i) => flatten(v, `${path}[${i}]`, out));
  else if (typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (!path && (k === 'meta' || k === 'text')) continue;
      if (k.startsWith('_')) continue;
      flatten(v, path ? `${path}.${k}` : k, out);
    }
  } else out.set(path, String(value));
}

export interface Change {
  path: string;
  before?: string;
  after?: string;
}

export function changes(before: Resource, after: Resource): Change[] {
  const a = new Map<string, string>();
  const b = new Map<string, string>();
  flatten(before, '', a);
  flatten(after, '', b);
  const out: Change[] = [];
  for (const path of new Set([...a.keys(), ...b.keys()])) {
    if (a.get(path) !== b.get(path)) out.push({ path, before: a.get(path), after: b.get(path) });
  }
  return out;
}

/** `note[1].text` → "note n°2 — texte": the changed element in the reader's words, not FHIR paths. */
export function readablePath(path: string, t: Messages): string {
  const words = t.conflict.fields as Record<string, string>;
  return path
    .split('.')
    .map((segment) => {
      const m = /^([A-Za-z]+)(?:\[(\d+)\])?$/.exec(segment);
      if (!m) return segment;
      const word = words[m[1]] ?? m[1].replace(/([A-Z])/g, ' $1').toLowerCase();
      return m[2] === undefined ? word : `${word} ${t.conflict.item}${Number(m[2]) + 1}`;
    })
    .join(' — ');
}

export function conflictPanel(
  t: Messages,
  diffs: { label: string; changes: Change[] }[],
  onReapply: () => void,
  onDiscard: () => void,
): HTMLElement {
  const list = diffs.flatMap((d) =>
    d.changes.slice(0, 12).map((c) =>
      h('li', {}, h('span', {}, `${d.label} — ${readablePath(c.path, t)}`), ' : ', h('del', {}, c.before ?? '∅'), ' → ', h('ins', {}, c.after ?? '∅')),
    ),
  );
  const panel = h(
    'section',
    { class: 'conflict', role: 'alertdialog', 'aria-labelledby': 'conflict-title', 'aria-describedby': 'conflict-explain', tabindex: '-1' },
    h('h3', { id: 'conflict-title' }, t.conflict.title),
    h('p', { id: 'conflict-explain' }, t.conflict.explain),
    list.length ? h('ul', { class: 'changes' }, list) : h('p', {}, t.conflict.noVisible),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'button', class: 'primary', onclick: onReapply }, t.conflict.reapply),
      h('button', { type: 'button', onclick: onDiscard }, t.conflict.discard),
    ),
  );
  return panel;
}
