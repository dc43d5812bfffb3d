import Provider, { errors, type ClientInstance, type Configuration, type KoaContextWithOIDC, type TokenInstance } from 'oidc-provider';
import type { SqlDriver } from '../storage/sql/sql-driver.js';
import type { AccountEntry, Registry } from './clients-file.js';
import { toClientMetadata } from './clients-file.js';
import type { GrantContextStore, LaunchStore } from './launch-store.js';
import { errorPage } from './pages.js';
import { isKnownScope, scopeAllowed } from './scopes.js';
import { SqlAdapter } from './sql-adapter.js';
import type { AuthSecrets } from './auth-secrets.js';

export interface ProviderParts {
  /** `<base>/auth`: the OAuth issuer; the provider is mounted there. */
  issuer: string;
  /** The FHIR base: the only resource (`aud`) tokens are issued for. */
  fhirBase: string;
  driver: SqlDriver;
  registry: Registry;
  secrets: AuthSecrets;
  launches: LaunchStore;
  contexts: GrantContextStore;
  ttl: { accessToken: number; backendToken: number; refreshToken: number };
}

/** Client authentication algorithms: SMART asks for RS384 or ES384 (client-confidential-asymmetric.html). */
export const CLIENT_AUTH_ALGS = ['RS384', 'ES384', 'RS256', 'ES256', 'PS384'];

/**
 * oidc-provider configured as a SMART App Launch 2.2 authorization server. Each SMART rule that differs from the
 * library's defaults is one small function below, named after the rule.
 */
export function createProvider(parts: ProviderParts): Provider {
  const accounts = new Map(parts.registry.accounts.map((a) => [a.id, a]));
  const configuration: Configuration = {
    // Clients come from the registry file through the adapter's Client model (read on each lookup, never stored).
    adapter: (model: string) => (model === 'Client' ? registryClients(parts.registry) : new SqlAdapter(parts.driver, model)),
    extraClientMetadata: { properties: ['smart_scope', 'smart_launch_url', 'smart_ehr'] },
    jwks: parts.secrets.jwks,
    cookies: {
      keys: parts.secrets.cookieKeys,
      // authorize-post needs the session cookie on cross-site form POSTs, hence SameSite=None (oidc-provider enforces
      // it). Browsers keep such cookies only when Secure, i.e. behind https: over plain http sign-in still works,
      // single sign-on between apps does not.
      long: { signed: true, httpOnly: true, sameSite: 'none' },
      short: { signed: true, httpOnly: true, sameSite: 'lax' },
    },
    findAccount: (_ctx: unknown, id: string) => findAccount(accounts, parts.fhirBase, id),
    claims: { openid: ['sub'], fhirUser: ['fhirUser'], profile: ['name'] },
    scopes: ['openid', 'offline_access', 'fhirUser', 'profile'],
    // SMART's aud and launch are authorization request parameters oidc-provider does not know.
    extraParams: {
      aud: (ctx: KoaContextWithOIDC, value: unknown) => checkAudience(parts.fhirBase, value),
      launch: (ctx: KoaContextWithOIDC, value: unknown, client: ClientInstance) => checkLaunch(parts.launches, ctx, value, client),
    },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      // token-introspection.html#authorization-to-perform-token-introspection: an authenticated (confidential or
      // backend) client may introspect any token; a public client only its own.
      introspection: {
        enabled: true,
        allowedPolicy: (_ctx: unknown, client: ClientInstance, token: TokenInstance) => client.clientAuthMethod !== 'none' || token.clientId === client.clientId,
      },
      // RFC 7009 section 2.1: a client revokes only its own tokens.
      revocation: { enabled: true, allowedPolicy: (_ctx: unknown, client: ClientInstance, token: TokenInstance) => token.clientId === client.clientId },
      userinfo: { enabled: false },
      rpInitiatedLogout: { enabled: false },
      dPoP: { enabled: false },
      pushedAuthorizationRequests: { enabled: false },
      // Trap: without a resource, oidc-provider issues UserInfo-only tokens and drops every SMART scope. The FHIR
      // base is the one resource; tokens for it are opaque so they can be introspected (and revoked).
      resourceIndicators: {
        enabled: true,
        defaultResource: () => parts.fhirBase,
        useGrantedResource: () => true,
        getResourceServerInfo: (ctx: KoaContextWithOIDC, resource: string, client: ClientInstance) =>
          resourceServerInfo(parts, ctx, resource, client),
      },
    },
    routes: { authorization: '/authorize', token: '/token', introspection: '/token/introspection', revocation: '/token/revocation', jwks: '/jwks' },
    // Trap: POST at the authorization endpoint is off by default (app-launch.html#request-4 requires GET and POST).
    enableHttpPostMethods: true,
    clientAuthMethods: ['none', 'client_secret_basic', 'client_secret_post', 'private_key_jwt'],
    // Trap: RS384/ES384 client assertions are not enabled by default.
    enabledJWA: { clientAuthSigningAlgValues: CLIENT_AUTH_ALGS, idTokenSigningAlgValues: ['RS256'] },
    // SMART 2 requires PKCE S256 of every app (app-launch.html#considerations-for-pkce-support); plain is never accepted.
    pkce: { required: () => true },
    responseTypes: ['code'],
    issueRefreshToken: (_ctx: unknown, client: ClientInstance, code: TokenInstance) =>
      client.grantTypeAllowed('refresh_token') && (code.scopes.has('offline_access') || code.scopes.has('online_access')),
    // online_access refresh tokens live as long as the user's sign-in session (app-launch.html#refresh-access-token).
    expiresWithSession: (_ctx: unknown, code: TokenInstance) => !code.scopes.has('offline_access'),
    // A new grant per authorization: each launch has its own context, stored under the grant id.
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const grantId = ctx.oidc.result?.consent?.grantId;
      return grantId ? ctx.oidc.provider.Grant.find(grantId) : undefined;
    },
    ttl: {
      AccessToken: parts.ttl.accessToken,
      ClientCredentials: parts.ttl.backendToken,
      AuthorizationCode: 60,
      IdToken: 3600,
      Interaction: 3600,
      Session: 8 * 3600,
      Grant: parts.ttl.refreshToken,
      RefreshToken: (_ctx: unknown, token: TokenInstance) => (token.scopes.has('offline_access') ? parts.ttl.refreshToken : 8 * 3600),
    },
    extraTokenClaims: (_ctx: unknown, token: TokenInstance) => tokenContext(parts.contexts, parts.fhirBase, token),
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `${new URL(parts.issuer).pathname}/interaction/${interaction.uid}` },
    clientBasedCORS: (_ctx: unknown, origin: string, client: ClientInstance) => registeredOrigin(origin, client),
    renderError: (ctx: KoaContextWithOIDC, out: { error: string; error_description?: string }) => {
      ctx.type = 'html';
      ctx.body = errorPage(out);
    },
  };
  const provider = new Provider(parts.issuer, configuration);
  if (parts.issuer.startsWith('https:')) provider.proxy = true;
  provider.use(smartTokenResponse);
  return provider;
}

function registryClients(registry: Registry) {
  const byId = new Map(registry.clients.map((c) => [c.client_id, toClientMetadata(c)]));
  const readOnly = async () => {
    throw new Error('clients are registered in CLIENTS_FILE');
  };
  return {
    find: async (id: string) => {
      const metadata = byId.get(id);
      // A fresh copy: oidc-provider may annotate what it is given.
      return metadata ? (JSON.parse(JSON.stringify(metadata)) as Record<string, unknown>) : undefined;
    },
    upsert: readOnly,
    destroy: readOnly,
    consume: readOnly,
    findByUid: async () => undefined,
    findByUserCode: async () => undefined,
    revokeByGrantId: async () => undefined,
  };
}

/** `aud` must name this FHIR server (app-launch.html#request-4): a token for another server is never issued. */
function checkAudience(fhirBase: string, value: unknown): void {
  if (typeof value !== 'string' || value.replace(/\/+$/, '') !== fhirBase) {
    throw new errors.InvalidRequest(`aud must be the FHIR base URL ${fhirBase}`);
  }
}

/** A launch value must exist, be unused and unexpired, and belong to this app (app-launch.html#launch-app-ehr-launch). */
async function checkLaunch(launches: LaunchStore, ctx: KoaContextWithOIDC, value: unknown, client: ClientInstance): Promise<void> {
  const scopes = String(ctx.oidc.params?.scope ?? '').split(' ');
  if (value === undefined) {
    if (scopes.includes('launch')) throw new errors.InvalidRequest('the launch scope requires the launch parameter of an EHR launch');
    return;
  }
  const launch = typeof value === 'string' ? await launches.peek(value) : undefined;
  if (!launch) throw new errors.InvalidRequest('launch is unknown, expired or already used');
  if (launch.clientId && launch.clientId !== client.clientId) throw new errors.InvalidRequest('launch was issued for another app');
}

/**
 * The FHIR server as resource server: which scopes a token for it may carry. For backend services this is where the
 * request is mediated against the client's pre-authorized scopes (backend-services.html#evaluate-requested-access);
 * for apps the grant made at consent is the authority and this only admits the scopes SMART defines.
 */
function resourceServerInfo(parts: ProviderParts, ctx: KoaContextWithOIDC, resource: string, client: ClientInstance) {
  if (resource.replace(/\/+$/, '') !== parts.fhirBase) throw new errors.InvalidTarget('the only resource is this FHIR server');
  const params = ctx.oidc.params ?? {};
  const split = (s: unknown) => (typeof s === 'string' ? s.split(' ').filter(Boolean) : []);
  if (params.grant_type === 'client_credentials') {
    const allowed = split(client.metadata().smart_scope);
    const granted = split(params.scope).filter((s) => s.startsWith('system/') && scopeAllowed(s, allowed));
    // Trap: oidc-provider would issue a token with an empty scope; SMART requires the granted scope.
    if (!granted.length) throw new errors.InvalidScope('none of the requested scopes is pre-authorized for this client');
    return { scope: granted.join(' '), audience: parts.fhirBase, accessTokenFormat: 'opaque', accessTokenTTL: parts.ttl.backendToken };
  }
  const candidates = new Set([
    ...split(params.scope),
    ...split(ctx.oidc.entities.Grant?.getResourceScope(resource)),
    ...split(ctx.oidc.entities.RefreshToken?.scope),
    ...split(ctx.oidc.entities.AuthorizationCode?.scope),
  ]);
  const scope = [...candidates].filter((s) => isKnownScope(s) && !s.startsWith('system/')).join(' ');
  return { scope, audience: parts.fhirBase, accessTokenFormat: 'opaque', accessTokenTTL: parts.ttl.accessToken };
}

async function findAccount(accounts: Map<string, AccountEntry>, fhirBase: string, id: string) {
  const account = accounts.get(id);
  if (!account) return undefined;
  return {
    accountId: id,
    // fhirUser is absolute in the id_token (scopes-and-launch-context.html#scopes-for-requesting-identity-data).
    claims: () => ({ sub: id, fhirUser: `${fhirBase}/${account.fhirUser}`, name: account.name }),
  };
}

/**
 * Stored with the token (so introspection reports it) and added to the token response. `fhirUser` is absolute, as in
 * the id_token, so introspection reports the ID token's claim (token-introspection.html#conditional-fields).
 */
async function tokenContext(contexts: GrantContextStore, fhirBase: string, token: TokenInstance): Promise<Record<string, unknown> | undefined> {
  if (!token.grantId) return undefined;
  const context = await contexts.find(token.grantId);
  if (!context) return undefined;
  const claims: Record<string, unknown> = Object.fromEntries(Object.entries(context).filter(([, v]) => v !== undefined));
  if (context.fhirUser) claims.fhirUser = `${fhirBase}/${context.fhirUser}`;
  return claims;
}

const TOKEN_RESPONSE_CONTEXT = ['patient', 'encounter', 'need_patient_banner', 'smart_style_url', 'intent', 'tenant', 'fhirContext'];

/**
 * Launch context comes alongside the access token as JSON parameters (scopes-and-launch-context.html
 * #launch-context-arrives-with-your-access_token); token responses also carry `Pragma: no-cache`
 * (app-launch.html#response-5).
 */
async function smartTokenResponse(ctx: KoaContextWithOIDC, next: () => Promise<void>): Promise<void> {
  await next();
  if (ctx.oidc?.route !== 'token') return;
  ctx.set('Pragma', 'no-cache');
  const body = ctx.body as Record<string, unknown> | undefined;
  if (ctx.status !== 200 || !body?.access_token) return;
  const extra = ctx.oidc.entities.AccessToken?.extra ?? {};
  for (const key of TOKEN_RESPONSE_CONTEXT) if (extra[key] !== undefined) body[key] = extra[key];
}

function registeredOrigin(origin: string, client: ClientInstance): boolean {
  if (origin === 'null') return false;
  return client.redirectUris.some((uri) => URL.parse(uri)?.origin === origin);
}
