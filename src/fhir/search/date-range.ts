/**
 * The implicit range of a FHIR date, dateTime or instant (R4 datatypes.html#dateTime, search.html#date): "2020"
 * covers the whole year. Returned as inclusive epoch milliseconds. A value without a time zone is taken as UTC.
 */
const DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

export function dateRange(value: string): { low: number; high: number } | undefined {
  const m = DATE.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, tz] = m;
  const year = Number(y);
  const month = mo ? Number(mo) - 1 : 0;
  const day = d ? Number(d) : 1;
  if (month > 11 || day < 1 || day > 31 || (h && Number(h) > 23) || (mi && Number(mi) > 59) || (s && Number(s) > 60)) {
    return undefined;
  }
  const offset = tz && tz !== 'Z' ? (tz[0] === '-' ? -1 : 1) * (Number(tz.slice(1, 3)) * 60 + Number(tz.slice(4, 6))) * 60000 : 0;
  const utc = (yy: number, mm: number, dd = 1, hh = 0, mn = 0, ss = 0, ms = 0) => {
    if (yy >= 100) return Date.UTC(yy, mm, dd, hh, mn, ss, ms) - offset;
    // Date.UTC reads years 0 to 99 as 1900 to 1999.
    const at = new Date(0);
    at.setUTCFullYear(yy, mm, dd);
    at.setUTCHours(hh, mn, ss, ms);
    return at.getTime() - offset;
  };
  if (!mo) return { low: utc(year, 0), high: utc(year + 1, 0) - 1 };
  if (!d) return { low: utc(year, month), high: utc(year, month + 1) - 1 };
  if (utc(year, month, day) >= utc(year, month + 1)) return undefined; // e.g. February 30th
  if (!h) return { low: utc(year, month, day), high: utc(year, month, day + 1) - 1 };
  if (!s) {
    const low = utc(year, month, day, Number(h), Number(mi));
    return { low, high: low + 60000 - 1 };
  }
  if (!frac) {
    const low = utc(year, month, day, Number(h), Number(mi), Number(s));
    return { low, high: low + 1000 - 1 };
  }
  const digits = frac.length - 1;
  const low = utc(year, month, day, Number(h), Number(mi), Number(s)) + Math.floor(Number(frac) * 1000);
  return { low, high: digits >= 3 ? low : low + 10 ** (3 - digits) - 1 };
}
