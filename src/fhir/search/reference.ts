/** How a Reference.reference string is understood (R4 references.html#literal). */
export type ParsedReference =
  | { kind: 'local'; type: string; id: string; version?: string }
  | { kind: 'absolute'; url: string }
  | { kind: 'contained'; id: string }
  | { kind: 'urn'; url: string }
  | { kind: 'invalid' };

const LOCAL = /^([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/([A-Za-z0-9\-.]{1,64}))?$/;

/** Parses a literal reference; absolute URLs on this server's own base become local. */
export function parseReference(reference: string, baseUrl: string): ParsedReference {
  if (reference.startsWith('#')) return { kind: 'contained', id: reference.slice(1) };
  if (reference.startsWith('urn:')) return { kind: 'urn', url: reference };
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  const relative = reference.startsWith(base) ? reference.slice(base.length) : reference;
  const m = LOCAL.exec(relative);
  if (m) return { kind: 'local', type: m[1], id: m[2], version: m[3] };
  if (/^[a-z][a-z0-9+.-]*:/i.test(reference)) return { kind: 'absolute', url: reference };
  return { kind: 'invalid' };
}
