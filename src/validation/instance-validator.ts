import type { ConformanceRegistry } from '../ig/conformance-registry.js';
import { TerminologyService } from '../terminology/value-set-expander.js';
import { checksFor, type CheckServices } from './element-checks.js';
import { typeCode, type ElementNode, type StructureDefinition, type TypeRef } from './element-tree.js';
import { isPrimitiveType, checkPrimitive } from './primitives.js';
import { ProfileCompiler } from './profile-compiler.js';
import { checkSliceCardinality, discriminatorsOf, matchesSlice, valuesAtDiscriminators, type Item } from './slicing.js';
import { checkBundle, indexBundle, resolveInBundle } from './bundle-rules.js';
import { checkAttachment, checkExtensionContext, checkCodingInSystem } from './extra-rules.js';
import { ValidationContext } from './validation-context.js';
import { generateSnapshot } from './snapshot-generator.js';
import { checkConformanceResource } from './conformance-rules.js';
import { checkNarrativeLinks } from './xhtml-checks.js';
import { vitalSignsProfiles } from './vital-signs.js';
import { QuestionnaireResponseChecker } from './questionnaire-response.js';

const ID = /^[A-Za-z0-9\-.]{1,64}$/;

/** How the occurrences of one type at one element are walked (see {@link InstanceValidator.stepFor}). */
export interface TypeStep {
  kind: 'primitive' | 'resource' | 'complex';
  /** The element's type entry for that type (its profiles and target profiles). */
  typeRef?: TypeRef;
  /** The tree to walk: the element's own children, the referenced element, the type's profile, or the type. */
  tree?: ElementNode;
  /** An Extension without a profile: walked against the definition its url names, when it is known. */
  byUrl: boolean;
  /** A profile of the type that cannot be resolved (each occurrence reports it, then is walked against the type). */
  missingProfile?: string;
  /** The type's root element when the walk uses the element's own children: its invariants (per-1...) apply too. */
  typeRoot?: ElementNode;
}

const NONE: Item[] = [];
const NO_VALUES: unknown[] = [];
/** Extensions are always sliced by url, even when a profile does not say so (§2.22.0.1). */
/** Choice elements are sliced by type (`value[x]:valueQuantity`, §2.11.0.8), whether the profile says so or not. */

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Walks a resource against compiled element trees (FHIR R4 §2.11 Profiling, §2.6 JSON format, §5.1 ElementDefinition):
 * structure, cardinality, types, slicing, extensions, then each element's compiled checks.
 */
export class InstanceValidator {
  readonly compiler: ProfileCompiler;
  readonly terminology: TerminologyService;
  private readonly svc: CheckServices;
  private readonly questionnaires: QuestionnaireResponseChecker;

  constructor(readonly registry: ConformanceRegistry) {
    this.compiler = new ProfileCompiler(registry);
    this.terminology = new TerminologyService(registry);
    this.svc = { terminology: this.terminology, compiler: this.compiler };
    this.questionnaires = new QuestionnaireResponseChecker(registry, this.terminology, (t) => this.compiler.isResourceType(t));
  }

  /** Validates one resource (and what it holds) against its base definition and the given profiles. */
  validateResource(value: unknown, path: string, profiles: string[], ctx: ValidationContext, isRoot: boolean): void {
    if (!isObject(value)) {
      ctx.error('structure', 'The resource must be a JSON object', path);
      return;
    }
    const rt = value.resourceType;
    if (typeof rt !== 'string') {
      ctx.error('structure', 'Unable to find resourceType property: this is not a FHIR resource', path);
      return;
    }
    const base = this.compiler.typeTree(rt);
    if (!base || !this.compiler.isResourceType(rt)) {
      ctx.error('structure', `Unknown resource type '${rt}'`, path);
      return;
    }
    if (ctx.depth > 30) return;
    const saved = { root: ctx.root, resource: ctx.resource, bundle: ctx.bundle, resourcePath: ctx.resourcePath };
    ctx.depth++;
    if (isRoot) ctx.root = value;
    ctx.resource = value;
    ctx.resourcePath = path;
    if (rt === 'Bundle') ctx.bundle = indexBundle(value);
    if (Array.isArray(value.contained)) {
      // §2.4.1: contained resources are identified by their id within the container, so ids are unique there.
      const ids = new Set<string>();
      value.contained.forEach((c: unknown, i: number) => {
        const cid = isObject(c) ? c.id : undefined;
        if (typeof cid !== 'string') return;
        if (ids.has(cid)) ctx.error('invalid', `Duplicate id value '${cid}'`, `${path}.contained[${i}]`);
        ids.add(cid);
      });
    }
    const id = value.id;
    if (id !== undefined && (typeof id !== 'string' || !ID.test(id))) {
      const why = typeof id === 'string' && id.length > 64 ? `Too long (${id.length} chars)` : `Invalid Characters ('${String(id)}')`;
      ctx.error('invalid', `Invalid Resource id: ${why}`, `${path}.id`);
    }
    const chosen = ctx.shapeOnly ? [base] : this.treesFor(value, rt, base, profiles, path, ctx);
    for (const t of chosen) this.validateComplex(t, value, path, rt, ctx);
    if (ctx.shapeOnly) return this.leave(ctx, saved);
    if (rt === 'Bundle') checkBundle(value, path, ctx);
    if (isRoot) checkNarrativeLinks(value, path, ctx);
    if (rt === 'QuestionnaireResponse') this.questionnaires.check(value, path, ctx);
    if (rt === 'StructureDefinition') this.checkDifferential(value, path, ctx);
    if (rt === 'SearchParameter' || rt === 'CapabilityStatement') checkConformanceResource(value, path, ctx, this.registry);
    this.leave(ctx, saved);
  }

  /** Back to the resource that holds the one just walked. */
  private leave(ctx: ValidationContext, saved: Pick<ValidationContext, 'root' | 'resource' | 'bundle' | 'resourcePath'>): void {
    ctx.depth--;
    ctx.root = saved.root;
    ctx.resource = saved.resource;
    ctx.bundle = saved.bundle;
    ctx.resourcePath = saved.resourcePath;
  }

  /**
   * The trees a resource is walked against: the profiles asked for, those loaded guides declare for its type and the
   * vital-sign ones its code calls for, then those it claims in meta.profile (unknown ones are only warned about).
   * A profile's snapshot holds the base definition, so the base alone is walked only when no profile applies; a
   * profile derived from another selected one already carries its constraints (§2.11.0.1): the most derived only.
   */
  private treesFor(resource: Record<string, unknown>, rt: string, base: ElementNode, profiles: string[], path: string, ctx: ValidationContext): ElementNode[] {
    const required = [...profiles];
    for (const g of this.globalProfiles(rt)) if (!required.includes(g)) required.push(g);
    if (rt === 'Observation') for (const g of vitalSignsProfiles(resource)) if (!required.includes(g)) required.push(g);
    const trees: ElementNode[] = [];
    for (const url of required) this.addProfileTree(url, false, rt, path, ctx, trees);
    const meta = resource.meta;
    if (isObject(meta) && Array.isArray(meta.profile)) {
      for (const url of meta.profile) if (typeof url === 'string' && !required.includes(url)) this.addProfileTree(url, true, rt, path, ctx, trees);
    }
    const chosen = trees.length < 2 ? trees : trees.filter((t) => !trees.some((o) => o !== t && this.compiler.ancestors(o.owner).has(t.owner)));
    return chosen.length ? chosen : [base];
  }

  /** Adds the tree of a profile for a resource of type `rt`, or reports why it cannot be used. */
  private addProfileTree(url: string, claimed: boolean, rt: string, path: string, ctx: ValidationContext, trees: ElementNode[]): void {
    const tree = this.compiler.tree(url);
    const sd = this.compiler.structure(url);
    for (const p of this.compiler.problems.get(url) ?? []) ctx.error('exception', p, path);
    if (!tree || !sd) {
      if (claimed) ctx.warning('not-found', `Profile reference '${url}' has not been checked because it is unknown`, path);
      else ctx.error('not-found', `Unable to resolve the profile reference '${url}'`, path);
      return;
    }
    if (sd.type !== rt) ctx.error('structure', `The profile ${url} is for the type ${sd.type}, not ${rt}`, path);
    else trees.push(tree);
  }

  private globals?: Map<string, string[]>;

  /** A differential-only StructureDefinition must yield a snapshot (§2.11.0.1); report what blocks generation. */
  private checkDifferential(sd: Record<string, unknown>, path: string, ctx: ValidationContext): void {
    const s = sd as unknown as StructureDefinition;
    if (s.snapshot?.element?.length || !s.differential?.element?.length || typeof s.baseDefinition !== 'string') return;
    const base = this.compiler.structure(s.baseDefinition);
    if (!base) {
      ctx.error('not-found', `Unable to resolve the base definition ${s.baseDefinition}`, `${path}.baseDefinition`);
      return;
    }
    const problems: string[] = [];
    try {
      generateSnapshot(s, base, (code) => this.compiler.structure(code.includes(':') ? code : `http://hl7.org/fhir/StructureDefinition/${code}`), problems);
    } catch (e) {
      // A malformed differential (its structure errors are reported above) cannot yield a snapshot.
      problems.push(`Error generating snapshot: ${e instanceof Error ? e.message : String(e)}`);
    }
    for (const p of problems) ctx.error('exception', p, `${path}.differential`);
  }

  /** Profiles that loaded ImplementationGuides declare for every resource of a type (ImplementationGuide.global). */
  private globalProfiles(type: string): string[] {
    if (!this.globals) {
      this.globals = new Map();
      for (const ig of this.registry.listLoaded('ImplementationGuide')) {
        for (const g of (ig.global as { type?: string; profile?: string }[] | undefined) ?? []) {
          if (!g.type || !g.profile) continue;
          this.globals.set(g.type, [...(this.globals.get(g.type) ?? []), g.profile]);
        }
      }
    }
    return this.globals.get(type) ?? [];
  }

  /** Does a value conform to a profile (slicing by profile, §2.11.0.10)? Runs in a scratch context. */
  conforms(value: unknown, profile: string, ctx: ValidationContext): boolean {
    const scratch = ctx.fork();
    const tree = this.compiler.tree(profile);
    const sd = this.compiler.structure(profile);
    if (!tree || !sd) return false;
    if (isObject(value) && typeof value.resourceType === 'string') this.validateResource(value, 'x', [profile], scratch, false);
    else this.validateComplex(tree, value, 'x', sd.type, scratch);
    return !scratch.issues.some((i) => i.severity === 'error' || i.severity === 'fatal');
  }

  /** The properties of one JSON object against the children of `node`. */
  validateComplex(node: ElementNode, obj: unknown, path: string, type: string, ctx: ValidationContext, primitiveExtension = false): void {
    if (!isObject(obj)) {
      ctx.error('structure', `The property must be an Object, not ${obj === null ? 'a Null' : Array.isArray(obj) ? 'an Array' : 'a primitive'}`, path);
      return;
    }
    // As in JSON text: a property whose value is undefined is absent (JSON.stringify leaves it out).
    const keys = Object.keys(obj).filter((key) => obj[key] !== undefined);
    if (keys.length === 0) {
      ctx.error('invalid', 'Object must have some content', path);
      return;
    }
    const isResource = node.parent === undefined && obj.resourceType !== undefined && node.path === obj.resourceType;
    // The occurrences of each child, at the child's position in the definition.
    const groups = new Array<Item[] | undefined>(node.childList.length);
    let seenChoice: Map<ElementNode, string> | undefined;
    let hasUnderscore = false;
    for (const k of keys) if (k.charCodeAt(0) === 95) hasUnderscore = true;
    for (const key of keys) {
      if (key === 'resourceType' && isResource) continue;
      if (key === 'fhir_comments') continue;
      const isExt = key.charCodeAt(0) === 95; // '_': primitive extension companion (§2.6.2.3)
      const name = isExt ? key.slice(1) : key;
      const property = node.properties.get(name);
      if (!property) {
        ctx.error('structure', `Unrecognized property '${key}'`, `${path}.${key}`);
        continue;
      }
      const { node: child, type: choiceType } = property;
      if (choiceType) {
        seenChoice ??= new Map();
        const prev = seenChoice.get(child);
        if (prev && prev !== name) {
          ctx.error('structure', `Only one of the types of ${child.name}[x] may be present (found ${prev} and ${name})`, `${path}.${name}`);
          continue;
        }
        seenChoice.set(child, name);
      }
      this.collect(child, obj, name, isExt, choiceType, path, groups, ctx, hasUnderscore);
    }
    const outerType = ctx.currentType;
    const outerDef = ctx.currentDefPath;
    if (!primitiveExtension) {
      ctx.currentType = type;
      ctx.currentDefPath = node.basePath;
    }
    // Absent children matter only when required (min ≥ 1).
    const { childList } = node;
    for (let i = 0; i < childList.length; i++) {
      const items = groups[i];
      if (items || childList[i].min > 0) this.validateChild(childList[i], items ?? NONE, path, ctx);
    }
    ctx.currentType = outerType;
    ctx.currentDefPath = outerDef;
    if (!ctx.shapeOnly) for (const c of checksFor(node, this.svc)) c(obj, type, path, ctx);
  }

  /** Gathers the occurrences of one property and its `_` companion into items (§2.6.2 arrays and nulls). */
  private collect(
    child: ElementNode,
    obj: Record<string, unknown>,
    name: string,
    isExt: boolean,
    choiceType: string | undefined,
    path: string,
    groups: (Item[] | undefined)[],
    ctx: ValidationContext,
    hasUnderscore: boolean,
  ): void {
    if (isExt && obj[name] !== undefined) return; // handled with its value
    const raw = obj[name];
    const ext = hasUnderscore ? obj['_' + name] : undefined;
    const type = choiceType ?? child.singleType;
    const where = `${path}.${name}`;
    if (!shapeOk(child, raw, path, name, ctx) || !shapeOk(child, ext, path, '_' + name, ctx)) return;
    if (child.isArray) {
      const a = (raw as unknown[] | undefined) ?? NO_VALUES;
      const e = (ext as unknown[] | undefined) ?? NO_VALUES;
      if (ext !== undefined && raw !== undefined && a.length !== e.length) {
        ctx.error('structure', `The arrays ${name} and _${name} must have the same length`, where);
      }
      const n = Math.max(a.length, e.length);
      for (let i = 0; i < n; i++) {
        const v = a[i] ?? undefined;
        const x = e[i] ?? undefined;
        if (v === undefined && x === undefined) {
          ctx.error('structure', 'A null entry in an array must be matched by a value in the other array', `${where}[${i}]`);
          continue;
        }
        addItem(groups, child.order, { value: v, ext: x, index: i, key: name, type, path: `${where}[${i}]` });
      }
    } else {
      if (raw === null || ext === null) {
        ctx.error('structure', `The property ${name} cannot be null`, where);
        return;
      }
      addItem(groups, child.order, { value: raw, ext, index: 0, key: name, type, path: where });
    }
  }

  private validateChild(child: ElementNode, items: Item[], path: string, ctx: ValidationContext): void {
    if (ctx.shapeOnly) {
      for (const it of items) this.validateItem(child, it, ctx);
      return;
    }
    const label = child.path;
    if (items.length < child.min) {
      ctx.error('structure', `${label}: minimum required = ${child.min}, but only found ${items.length} (from ${child.owner})`, `${path}.${child.name}`);
    }
    if (items.length > child.max) {
      ctx.error('structure', `${label}: max allowed = ${child.max}, but found ${items.length} (from ${child.owner})`, `${path}.${child.name}`);
    }
    if (!items.length) return;
    if (child.name === 'extension' || child.name === 'modifierExtension') this.extensionCardinality(items, ctx);
    // Slicing without slices (Element.extension in every datatype) assigns nothing: the items are plain ones.
    if (child.slices.length) {
      this.validateSliced(child, items, ctx);
      return;
    }
    for (const it of items) this.validateItem(child, it, ctx);
  }

  /** Slicing (§2.11.0.10): assign each item to a slice, then slice cardinality, closed/ordered/openAtEnd rules. */
  private validateSliced(child: ElementNode, items: Item[], ctx: ValidationContext): void {
    const slicing = child.def.slicing ?? {};
    const assigned = this.assignSlices(child, items, ctx);
    checkSliceCardinality(child, items, assigned, ctx);
    let lastOrder = -1;
    let seenUnmatched = false;
    for (let i = 0; i < items.length; i++) {
      const it = items[i];
      const s = assigned[i];
      if (!s) {
        seenUnmatched = true;
        if (slicing.rules === 'closed') {
          ctx.error('structure', `This element does not match any known slice defined in the profile ${child.owner} and slicing is CLOSED`, it.path);
        }
        this.validateItem(child, it, ctx);
        continue;
      }
      const order = child.slices.indexOf(s);
      if (slicing.ordered && order < lastOrder) ctx.error('structure', `As specified by profile ${child.owner}, Element '${it.path}' is out of order in ordered slice`, it.path);
      if (slicing.rules === 'openAtEnd' && seenUnmatched) ctx.error('structure', `The slicing is open at end, but a sliced element follows an unsliced one`, it.path);
      lastOrder = Math.max(lastOrder, order);
      if (s.slices.length && s.def.slicing) this.validateSliced(s, [it], ctx);
      this.validateItem(s, it, ctx);
    }
  }

  /** The slice each item belongs to (undefined: none), by the discriminators of the slicing. */
  private assignSlices(child: ElementNode, items: Item[], ctx: ValidationContext): (ElementNode | undefined)[] {
    const assigned = new Array<ElementNode | undefined>(items.length);
    const ds = discriminatorsOf(child);
    if (!ds) return assigned;
    for (let i = 0; i < items.length; i++) {
      const valuesAt = valuesAtDiscriminators(items[i], ds, ctx);
      for (const s of child.slices) {
        if (matchesSlice(s, items[i], ds, valuesAt, this, ctx)) {
          assigned[i] = s;
          break;
        }
      }
    }
    return assigned;
  }

  /** One occurrence: primitive format, `_` companion, complex content by type, then the element's own checks. */
  validateItem(node: ElementNode, it: Item, ctx: ValidationContext): void {
    let type = it.type;
    if (!type && node.types.length > 1 && isObject(it.value) && typeof it.value.resourceType === 'string') {
      // A resource element constrained to several resource types (e.g. Bundle.entry.resource in a profile).
      const rt = it.value.resourceType;
      type = node.types.some((t) => t.code === rt) ? rt : 'Resource';
    }
    if (!type && node.types.length > 1) {
      ctx.error('structure', `The type of element ${it.key} is not known - it could not be determined from the information available`, it.path);
      return;
    }
    if (!type && node.types.length === 0 && !node.def.contentReference && !node.children.size) return;
    type ??= node.types.length ? typeCode(node.types[0]) : 'BackboneElement';
    const step = this.stepFor(node, type);
    if (step.kind === 'primitive') this.validatePrimitive(node, it, type, step.tree, ctx);
    else if (step.kind === 'resource') {
      // §2.4.1 contained and Bundle entries: their own resource boundary; contained keep the container as root.
      this.validateResource(it.value, it.path, step.typeRef?.profile ?? [], ctx, node.name !== 'contained');
    } else this.validateComplexItem(node, it, type, step, ctx);
  }

  /** A primitive occurrence: its lexical form, its `_` companion (id and extensions), then the element's checks. */
  private validatePrimitive(node: ElementNode, it: Item, type: string, typeTree: ElementNode | undefined, ctx: ValidationContext): void {
    if (it.value !== undefined) {
      const err = checkPrimitive(type, it.value);
      if (err) {
        ctx.error('invalid', err, it.path);
        return;
      }
    }
    if (it.ext !== undefined) {
      const outerDef = ctx.currentDefPath;
      const outerType = ctx.currentType;
      ctx.currentDefPath = node.basePath;
      ctx.currentType = type;
      if (typeTree) this.validateComplex(typeTree, it.ext, it.path, 'Element', ctx, true);
      ctx.currentDefPath = outerDef;
      ctx.currentType = outerType;
    }
    if (it.value !== undefined && !ctx.shapeOnly) for (const c of checksFor(node, this.svc)) c(it.value, type, it.path, ctx);
  }

  /** A datatype or backbone occurrence: the tree its type calls for, the type's own rules, then the checks. */
  private validateComplexItem(node: ElementNode, it: Item, type: string, step: TypeStep, ctx: ValidationContext): void {
    const v = it.value;
    if (ctx.shapeOnly) {
      // Extensions walked by Extension's own definition, whatever their url: their shape, not their meaning.
      if (step.tree) this.validateComplex(step.tree, v, it.path, type, ctx);
      return;
    }
    if (type === 'Extension' && isObject(v) && typeof v.url === 'string' && v.url.includes('|')) {
      // §2.22.0.1: Extension.url is the canonical URL alone; versions are not part of it.
      ctx.error('invalid', `The extension URL must not contain a version ('${v.url}')`, it.path);
    }
    let target = step.tree;
    if (step.byUrl && isObject(v) && typeof v.url === 'string') target = this.extensionTree(withoutVersion(v.url), it.path, ctx) ?? target;
    else if (step.missingProfile) {
      const p = step.missingProfile;
      ctx.error('structure', type === 'Extension' ? `The extension ${p} could not be found so is not allowed here` : `Unable to resolve the profile reference '${p}'`, it.path);
    }
    if (!target) {
      ctx.error('structure', `Unknown type '${type}'`, it.path);
      return;
    }
    if (type === 'Extension' && isObject(v)) checkExtensionContext(v, it.path, ctx, this.compiler, ctx.currentType, ctx.currentDefPath);
    if (type === 'Coding') checkCodingInSystem(v, it.path, ctx, this.terminology);
    if (type === 'Attachment') checkAttachment(v, it.path, ctx);
    const targetProfiles = step.typeRef?.targetProfile;
    if (type === 'Reference' && targetProfiles?.length) this.checkTargetProfiles(v, targetProfiles, it.path, ctx);
    this.validateComplex(target, v, it.path, type, ctx);
    if (target !== node) for (const c of checksFor(node, this.svc)) c(v, type, it.path, ctx);
    // The datatype's own invariants (e.g. per-1 on Period) live on its root element, not on the profile's element.
    if (target === node && step.typeRoot) for (const c of checksFor(step.typeRoot, this.svc)) c(v, type, it.path, ctx);
  }

  /** How occurrences of `type` at `node` are walked, worked out on first use. */
  private stepFor(node: ElementNode, type: string): TypeStep {
    // Most elements have one type: keep its plan at hand.
    if (type === node.singleType) return (node.singleTypeStep ??= this.planStep(node, type));
    node.steps ??= new Map();
    let step = node.steps.get(type);
    if (!step) node.steps.set(type, (step = this.planStep(node, type)));
    return step;
  }

  private planStep(node: ElementNode, type: string): TypeStep {
    const typeRef = node.typeByCode.get(type);
    if (isPrimitiveType(type)) return typeStep('primitive', typeRef, this.compiler.typeTree(type));
    if (type === 'Resource' || type === 'DomainResource' || this.compiler.isResourceType(type)) return typeStep('resource', typeRef, undefined);
    const typeTree = this.compiler.typeTree(type);
    // The element's own children first (a backbone element, or a datatype the profile constrains inside).
    if (node.children.size) {
      const typeRoot = !isResource(type) && typeTree !== node ? typeTree : undefined;
      return typeStep('complex', typeRef, node, { typeRoot });
    }
    const reference = node.def.contentReference;
    const referenced = reference ? this.findById(node, reference.slice(reference.indexOf('#') + 1)) : undefined;
    if (referenced) return typeStep('complex', typeRef, referenced);
    const profile = typeRef?.profile?.[0];
    // An extension without a profile is known by its url, instance by instance.
    if (type === 'Extension' && !profile) return typeStep('complex', typeRef, typeTree, { byUrl: true });
    const profiled = profile ? this.compiler.tree(profile) : undefined;
    return typeStep('complex', typeRef, profiled ?? typeTree, { missingProfile: profile && !profiled ? profile : undefined });
  }

  private readonly checkingTargets = new Set<unknown>();

  /**
   * A reference whose target is at hand (contained, or in the same Bundle) must point to a resource conforming to one
   * of the target profiles of its type (ElementDefinition.type.targetProfile, §2.11.0.4).
   */
  private checkTargetProfiles(ref: unknown, targetProfiles: string[], path: string, ctx: ValidationContext): void {
    const target = resolveInBundle(ref, ctx);
    if (!isObject(target) || typeof target.resourceType !== 'string' || this.checkingTargets.has(target)) return;
    const rt = target.resourceType;
    const candidates = targetProfiles.filter((p) => this.compiler.structure(p)?.type === rt);
    if (!candidates.length || candidates.some((p) => this.compiler.structure(p)?.derivation !== 'constraint')) return;
    this.checkingTargets.add(target);
    try {
      if (!candidates.some((p) => this.conforms(target, p, ctx))) {
        ctx.error('structure', `The resource referenced by ${String((ref as { reference?: unknown }).reference)} does not conform to the target profile(s) ${candidates.join(', ')}`, path);
      }
    } finally {
      this.checkingTargets.delete(target);
    }
  }

  /** An extension whose definition says max 1 (its root Extension element) appears once per element (§2.22.0.1). */
  private extensionCardinality(items: Item[], ctx: ValidationContext): void {
    if (!hasRepeatedUrl(items)) return;
    const counts = new Map<string, number>();
    for (const it of items) {
      const url = extensionUrl(it);
      if (url !== undefined) counts.set(url, (counts.get(url) ?? 0) + 1);
    }
    for (const [url, n] of counts) {
      if (n < 2) continue;
      const tree = this.compiler.tree(url);
      if (tree && n > tree.max) {
        ctx.error('structure', `The extension ${url} may appear at most ${tree.max} time(s) here, but appears ${n} times`, items[0].path.replace(/\[\d+\]$/, ''));
      }
    }
  }

  /**
   * The tree of an extension by its url. Unknown extensions are warned about (FHIR R4 §2.22.0 extensibility), except
   * unknown modifier extensions: they change the meaning of their element, so they cannot be ignored (§2.22.0.3).
   */
  private extensionTree(url: string, path: string, ctx: ValidationContext): ElementNode | undefined {
    const tree = this.compiler.tree(url);
    if (!tree) {
      const modifier = /\.modifierExtension\[\d+\]$/.test(path);
      // A relative url names a part of a complex extension whose definition is unknown: nothing more to say.
      if (modifier) ctx.error('structure', `The modifier extension ${url} is unknown, so the element cannot be understood`, path);
      else if (/^https?:|^urn:/.test(url)) ctx.warning('structure', `The extension ${url} is unknown, and not allowed here`, path);
    }
    return tree;
  }

  private findById(node: ElementNode, id: string): ElementNode | undefined {
    let root = node;
    while (root.parent) root = root.parent;
    const walk = (n: ElementNode): ElementNode | undefined => {
      if (n.id === id || n.path === id) return n;
      for (const c of n.children.values()) {
        const f = walk(c);
        if (f) return f;
      }
      return undefined;
    };
    return walk(root);
  }
}

/** Adds an occurrence to its child's group; most groups hold one item, so the array is made to measure. */
function addItem(groups: (Item[] | undefined)[], order: number, item: Item): void {
  const items = groups[order];
  if (items) items.push(item);
  else groups[order] = [item];
}

/** A TypeStep with every field set, so that all plans share one shape. */
function typeStep(kind: TypeStep['kind'], typeRef: TypeRef | undefined, tree: ElementNode | undefined, more: Partial<TypeStep> = {}): TypeStep {
  return { kind, typeRef, tree, byUrl: more.byUrl ?? false, missingProfile: more.missingProfile, typeRoot: more.typeRoot };
}

/** A canonical URL without its `|version`. */
function withoutVersion(url: string): string {
  const bar = url.indexOf('|');
  return bar < 0 ? url : url.slice(0, bar);
}

function extensionUrl(it: Item): string | undefined {
  const url = isObject(it.value) ? it.value.url : undefined;
  return typeof url === 'string' ? url : undefined;
}

/** Does an extension url occur twice among the items? (Pairs compared: extension lists are short.) */
function hasRepeatedUrl(items: Item[]): boolean {
  for (let i = 1; i < items.length; i++) {
    const url = extensionUrl(items[i]);
    if (url === undefined) continue;
    for (let j = 0; j < i; j++) if (extensionUrl(items[j]) === url) return true;
  }
  return false;
}

/** JSON shape of a property (§2.6.2): arrays exactly where the base repeats, never empty. */
function shapeOk(child: ElementNode, v: unknown, path: string, key: string, ctx: ValidationContext): boolean {
  if (Array.isArray(v)) {
    if (v.length === 0) {
      ctx.error('invalid', 'Array cannot be empty - the property should not be present if it has no values', `${path}.${key}`);
      return false;
    }
    if (!child.isArray) {
      ctx.error('structure', `This property must be an Object, not an Array`, `${path}.${key}`);
      return false;
    }
  } else if (v !== undefined && child.isArray) {
    ctx.error('structure', `This property must be an Array, not ${v === null ? 'a Null' : 'an Object or primitive'}`, `${path}.${key}`);
    return false;
  }
  return true;
}

function isResource(type: string): boolean {
  return type === 'Resource' || type === 'DomainResource';
}

export type { StructureDefinition };
