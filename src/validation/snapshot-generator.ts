import { ensureIds, type ElementDefinition, type StructureDefinition } from './element-tree.js';

/**
 * Snapshot generation for differential-only profiles (FHIR R4 §2.11.0.1 "Snapshot generation" and §5.1.0.14):
 * start from the base snapshot, walk the differential in order, expand datatype children on demand, create slices as
 * copies of the sliced element, and overlay each differential element on its match.
 */

type Lookup = (typeCode: string) => StructureDefinition | undefined;

const clone = <T>(v: T): T => structuredClone(v);

function replacePrefix(s: string, from: string, to: string): string {
  return s === from ? to : s.startsWith(from + '.') || s.startsWith(from + ':') ? to + s.slice(from.length) : s;
}

/** Index just after the subtree of element `i` (its children and their slices). */
function subtreeEnd(els: ElementDefinition[], i: number): number {
  const id = els[i].id!;
  let j = i + 1;
  while (j < els.length && (els[j].id!.startsWith(id + '.') || els[j].id!.startsWith(id + ':') || els[j].id!.startsWith(id + '/'))) j++;
  return j;
}

function overlay(target: ElementDefinition, diff: ElementDefinition): void {
  for (const [k, v] of Object.entries(diff)) {
    if (k === 'id' || k === 'path') continue;
    if (k === 'constraint') {
      const have = new Set((target.constraint ?? []).map((c) => c.key));
      target.constraint = [...(target.constraint ?? []), ...(v as NonNullable<ElementDefinition['constraint']>).filter((c) => !have.has(c.key))];
      continue;
    }
    if (k.startsWith('fixed') || k.startsWith('pattern')) {
      for (const old of Object.keys(target)) if (old.startsWith('fixed') || old.startsWith('pattern')) delete target[old];
    }
    target[k] = clone(v);
  }
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Paths agree segment by segment; `value[x]` in the snapshot matches a renamed `valueQuantity` in the differential. */
function samePath(diffPath: string, snapPath: string): boolean {
  const a = diffPath.split('.');
  const b = snapPath.split('.');
  return a.length === b.length && a.every((s, i) => s === b[i] || (b[i].endsWith('[x]') && s.startsWith(b[i].slice(0, -3)) && /^[A-Z]/.test(s.slice(b[i].length - 3))));
}

/** Generates the snapshot of `sd` from `base` (which must have one); problems are reported, never thrown. */
export function generateSnapshot(sd: StructureDefinition, base: StructureDefinition, lookup: Lookup, problems: string[]): StructureDefinition {
  const els: ElementDefinition[] = clone(base.snapshot!.element);
  const baseIds = ensureIds(els);
  els.forEach((e, i) => (e.id = baseIds[i]));
  // A profile of a profile keeps the paths; a specialization of an abstract base re-roots them (rare in IGs).
  if (base.type !== sd.type) {
    for (const e of els) {
      e.path = replacePrefix(e.path, base.type, sd.type);
      e.id = replacePrefix(e.id!, base.type, sd.type);
    }
  }
  const index = (id: string): number => els.findIndex((e) => e.id === id);

  const ensure = (id: string, depth: number): number => {
    let i = index(id);
    if (i >= 0 || depth > 20) return i;
    const dot = id.lastIndexOf('.');
    const last = id.slice(dot + 1);
    const colon = last.indexOf(':');
    if (colon >= 0) {
      // A slice: copy the sliced element's own subtree (without its other slices).
      const slash = last.lastIndexOf('/');
      const baseId = slash > colon ? id.slice(0, dot + 1 + slash) : id.slice(0, dot + 1 + colon);
      const b = ensure(baseId, depth + 1);
      if (b < 0) return -1;
      const end = subtreeEnd(els, b);
      // Slices of the element itself are siblings, not part of the copy; slices of its descendants are kept.
      const own = els.slice(b, end).filter((e, k) => k === 0 || !(e.id!.startsWith(baseId + ':') || e.id!.startsWith(baseId + '/')));
      const copy = clone(own).map((e) => ({ ...e, id: replacePrefix(e.id!, baseId, id) }));
      delete copy[0].slicing;
      // A reslice (`a:s/r`) is named `s/r`, as in published snapshots.
      copy[0].sliceName = last.slice(colon + 1);
      // Slicing a choice by type (§2.11.0.8): `value[x]:valueQuantity` keeps only that type.
      const tn = copy[0].path.endsWith('[x]') ? copy[0].sliceName.slice(copy[0].path.split('.').pop()!.length - 3) : '';
      if (tn) copy[0].type = (copy[0].type ?? []).filter((t) => capitalize(t.code) === tn);
      els.splice(end, 0, ...copy);
      return end;
    }
    if (dot < 0) return -1;
    const parentId = id.slice(0, dot);
    const p = ensure(parentId, depth + 1);
    if (p < 0) return -1;
    const parent = els[p];
    if (subtreeEnd(els, p) > p + 1 && els[p + 1].id!.startsWith(parentId + '.')) {
      // Children already expanded but the name is not among them: a renamed choice (`valueQuantity`).
      for (let k = p + 1; k < subtreeEnd(els, p); k++) {
        const e = els[k];
        const name = e.path.slice(e.path.lastIndexOf('.') + 1);
        if (name.endsWith('[x]') && last.startsWith(name.slice(0, -3)) && e.id === parentId + '.' + name) {
          const typeName = last.slice(name.length - 3);
          // §2.11.0.8: a renamed choice must name one of the allowed types.
          if (!(e.type ?? []).some((t) => capitalize(t.code) === typeName)) return -1;
          return ensure(`${e.id}:${name.slice(0, -3)}${typeName}`, depth + 1);
        }
      }
      return -1;
    }
    let children: ElementDefinition[] = [];
    let fromPath = '';
    if (parent.contentReference) {
      fromPath = parent.contentReference.slice(parent.contentReference.indexOf('#') + 1);
      const s = index(fromPath);
      if (s >= 0) children = els.slice(s + 1, subtreeEnd(els, s)).filter((e) => !e.id!.slice(fromPath.length).includes(':'));
    } else if (parent.type?.length === 1) {
      const t = parent.type[0];
      const typeSd = (t.profile?.[0] && lookup(t.profile[0])) || lookup(t.code);
      if (typeSd?.snapshot) {
        fromPath = typeSd.snapshot.element[0].path;
        children = typeSd.snapshot.element.slice(1);
      }
    }
    if (!children.length) return -1;
    const copy = clone(children).map((e) => ({
      ...e,
      path: replacePrefix(e.path, fromPath, parent.path),
      id: replacePrefix(e.id ?? e.path, fromPath, parentId),
    }));
    els.splice(p + 1, 0, ...copy);
    // Now expanded: look again (this also resolves a renamed choice among the new children).
    return ensure(id, depth + 1);
  };

  const diff = clone(sd.differential!.element);
  const diffIds = ensureIds(diff);
  diff.forEach((d, k) => {
    let id = d.id ?? diffIds[k];
    if (k === 0 && !id.includes('.')) id = els[0].id!;
    const i = ensure(id, 0);
    if (i < 0) {
      problems.push(`Error generating snapshot: the differential element ${id} matches no element of ${base.url}`);
      return;
    }
    // §2.11.0.8: a differential path names the element it constrains; a choice may only be renamed to a listed type.
    const target = els[i];
    const lastDiff = d.path.slice(d.path.lastIndexOf('.') + 1);
    const lastSnap = target.path.slice(target.path.lastIndexOf('.') + 1);
    const renamedTo = lastSnap.endsWith('[x]') && lastDiff !== lastSnap ? lastDiff.slice(lastSnap.length - 3) : '';
    if (!samePath(d.path, target.path) || (renamedTo && !(target.type ?? []).some((t) => capitalize(t.code) === renamedTo))) {
      problems.push(`Error generating snapshot: the path must be '${target.path}' not '${d.path}' (element ${id})`);
      return;
    }
    overlay(target, { ...d, id });
  });
  return { ...sd, snapshot: { element: els } };
}
