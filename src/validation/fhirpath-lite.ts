/**
 * A small compiler for the FHIRPath subset most invariants use (paths, where/exists/empty/not/count/hasValue,
 * boolean logic, equality, comparison of numbers and of dates with now()/today(), literals), turning an expression
 * into plain closures over JSON. fhirpath.js is accurate but costs ~10 µs per evaluation; these closures cost well
 * under 1 µs. Anything outside the subset returns undefined at compile time, and anything it cannot judge at run
 * time throws {@link Unsupported}: the caller then uses fhirpath.js. Semantics follow FHIRPath N1 (§5 functions, §6
 * operators, three-valued logic) and the HL7 Java engine's `not()` (an empty input is false, so `{}.not()` is true).
 */

export class Unsupported extends Error {}

type Coll = unknown[];
type Fn = (focus: Coll, env: Env) => Coll;
interface Env {
  $this?: Coll;
}

const CHOICE_NAMES = new Set(
  'value effective onset abatement deceased multipleBirth occurrence performed timing serviced born age answer defaultValue fixed pattern minValue maxValue item medication product subject allowed used asNeeded reported rate dose content target detail offset scheduled probability when collected time created bodySite location source substance start end'.split(' '),
);
const TYPE_SUFFIX = /^(Boolean|Integer|Decimal|String|Uri|Url|Canonical|Code|Id|Oid|Uuid|Markdown|Base64Binary|Instant|Date|DateTime|Time|PositiveInt|UnsignedInt|Quantity|CodeableConcept|Coding|Reference|Period|Range|Ratio|SampledData|Attachment|Identifier|HumanName|Address|ContactPoint|Timing|Age|Duration|Count|Distance|Money|Signature|Annotation|Expression|Meta|Dosage|ContactDetail|RelatedArtifact|UsageContext|DataRequirement|ParameterDefinition|TriggerDefinition)$/;

function child(v: unknown, name: string, out: Coll): void {
  if (v instanceof Moment) throw new Unsupported();
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return;
  const o = v as Record<string, unknown>;
  let x = o[name];
  if (x === undefined && CHOICE_NAMES.has(name)) {
    for (const k in o) {
      if (k.length > name.length && k.startsWith(name) && TYPE_SUFFIX.test(k.slice(name.length))) {
        x = o[k];
        break;
      }
    }
  }
  if (x === undefined) {
    // An element present only through its `_x` extensions exists but has no value: outside the subset.
    if (o['_' + name] !== undefined) throw new Unsupported();
    return;
  }
  if (Array.isArray(x)) {
    for (const i of x) if (i !== null && i !== undefined) out.push(i);
  } else if (x !== null) out.push(x);
}

/** The result of `now()` or `today()`: the moment of evaluation, compared only with dates clearly before or after it. */
class Moment {
  constructor(readonly at: number) {}
}

const DAY_MS = 86_400_000;
const DATE_OR_TIME = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T[0-9:.]+(?:Z|[+-]\d{2}:\d{2})?)?)?)?$/;

/**
 * The order of a date or dateTime string against a moment: -1 before, 1 after. FHIRPath compares at the precision
 * both share, in time zones this subset does not model; so it decides only when the whole day, month or year the
 * string names lies more than a day (beyond any time-zone offset) away from the moment, and declines otherwise.
 */
function orderToMoment(value: string, moment: Moment): number {
  const m = DATE_OR_TIME.exec(value);
  if (!m) throw new Unsupported();
  const year = Number(m[1]);
  const month = m[2] === undefined ? 0 : Number(m[2]) - 1;
  const start = Date.UTC(year, month, m[3] === undefined ? 1 : Number(m[3]));
  const end = m[3] !== undefined ? start + DAY_MS : m[2] !== undefined ? Date.UTC(year, month + 1, 1) : Date.UTC(year + 1, 0, 1);
  if (end + 2 * DAY_MS < moment.at) return -1;
  if (start - 2 * DAY_MS > moment.at) return 1;
  throw new Unsupported();
}

/** The order of two singletons for `<`, `>`, `<=`, `>=`: integers, or a date against `now()`/`today()`. */
function order(x: unknown, y: unknown): number {
  if (typeof x === 'number' && typeof y === 'number') return x < y ? -1 : x > y ? 1 : 0;
  if (typeof x === 'string' && y instanceof Moment) return orderToMoment(x, y);
  if (x instanceof Moment && typeof y === 'string') return -orderToMoment(y, x);
  throw new Unsupported();
}

function truth(c: Coll): boolean | undefined {
  if (c.length === 0) return undefined;
  if (c.length === 1 && typeof c[0] === 'boolean') return c[0];
  // A non-boolean where a boolean is expected (FHIRPath §4.5 singleton evaluation): leave it to fhirpath.js.
  throw new Unsupported();
}

const bool = (b: boolean | undefined): Coll => (b === undefined ? [] : [b]);

function equal(a: Coll, b: Coll): Coll {
  if (a.length === 0 || b.length === 0) return [];
  if (a.length !== 1 || b.length !== 1) throw new Unsupported();
  const x = a[0];
  const y = b[0];
  if (typeof x === 'object' || typeof y === 'object') throw new Unsupported();
  if (typeof x !== typeof y) throw new Unsupported(); // e.g. date vs dateTime, decimal vs string: leave it to fhirpath.js
  return [x === y];
}

// ---- tokenizer -------------------------------------------------------------------------------------------------

type Tok = { t: 'id' | 'str' | 'num' | 'op' | 'end'; v: string };

function tokenize(src: string): Tok[] | undefined {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "'") {
      let s = '';
      i++;
      while (i < src.length && src[i] !== "'") {
        if (src[i] === '\\') {
          const n = src[i + 1];
          if (n === "'" || n === '\\' || n === '"' || n === '`' || n === '/') s += n;
          else return undefined;
          i += 2;
        } else s += src[i++];
      }
      if (src[i] !== "'") return undefined;
      i++;
      out.push({ t: 'str', v: s });
      continue;
    }
    if (c === '`') {
      const j = src.indexOf('`', i + 1);
      if (j < 0) return undefined;
      out.push({ t: 'id', v: src.slice(i + 1, j) });
      i = j + 1;
      continue;
    }
    const num = /^\d+(\.\d+)?/.exec(src.slice(i));
    if (num) {
      out.push({ t: 'num', v: num[0] });
      i += num[0].length;
      continue;
    }
    const id = /^[$A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
    if (id) {
      out.push({ t: 'id', v: id[0] });
      i += id[0].length;
      continue;
    }
    const op = /^(<=|>=|!=|[.(),=<>|])/.exec(src.slice(i));
    if (!op) return undefined;
    out.push({ t: 'op', v: op[0] });
    i += op[0].length;
  }
  out.push({ t: 'end', v: '' });
  return out;
}

// ---- parser / compiler ----------------------------------------------------------------------------------------

class Parser {
  private p = 0;
  /** The argument of the call being compiled when it is a lone string literal (for `matches`). */
  protected lastLiteral: string | undefined;
  constructor(private readonly toks: Tok[]) {}

  private peek(): Tok {
    return this.toks[this.p];
  }

  private take(v?: string): Tok {
    const t = this.toks[this.p];
    if (v !== undefined && t.v !== v) throw new Unsupported();
    this.p++;
    return t;
  }

  parse(): Fn {
    const f = this.implies();
    if (this.peek().t !== 'end') throw new Unsupported();
    return f;
  }

  private implies(): Fn {
    let left = this.or();
    while (this.peek().t === 'id' && this.peek().v === 'implies') {
      this.take();
      const l = left;
      const r = this.or();
      left = (f, e) => {
        const a = truth(l(f, e));
        if (a === false) return [true];
        const b = truth(r(f, e));
        if (a === true) return bool(b);
        return b === true ? [true] : [];
      };
    }
    return left;
  }

  private or(): Fn {
    let left = this.and();
    while (this.peek().t === 'id' && (this.peek().v === 'or' || this.peek().v === 'xor')) {
      const op = this.take().v;
      const l = left;
      const r = this.and();
      left =
        op === 'or'
          ? (f, e) => {
              const a = truth(l(f, e));
              if (a === true) return [true];
              const b = truth(r(f, e));
              if (b === true) return [true];
              return a === false && b === false ? [false] : [];
            }
          : (f, e) => {
              const a = truth(l(f, e));
              const b = truth(r(f, e));
              return a === undefined || b === undefined ? [] : [a !== b];
            };
    }
    return left;
  }

  private and(): Fn {
    let left = this.equality();
    while (this.peek().t === 'id' && this.peek().v === 'and') {
      this.take();
      const l = left;
      const r = this.equality();
      left = (f, e) => {
        const a = truth(l(f, e));
        if (a === false) return [false];
        const b = truth(r(f, e));
        if (b === false) return [false];
        return a === true && b === true ? [true] : [];
      };
    }
    return left;
  }

  private equality(): Fn {
    const left = this.relational();
    const t = this.peek();
    if (t.t === 'op' && (t.v === '=' || t.v === '!=')) {
      this.take();
      const right = this.relational();
      if (t.v === '=') return (f, e) => equal(left(f, e), right(f, e));
      return (f, e) => {
        const r = equal(left(f, e), right(f, e));
        return r.length ? [!r[0]] : [];
      };
    }
    return left;
  }

  private relational(): Fn {
    const left = this.union();
    const t = this.peek();
    if (t.t === 'op' && ['<', '>', '<=', '>='].includes(t.v)) {
      this.take();
      const right = this.union();
      const op = t.v;
      return (f, e) => {
        const a = left(f, e);
        const b = right(f, e);
        if (!a.length || !b.length) return [];
        if (a.length !== 1 || b.length !== 1) throw new Unsupported();
        const o = order(a[0], b[0]);
        return [op === '<' ? o < 0 : op === '>' ? o > 0 : op === '<=' ? o <= 0 : o >= 0];
      };
    }
    return left;
  }

  private union(): Fn {
    let left = this.term();
    while (this.peek().t === 'op' && this.peek().v === '|') {
      this.take();
      const l = left;
      const r = this.term();
      left = (f, e) => {
        const out = [...l(f, e)];
        for (const x of r(f, e)) if (!out.some((y) => y === x)) out.push(x);
        return out;
      };
    }
    return left;
  }

  private term(): Fn {
    const t = this.peek();
    let fn: Fn;
    if (t.t === 'str') {
      this.take();
      const v = [t.v];
      fn = () => v;
    } else if (t.t === 'num') {
      this.take();
      const v = [Number(t.v)];
      if (t.v.includes('.')) throw new Unsupported(); // decimals compare by precision in FHIRPath
      fn = () => v;
    } else if (t.t === 'op' && t.v === '(') {
      this.take();
      fn = this.implies();
      this.take(')');
    } else if (t.t === 'id' && (t.v === 'true' || t.v === 'false')) {
      this.take();
      const v = [t.v === 'true'];
      fn = () => v;
    } else if (t.t === 'id') {
      fn = this.invocation((f) => f);
    } else {
      throw new Unsupported();
    }
    while (this.peek().t === 'op' && this.peek().v === '.') {
      this.take();
      fn = this.invocation(fn);
    }
    return fn;
  }

  /** One step `name` or `fn(args)` applied to the result of `input`. */
  private invocation(input: (f: Coll, e: Env) => Coll): Fn {
    const name = this.take().v;
    if (this.peek().t === 'op' && this.peek().v === '(') {
      this.take();
      const next = this.peek();
      this.lastLiteral = next.t === 'str' && this.toks[this.p + 1]?.v === ')' ? next.v : undefined;
      const arg = this.peek().t === 'op' && this.peek().v === ')' ? undefined : this.implies();
      this.take(')');
      return this.func(name, input, arg);
    }
    if (name === '$this') return (f, e) => input(e.$this ?? f, e);
    if (['is', 'as', 'contains', 'in', 'div', 'mod', 'implies', 'and', 'or', 'xor'].includes(name)) throw new Unsupported();
    if (/^[A-Z]/.test(name)) throw new Unsupported(); // type names (`Patient.name`) need the model
    return (f, e) => {
      const out: Coll = [];
      for (const v of input(f, e)) child(v, name, out);
      return out;
    };
  }

  private func(name: string, input: (f: Coll, e: Env) => Coll, arg: Fn | undefined): Fn {
    const each = (items: Coll, env: Env, cond: Fn): boolean[] => items.map((x) => truth(cond([x], { ...env, $this: [x] })) === true);
    switch (name) {
      case 'exists':
        return arg ? (f, e) => [each(input(f, e), e, arg).some(Boolean)] : (f, e) => [input(f, e).length > 0];
      case 'empty':
        if (arg) throw new Unsupported();
        return (f, e) => [input(f, e).length === 0];
      case 'not':
        if (arg) throw new Unsupported();
        return (f, e) => {
          const c = input(f, e);
          return [!(c.length === 1 && typeof c[0] === 'boolean' ? c[0] : c.length > 0)];
        };
      case 'count':
        if (arg) throw new Unsupported();
        return (f, e) => [input(f, e).length];
      case 'hasValue':
        if (arg) throw new Unsupported();
        return (f, e) => {
          const c = input(f, e);
          if (c[0] instanceof Moment) throw new Unsupported();
          return [c.length === 1 && (typeof c[0] !== 'object' || c[0] === null)];
        };
      case 'where':
        if (!arg) throw new Unsupported();
        return (f, e) => {
          const items = input(f, e);
          const keep = each(items, e, arg);
          return items.filter((_, i) => keep[i]);
        };
      case 'matches': {
        // The regex must be a literal: compiled once, whole-string match as the Java engine does (String.matches),
        // without the unicode flag that makes fhirpath.js reject R4's own eld-19/eld-20 patterns.
        if (!arg || !this.lastLiteral) throw new Unsupported();
        let re: RegExp;
        try {
          re = new RegExp(`^(?:${this.lastLiteral})$`, 's');
        } catch {
          throw new Unsupported();
        }
        return (f, e) => {
          const c = input(f, e);
          if (c.length === 0) return [];
          if (c.length !== 1 || typeof c[0] !== 'string') throw new Unsupported();
          return [re.test(c[0])];
        };
      }
      case 'now':
      case 'today':
        if (arg) throw new Unsupported();
        return () => [new Moment(Date.now())];
      case 'all':
        if (!arg) throw new Unsupported();
        return (f, e) => [each(input(f, e), e, arg).every(Boolean)];
      default:
        throw new Unsupported();
    }
  }
}

/** Compiles an expression of the subset; undefined when it uses anything else. */
export function compileLite(expression: string): ((focus: unknown) => unknown[]) | undefined {
  const toks = tokenize(expression);
  if (!toks) return undefined;
  try {
    const fn = new Parser(toks).parse();
    return (focus) => fn(focus === undefined ? [] : [focus], {});
  } catch (e) {
    if (e instanceof Unsupported) return undefined;
    throw e;
  }
}
