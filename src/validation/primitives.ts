/**
 * Lexical rules of the R4 primitive types as they appear in JSON (FHIR R4 §2.24.0.1 Primitive Types, §2.6.2 JSON
 * representation of primitives). Returns an error message, or undefined when the value is acceptable.
 */

const RE: Record<string, RegExp> = {
  // Regexes from the R4 datatypes page (and the fhir-type regex extensions of the R4 StructureDefinitions).
  id: /^[A-Za-z0-9\-.]{1,64}$/,
  uuid: /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
  uri: /^\S*$/,
  date: /^([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2][0-9]|3[0-1]))?)?$/,
  dateTime:
    /^([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2][0-9]|3[0-1])(T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?(Z|(\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00)))?)?)?$/,
  instant:
    /^([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)-(0[1-9]|1[0-2])-(0[1-9]|[1-2][0-9]|3[0-1])T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?(Z|(\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00))$/,
  time: /^([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?$/,
};

const PRIMITIVES = new Set([
  'boolean', 'integer', 'string', 'decimal', 'uri', 'url', 'canonical', 'base64Binary', 'instant', 'date', 'dateTime',
  'time', 'code', 'oid', 'id', 'markdown', 'unsignedInt', 'positiveInt', 'uuid', 'xhtml',
]);

/** True for the R4 primitive type codes (lower-case first letter). */
export function isPrimitiveType(code: string): boolean {
  return PRIMITIVES.has(code);
}

const DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Dates SHALL be valid dates (§2.24.0.1): the regex lets 2021-02-31 through. */
function badCalendarDate(v: string): boolean {
  // Days 01–28 exist in every month (the format regex has already checked the digits).
  if (v.length < 10 || v.charCodeAt(8) < 50 || (v.charCodeAt(8) === 50 && v.charCodeAt(9) < 57)) return false;
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(v);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (d > DAYS[mo - 1]) return true;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return mo === 2 && d === 29 && !leap;
}

const typeNames: Record<string, string> = { date: 'date', dateTime: 'date-time', instant: 'instant', time: 'time' };

/** Checks one JSON primitive value for a type code; returns an error text or undefined. */
export function checkPrimitive(type: string, value: unknown): string | undefined {
  switch (type) {
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `Error parsing JSON: the primitive value must be a boolean`;
    case 'integer':
    case 'unsignedInt':
    case 'positiveInt': {
      if (typeof value !== 'number') return `Error parsing JSON: the primitive value must be a number`;
      if (!Number.isInteger(value)) return `The value '${value}' is not a valid integer`;
      if (value > 2147483647 || value < -2147483648) return `The value '${value}' is outside the range of a 32-bit integer`;
      if (type === 'unsignedInt' && value < 0) return `The value '${value}' must be 0 or more (unsignedInt)`;
      if (type === 'positiveInt' && value < 1) return `The value '${value}' must be 1 or more (positiveInt)`;
      return undefined;
    }
    case 'decimal':
      return typeof value === 'number' && Number.isFinite(value)
        ? undefined
        : `Error parsing JSON: the primitive value must be a number`;
    default:
      break;
  }
  if (typeof value !== 'string') return `Error parsing JSON: the primitive value must be a string`;
  if (value.length === 0) return `@value cannot be empty`;
  if (type === 'string' || type === 'markdown') {
    // §2.24.0.1: strings SHOULD NOT have leading/trailing whitespace, but only size is an error (1 MB).
    return value.length > 1048576 ? 'String exceeds the maximum size of 1MB' : undefined;
  }
  if (type === 'xhtml') return undefined;
  if (type === 'url' || type === 'canonical') {
    if (!RE.uri.test(value)) return `URI values cannot have whitespace ('${value}')`;
    // §2.24.0.1 canonical: an absolute URL, or a fragment reference to a contained resource.
    if (type === 'canonical' && !value.startsWith('#') && !/^[A-Za-z][A-Za-z0-9+.-]*:/.test(value)) {
      return `Canonical URLs must be absolute URLs if they are not fragment references (${value})`;
    }
    return undefined;
  }
  if (type === 'uri') {
    if (!RE.uri.test(value)) return `URI values cannot have whitespace ('${value}')`;
    if (value.startsWith('urn:oid:') && !isOid(value)) return `OIDs must be valid (${excerpt(value)})`;
    if (value.startsWith('urn:uuid:') && !RE.uuid.test(value)) return `UUIDs must be valid and lowercase (${value.slice(9)})`;
    return undefined;
  }
  if (type === 'base64Binary') return isBase64(value) ? undefined : `The value '${excerpt(value)}' is not a valid Base64 value`;
  if (type === 'code') return isCode(value) ? undefined : `The value '${excerpt(value)}' is not a valid code`;
  if (type === 'oid') return isOid(value) ? undefined : `The value '${excerpt(value)}' is not a valid oid`;
  const re = RE[type];
  if (re && !re.test(value)) {
    if (type === 'id') return `Invalid id: '${value}'`;
    if (type in typeNames) return `Not a valid ${typeNames[type]} format: '${value}'`;
    return `The value '${value}' is not a valid ${type}`;
  }
  if ((type === 'date' || type === 'dateTime' || type === 'instant') && badCalendarDate(value)) {
    return `Not a valid date: '${value}'`;
  }
  return undefined;
}

/**
 * The R4 base64Binary regex, `(\s*([0-9a-zA-Z\+/=]){4}\s*)+`, in one pass: groups of four digits, whitespace only
 * between groups. The regex itself backtracks exponentially on a near miss (125 characters blocked the server for
 * a second) and overflows the stack on a few megabytes of attachment.
 */
function isBase64(value: string): boolean {
  let digits = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 43 || c === 47 || c === 61) digits++;
    else if (digits % 4 !== 0 || !/\s/.test(value[i])) return false;
  }
  return digits > 0 && digits % 4 === 0;
}

/*
 * R4's regexes for code, `[^\s]+( [^\s]+)*`, and oid, `urn:oid:[0-2](\.(0|[1-9][0-9]*))+`, repeat a group: V8's
 * regex engine goes one level deeper for each repetition, and overflowed its stack on a few megabytes. The same
 * rules without repeated groups:
 */

/** Words of anything but whitespace, single spaces between them. */
function isCode(value: string): boolean {
  return value[0] !== ' ' && value[value.length - 1] !== ' ' && !value.includes('  ') && !/[^\S ]/.test(value);
}

function isOid(value: string): boolean {
  if (!value.startsWith('urn:oid:')) return false;
  const [root, ...arcs] = value.slice('urn:oid:'.length).split('.');
  return /^[0-2]$/.test(root) && arcs.length > 0 && arcs.every((arc) => /^(0|[1-9][0-9]*)$/.test(arc));
}

/** A value as quoted in a message: an attachment's megabytes would make the message as large. */
function excerpt(value: string): string {
  return value.length > 100 ? `${value.slice(0, 100)}…` : value;
}
