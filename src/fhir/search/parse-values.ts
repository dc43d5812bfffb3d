import type { Prefix, RangeValue, ReferenceValue, TokenValue } from '../../storage/search-query.js';
import { badRequest } from '../outcomes.js';
import { dateRange } from './date-range.js';
import { parseReference } from './reference.js';

/** Splits on an unescaped separator and removes the escapes (R4 search.html#escaping). */
export function splitEscaped(value: string, separator: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (ch === '\\' && i + 1 < value.length && ',$|\\'.includes(value[i + 1])) {
      current += ch + value[++i];
    } else if (ch === separator) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts;
}

export function unescape(value: string): string {
  return value.replace(/\\([,$|\\])/g, '$1');
}

const PREFIXES = new Set<Prefix>(['eq', 'ne', 'gt', 'lt', 'ge', 'le', 'sa', 'eb', 'ap']);

function splitPrefix(value: string): [Prefix, string] {
  const head = value.slice(0, 2) as Prefix;
  return PREFIXES.has(head) && /^[a-z]{2}[-+0-9.]/.test(value) ? [head, value.slice(2)] : ['eq', value];
}

export function parseDateValue(param: string, raw: string): RangeValue {
  const [prefix, text] = splitPrefix(raw);
  const range = dateRange(text);
  if (!range) throw badRequest(`Invalid date in ${param}: '${raw}' (expected e.g. 2024-05-17 or ge2024-05-17T10:00:00Z)`, param);
  if (prefix === 'ap') {
    // "approximately": 10% of the distance to now, at least a day (R4 search.html#prefix leaves it to the server).
    const slack = Math.round(Math.max(86400000, Math.abs(Date.now() - range.low) * 0.1));
    return { prefix, low: range.low - slack, high: range.high + slack };
  }
  return { prefix, ...range };
}

const NUMBER = /^[-+]?(\d+)(?:\.(\d+))?(?:[eE]([-+]?\d+))?$/;

/** A number's implicit range from its significant digits: "100" is [99.5, 100.5] (R4 search.html#number). */
export function parseNumberValue(param: string, raw: string): RangeValue {
  const [prefix, text] = splitPrefix(raw);
  const m = NUMBER.exec(text);
  if (!m) throw badRequest(`Invalid number in ${param}: '${raw}'`, param);
  const value = Number(text);
  const decimals = m[2]?.length ?? 0;
  const exponent = m[3] ? Number(m[3]) : 0;
  const half = 0.5 * 10 ** (exponent - decimals);
  if (prefix === 'ap') return { prefix, low: value - Math.abs(value) * 0.1, high: value + Math.abs(value) * 0.1 };
  if (prefix === 'eq' || prefix === 'ne') return { prefix, low: value - half, high: value + half };
  return { prefix, low: value, high: value };
}

export function parseQuantityValue(param: string, raw: string): RangeValue & { system?: string; code?: string } {
  const [number, system, code, ...rest] = splitEscaped(raw, '|');
  if (rest.length) throw badRequest(`Invalid quantity in ${param}: '${raw}' (expected [prefix]number|system|code)`, param);
  const range = parseNumberValue(param, number);
  return { ...range, system: system ? unescape(system) : undefined, code: code ? unescape(code) : undefined };
}

export function parseTokenValue(param: string, raw: string): TokenValue {
  const parts = splitEscaped(raw, '|');
  if (parts.length > 2) throw badRequest(`Invalid token in ${param}: '${raw}' (expected [system|]code)`, param);
  if (parts.length === 1) return { code: unescape(parts[0]) };
  const [system, code] = parts.map(unescape);
  return { system: system === '' ? null : system, code: code === '' ? undefined : code };
}

export function parseReferenceValue(param: string, raw: string, baseUrl: string): ReferenceValue {
  const value = unescape(raw);
  if (/^[A-Za-z0-9\-.]{1,64}$/.test(value)) return { id: value };
  const parsed = parseReference(value, baseUrl);
  if (parsed.kind === 'local') return { targetType: parsed.type, id: parsed.id };
  if (parsed.kind === 'absolute' || parsed.kind === 'urn') return { url: parsed.url };
  throw badRequest(`Invalid reference in ${param}: '${raw}' (expected id, Type/id or an absolute URL)`, param);
}
