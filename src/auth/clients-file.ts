import { scryptSync, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ConfigError } from '../config/config.js';
import { isKnownScope } from './scopes.js';

/**
 * The registry of OAuth clients and sign-in accounts (app-launch.html#register-app-with-ehr: SMART leaves
 * registration out of band; here it is a reviewed JSON file). `{{BASE_URL}}` in any string is the server's public
 * base, so one file works on any host and port.
 */
export type ClientKind = 'public' | 'confidential-symmetric' | 'confidential-asymmetric' | 'backend';

export interface ClientEntry {
  client_id: string;
  kind: ClientKind;
  name: string;
  /** Scopes this client may be granted (a ceiling; v2 scopes cover their narrower forms). */
  scope: string;
  redirect_uris?: string[];
  /** Where an EHR starts the app (iss + launch are appended): used by the EHR sandbox. */
  launch_url?: string;
  client_secret?: string;
  token_endpoint_auth_method?: 'client_secret_basic' | 'client_secret_post';
  jwks?: { keys: Record<string, unknown>[] };
  jwks_uri?: string;
  /** An EHR client may create launch contexts (POST /auth/launch). */
  ehr?: boolean;
}

export interface AccountEntry {
  id: string;
  username: string;
  /** `scrypt$<salt>$<hex hash>`; plain `password` is accepted for demo accounts only, never in production. */
  passwordHash?: string;
  password?: string;
  /** The FHIR resource of the person, e.g. `Practitioner/123` (scopes-and-launch-context.html#fhiruser). */
  fhirUser: string;
  name: string;
}

export interface Registry {
  clients: ClientEntry[];
  accounts: AccountEntry[];
}

const KINDS: ClientKind[] = ['public', 'confidential-symmetric', 'confidential-asymmetric', 'backend'];

/** Reads and checks the registry file, reporting every problem at once. */
export function loadRegistry(file: string, baseUrl: string, production: boolean): Registry {
  if (!file) return { clients: [], accounts: [] };
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8').replaceAll('{{BASE_URL}}', baseUrl);
  } catch (err) {
    throw new ConfigError(`Invalid configuration:\n  CLIENTS_FILE=${file}: ${(err as Error).message}`);
  }
  const parsed = JSON.parse(raw) as Partial<Registry>;
  const registry: Registry = { clients: parsed.clients ?? [], accounts: parsed.accounts ?? [] };
  const problems = [...registry.clients.flatMap(clientProblems), ...registry.accounts.flatMap((a) => accountProblems(a, production))];
  const ids = registry.clients.map((c) => c.client_id);
  if (new Set(ids).size !== ids.length) problems.push('client_id values must be unique');
  if (problems.length) throw new ConfigError(`Invalid configuration:\n  CLIENTS_FILE=${file}:\n  ${problems.join('\n  ')}`);
  return registry;
}

function clientProblems(c: ClientEntry): string[] {
  const p: string[] = [];
  const at = `client ${c.client_id ?? '?'}`;
  if (!c.client_id) p.push(`${at}: client_id is required`);
  if (!KINDS.includes(c.kind)) p.push(`${at}: kind must be one of ${KINDS.join(', ')}`);
  for (const s of (c.scope ?? '').split(' ').filter(Boolean)) if (!isKnownScope(s)) p.push(`${at}: unknown scope ${s}`);
  if (c.kind !== 'backend' && !c.redirect_uris?.length) p.push(`${at}: redirect_uris are required`);
  if (c.kind === 'confidential-symmetric' && (c.client_secret ?? '').length < 32) p.push(`${at}: client_secret of 32+ characters required`);
  if ((c.kind === 'confidential-asymmetric' || c.kind === 'backend') && !c.jwks && !c.jwks_uri) p.push(`${at}: jwks or jwks_uri required`);
  if (c.kind === 'backend' && (c.scope ?? '').split(' ').some((s) => s && !s.startsWith('system/'))) p.push(`${at}: backend clients get system/ scopes only`);
  return p;
}

function accountProblems(a: AccountEntry, production: boolean): string[] {
  const p: string[] = [];
  const at = `account ${a.id ?? '?'}`;
  if (!a.id || !a.username) p.push(`${at}: id and username are required`);
  if (!/^(Practitioner|PractitionerRole|Patient|RelatedPerson|Person)\/[A-Za-z0-9\-.]{1,64}$/.test(a.fhirUser ?? '')) p.push(`${at}: fhirUser must be e.g. Practitioner/123`);
  if (!a.passwordHash && !a.password) p.push(`${at}: passwordHash required`);
  if (a.password && production) p.push(`${at}: plain passwords are refused in production (use passwordHash)`);
  return p;
}

/** Checks a password against an account in constant time. */
export function verifyPassword(account: AccountEntry, password: string): boolean {
  if (account.passwordHash) {
    const [scheme, salt, hash] = account.passwordHash.split('$');
    if (scheme !== 'scrypt' || !salt || !hash) return false;
    const expected = Buffer.from(hash, 'hex');
    const actual = scryptSync(password, salt, expected.length);
    return timingSafeEqual(expected, actual);
  }
  const expected = Buffer.from(account.password ?? '');
  const actual = Buffer.from(password);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** Client metadata for oidc-provider (RFC 7591 names) from a registry entry. */
export function toClientMetadata(c: ClientEntry): Record<string, unknown> {
  // The SMART scope ceiling is custom metadata: oidc-provider's own `scope` only admits its OpenID scopes.
  const common = { client_id: c.client_id, client_name: c.name, smart_scope: c.scope, smart_launch_url: c.launch_url, smart_ehr: c.ehr === true };
  const interactive = { redirect_uris: c.redirect_uris, response_types: ['code'], grant_types: ['authorization_code', 'refresh_token'] };
  const keys = c.jwks_uri ? { jwks_uri: c.jwks_uri } : { jwks: c.jwks };
  switch (c.kind) {
    case 'public':
      return { ...common, ...interactive, token_endpoint_auth_method: 'none' };
    case 'confidential-symmetric':
      return { ...common, ...interactive, client_secret: c.client_secret, token_endpoint_auth_method: c.token_endpoint_auth_method ?? 'client_secret_basic' };
    case 'confidential-asymmetric':
      return { ...common, ...interactive, ...keys, token_endpoint_auth_method: 'private_key_jwt' };
    case 'backend':
      return { ...common, ...keys, redirect_uris: [], response_types: [], grant_types: ['client_credentials'], token_endpoint_auth_method: 'private_key_jwt' };
  }
}
