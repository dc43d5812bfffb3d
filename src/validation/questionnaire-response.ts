import type { ConformanceRegistry, CanonicalResource } from '../ig/conformance-registry.js';
import type { TerminologyService } from '../terminology/value-set-expander.js';
import type { ValidationContext } from './validation-context.js';
import { compareQuantities } from './quantity.js';

/**
 * QuestionnaireResponse against its Questionnaire (FHIR R4 §12.? QuestionnaireResponse "Questionnaire conformance",
 * and the core/SDC extensions on items: minValue, maxValue, minLength, regex, maxDecimalPlaces, mimeType, maxSize,
 * questionnaire-minOccurs/maxOccurs, unitOption, referenceResource, sdc min/maxQuantity).
 */

interface Ext {
  url: string;
  [k: string]: unknown;
}

interface QItem {
  linkId: string;
  type: string;
  required?: boolean;
  repeats?: boolean;
  maxLength?: number;
  enableWhen?: { question?: string; operator?: string; [answer: string]: unknown }[];
  enableBehavior?: 'all' | 'any';
  answerOption?: Record<string, unknown>[];
  answerValueSet?: string;
  extension?: Ext[];
  item?: QItem[];
}

interface RItem {
  linkId?: string;
  answer?: Record<string, unknown>[];
  item?: RItem[];
}

const CORE = 'http://hl7.org/fhir/StructureDefinition/';
const SDC = 'http://hl7.org/fhir/uv/sdc/StructureDefinition/';

const ANSWER_TYPES: Record<string, string[]> = {
  boolean: ['Boolean'],
  decimal: ['Decimal'],
  integer: ['Integer'],
  date: ['Date'],
  dateTime: ['DateTime'],
  time: ['Time'],
  string: ['String'],
  text: ['String'],
  url: ['Uri'],
  choice: ['Coding', 'String'],
  'open-choice': ['Coding', 'String'],
  attachment: ['Attachment'],
  reference: ['Reference'],
  quantity: ['Quantity'],
};

function ext(item: QItem, url: string): Ext | undefined {
  return item.extension?.find((e) => e.url === url);
}

function extValue(e: Ext | undefined): unknown {
  if (!e) return undefined;
  for (const k in e) if (k.startsWith('value')) return e[k];
  return undefined;
}

function answerValue(a: Record<string, unknown>): { type: string; value: unknown } | undefined {
  for (const k in a) if (k.startsWith('value')) return { type: k.slice(5), value: a[k] };
  return undefined;
}


function compare(a: unknown, b: unknown): number | undefined {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') {
    // Dates of different precision compare on their common prefix (FHIRPath §5.4 partial dates); equal prefixes are
    // inside the range.
    const n = Math.min(a.length, b.length);
    return a.slice(0, n) < b.slice(0, n) ? -1 : a.slice(0, n) > b.slice(0, n) ? 1 : 0;
  }
  return undefined;
}

function show(v: unknown): string {
  if (typeof v !== 'object' || v === null) return String(v);
  const o = v as Record<string, unknown>;
  if ('code' in o && 'system' in o) return `${String(o.system)}::${String(o.code)}`;
  if ('value' in o) return `${String(o.value)} ${String(o.unit ?? o.code ?? '')}`.trim();
  return JSON.stringify(v);
}

export class QuestionnaireResponseChecker {
  constructor(
    private readonly registry: ConformanceRegistry,
    private readonly terminology: TerminologyService,
    private readonly isResourceType: (t: string) => boolean,
  ) {}

  /** Answers by linkId across the whole response, for enableWhen (§Questionnaire.item.enableWhen). */
  private answers = new Map<string, unknown[]>();

  check(qr: Record<string, unknown>, path: string, ctx: ValidationContext): void {
    this.answers = new Map();
    const collect = (items: RItem[] | undefined): void => {
      for (const it of items ?? []) {
        if (typeof it?.linkId === 'string') {
          const list = this.answers.get(it.linkId) ?? [];
          for (const a of it.answer ?? []) {
            const v = answerValue(a);
            if (v) list.push(v.value);
            collect(a.item as RItem[] | undefined);
          }
          this.answers.set(it.linkId, list);
        }
        collect(it?.item);
      }
    };
    collect(qr.item as RItem[] | undefined);
    const canonical = qr.questionnaire;
    if (typeof canonical !== 'string') return;
    const q = this.registry.get<CanonicalResource & { item?: QItem[] }>(canonical, 'Questionnaire');
    if (!q) {
      ctx.warning('not-found', `The questionnaire '${canonical}' could not be resolved, so the answers cannot be checked against it`, `${path}.questionnaire`);
      return;
    }
    this.items(q.item ?? [], (qr.item as RItem[] | undefined) ?? [], path, ctx, true);
  }

  private items(qItems: QItem[], rItems: RItem[], path: string, ctx: ValidationContext, parentPresent: boolean): void {
    const byId = new Map(qItems.map((i) => [i.linkId, i]));
    const seen = new Map<string, number>();
    rItems.forEach((r, i) => {
      const where = `${path}.item[${i}]`;
      const qi = typeof r.linkId === 'string' ? byId.get(r.linkId) : undefined;
      if (!qi) {
        ctx.error('not-found', `LinkId '${String(r.linkId)}' not found in questionnaire`, where);
        return;
      }
      seen.set(qi.linkId, (seen.get(qi.linkId) ?? 0) + 1);
      this.item(qi, r, where, ctx);
    });
    if (!parentPresent) return;
    for (const qi of qItems) {
      if (qi.type === 'display' || !this.enabled(qi)) continue;
      if (qi.required && !seen.get(qi.linkId)) ctx.error('required', `No response answer found for required item '${qi.linkId}'`, path);
      if ((seen.get(qi.linkId) ?? 0) > 1 && !qi.repeats) ctx.error('structure', `Only one response item with linkId '${qi.linkId}' is allowed`, path);
    }
  }

  /**
   * Evaluates enableWhen (operators exists, =, !=, <, >, <=, >=; enableBehavior all/any). Undecidable conditions count
   * as enabled, so that nothing is reported on guesswork.
   */
  private enabled(qi: QItem): boolean {
    const conditions = qi.enableWhen ?? [];
    if (!conditions.length) return true;
    const results = conditions.map((w) => {
      const given = this.answers.get(w.question ?? '') ?? [];
      const key = Object.keys(w).find((k) => k.startsWith('answer'));
      const expected = key ? w[key] : undefined;
      if (w.operator === 'exists') return given.length > 0 === (expected === true);
      if (expected === undefined) return true;
      const same = (v: unknown): boolean =>
        typeof expected === 'object' && expected !== null
          ? (expected as { code?: string }).code === (v as { code?: string } | null)?.code
          : v === expected;
      switch (w.operator) {
        case '=':
          return given.some(same);
        case '!=':
          return given.length > 0 && !given.some(same);
        case '<':
        case '>':
        case '<=':
        case '>=': {
          return given.some((v) => {
            const c = compare(v, expected);
            if (c === undefined) return true;
            return w.operator === '<' ? c < 0 : w.operator === '>' ? c > 0 : w.operator === '<=' ? c <= 0 : c >= 0;
          });
        }
        default:
          return true;
      }
    });
    return qi.enableBehavior === 'any' ? results.some(Boolean) : results.every(Boolean);
  }

  private item(qi: QItem, r: RItem, path: string, ctx: ValidationContext): void {
    const answers = r.answer ?? [];
    if (answers.length && !this.enabled(qi)) {
      ctx.error('invalid', `Item has answer, even though it is not enabled (item id = '${qi.linkId}')`, path);
    }
    if (qi.type === 'display' && answers.length) {
      ctx.error('structure', `Items of type 'display' cannot have answers`, path);
      return;
    }
    if ((qi.type === 'group' || qi.type === 'question') && answers.length) {
      ctx.error('structure', 'Items of type question should not have answers', path);
    }
    if (qi.type === 'group') {
      this.items(qi.item ?? [], r.item ?? [], path, ctx, true);
      return;
    }
    if (qi.required && answers.length === 0 && qi.type !== 'question' && this.enabled(qi)) {
      ctx.error('required', `No response answer found for required item '${qi.linkId}'`, path);
    }
    const minOccurs = extValue(ext(qi, CORE + 'questionnaire-minOccurs'));
    if (typeof minOccurs === 'number' && answers.length < minOccurs) {
      ctx.error('invalid', `The minimum number of answers is ${minOccurs} but this has ${answers.length} answers`, path);
    }
    const maxOccurs = extValue(ext(qi, CORE + 'questionnaire-maxOccurs'));
    if (typeof maxOccurs === 'number' && answers.length > maxOccurs) {
      ctx.error('invalid', `The maximum number of answers is ${maxOccurs} but this has ${answers.length} answers`, path);
    }
    if (answers.length > 1 && !qi.repeats) ctx.error('structure', `Only one answer is allowed for the item '${qi.linkId}'`, path);
    answers.forEach((a, k) => {
      const where = `${path}.answer[${k}]`;
      this.answer(qi, a, where, ctx);
      // Nested items under an answer (§QuestionnaireResponse.item.answer.item) follow the question's children.
      if (Array.isArray(a.item)) this.items(qi.item ?? [], a.item as RItem[], where, ctx, true);
    });
    if (r.item?.length) {
      if (qi.type !== 'group') this.items(qi.item ?? [], r.item, path, ctx, true);
    } else if (qi.item?.length && answers.length) {
      this.items(qi.item, [], path, ctx, false);
    }
  }

  private answer(qi: QItem, a: Record<string, unknown>, path: string, ctx: ValidationContext): void {
    const v = answerValue(a);
    if (!v) return;
    const allowed = ANSWER_TYPES[qi.type];
    if (allowed && !allowed.includes(v.type)) {
      const want = ({ text: 'string', choice: 'Coding', reference: 'Reference', attachment: 'Attachment', quantity: 'Quantity' } as Record<string, string>)[qi.type] ?? qi.type;
      ctx.error('invariant', `Answer value must be of the type ${want} not ${v.type}`, path);
      return;
    }
    const value = v.value;
    if (qi.answerOption?.length && (qi.type !== 'open-choice' || v.type === 'Coding')) {
      const ok = qi.answerOption.some((o) => {
        const ov = answerValue(o);
        if (!ov || ov.type !== v.type) return false;
        if (v.type === 'Coding') {
          const c1 = ov.value as { system?: string; code?: string };
          const c2 = value as { system?: string; code?: string };
          return c1.code === c2.code && (c1.system === undefined || c1.system === c2.system);
        }
        return JSON.stringify(ov.value) === JSON.stringify(value);
      });
      if (!ok) ctx.error('invariant', `The ${qi.type === 'choice' || qi.type === 'open-choice' ? 'code' : qi.type} ${show(value)} is not in the set of permitted values`, path);
    }
    if (qi.answerValueSet && v.type === 'Coding') {
      const c = value as { system?: string; code?: string };
      if (c.code && this.terminology.checkCode(qi.answerValueSet, c.system, c.code) === 'invalid') {
        ctx.error('invariant', `The code ${show(value)} is not in the value set ${qi.answerValueSet}`, path);
      }
    }
    this.limits(qi, v.type, value, path, ctx);
  }

  private limits(qi: QItem, type: string, value: unknown, path: string, ctx: ValidationContext): void {
    const min = extValue(ext(qi, CORE + 'minValue'));
    const max = extValue(ext(qi, CORE + 'maxValue'));
    for (const [limit, sign, word] of [[min, -1, 'less than the allowed minimum'], [max, 1, 'greater than the allowed maximum']] as const) {
      if (limit === undefined) continue;
      const c = compare(value, limit);
      if (c !== undefined && Math.sign(c) === sign) ctx.error('invariant', `The value ${String(value)} is ${word} of ${String(limit)}`, path);
    }
    if (type === 'String' && typeof value === 'string') {
      const minLength = extValue(ext(qi, CORE + 'minLength'));
      if (typeof minLength === 'number' && value.length < minLength) ctx.error('invariant', `The answer '${value}' is shorter then the required minimum length of ${minLength}`, path);
      if (typeof qi.maxLength === 'number' && value.length > qi.maxLength) ctx.error('invariant', `The answer '${value}' is longer than the maximum length of ${qi.maxLength}`, path);
      const regex = extValue(ext(qi, CORE + 'regex'));
      if (typeof regex === 'string') {
        try {
          if (!new RegExp(`^(?:${regex})$`).test(value)) ctx.error('invariant', `The answer '${value}' does not conform to the expected format (regex '${regex}')`, path);
        } catch {
          ctx.warning('invariant', `The regex '${regex}' of item ${qi.linkId} is not valid`, path);
        }
      }
    }
    if (type === 'Decimal' && typeof value === 'number') {
      const places = extValue(ext(qi, CORE + 'maxDecimalPlaces'));
      const text = String(value);
      const actual = text.includes('.') ? text.split('.')[1].length : 0;
      if (typeof places === 'number' && actual > places) ctx.error('invariant', `The value ${text} has too many decimal places (limit = ${places})`, path);
    }
    if (type === 'Attachment' && typeof value === 'object' && value !== null) {
      const att = value as { contentType?: string; size?: number; data?: string };
      const mimes = (qi.extension ?? []).filter((e) => e.url === CORE + 'mimeType').map((e) => extValue(e));
      if (mimes.length && att.contentType && !mimes.includes(att.contentType)) {
        ctx.error('required', `The mime type ${att.contentType} is not valid for this answer (allowed = ${mimes.join(', ')})`, path);
      }
      const maxSize = extValue(ext(qi, CORE + 'maxSize'));
      const size = typeof att.data === 'string' ? Buffer.from(att.data, 'base64').length : att.size;
      if (typeof maxSize === 'number' && typeof size === 'number' && size > maxSize) {
        ctx.error('required', `The attachment is too large (allowed = ${maxSize}, found = ${size})`, path);
      }
    }
    if (type === 'Quantity' && typeof value === 'object' && value !== null) this.quantity(qi, value as { value?: number; code?: string; system?: string; unit?: string }, path, ctx);
    if (type === 'Reference' && typeof value === 'object' && value !== null) {
      const ref = (value as { reference?: string }).reference;
      const m = typeof ref === 'string' ? /([A-Za-z]+)\/[A-Za-z0-9\-.]{1,64}(\/_history\/.*)?$/.exec(ref) : null;
      if (m) {
        if (!this.isResourceType(m[1])) ctx.error('invariant', `The resource type ${m[1]} in the reference ${ref} is not valid`, path);
        else {
          const allowed = (qi.extension ?? []).filter((e) => e.url === CORE + 'questionnaire-referenceResource').map((e) => String(extValue(e)));
          if (allowed.length && !allowed.includes(m[1])) ctx.error('invariant', `The resource type '${m[1]}' in the reference ${ref} is not allowed (allowed = ${allowed.join(',')})`, path);
        }
      }
    }
  }

  private quantity(qi: QItem, q: { value?: number; code?: string; system?: string; unit?: string }, path: string, ctx: ValidationContext): void {
    const options = (qi.extension ?? []).filter((e) => e.url === CORE + 'questionnaire-unitOption').map((e) => extValue(e) as { system?: string; code?: string });
    if (options.length && !options.some((o) => o.code === q.code && o.system === q.system)) {
      ctx.error('invariant', `The value ${show(q)} has a unit that is not valid`, path);
    }
    for (const [url, sign, word] of [[SDC + 'sdc-questionnaire-minQuantity', -1, 'less than the allowed minimum'], [SDC + 'sdc-questionnaire-maxQuantity', 1, 'greater than the allowed maximum']] as const) {
      const limit = extValue(ext(qi, url)) as { value?: number; code?: string; system?: string } | undefined;
      if (!limit) continue;
      if (!q.code || !limit.code) {
        ctx.error('invariant', `The quantity ${show(q)} cannot be compared to the allowed ${sign < 0 ? 'minimum' : 'maximum'} because no formal units are specified`, path);
        continue;
      }
      const c = compareQuantities(q, limit);
      if (c !== undefined && Math.sign(c) === sign) ctx.error('invariant', `The quantity ${show(q)} is ${word} of ${show(limit)}`, path);
    }
  }
}
