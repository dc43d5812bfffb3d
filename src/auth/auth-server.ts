import { Router, type ErrorRequestHandler, type Request, type RequestHandler } from 'express';
import type { Config } from '../config/config.js';
import type { AccessContext } from '../fhir/access-context.js';
import type { Logger } from '../logger.js';
import type { SqlDriver } from '../storage/sql/sql-driver.js';
import { loadAuthSecrets } from './auth-secrets.js';
import { bearerVerifier, wwwAuthenticate, type BearerResult } from './authenticate.js';
import { keepOfflineAccess } from './authorize-request.js';
import { bearerIntrospection } from './bearer-introspection.js';
import { loadRegistry, type Registry } from './clients-file.js';
import { ehrSandboxRoutes } from './ehr-sandbox/ehr-sandbox-routes.js';
import { interactionRoutes, type PatientDirectory } from './interaction-routes.js';
import { GrantContextStore, LaunchStore } from './launch-store.js';
import { launchRoutes } from './launch-routes.js';
import { errorPage } from './pages.js';
import { createProvider } from './provider.js';
import { authEndpoints, smartConfiguration, type AuthEndpoints } from './smart-configuration.js';
import { VerifiedTokens } from './verified-tokens.js';

export interface AuthServerOptions {
  config: Config;
  /** The server's public base URL (no trailing slash). */
  baseUrl: string;
  driver: SqlDriver;
  patients: PatientDirectory;
  logger: Logger;
}

export interface AuthServer {
  /** Mount at the root of the express app: /auth/*, /ehr/. */
  router: Router;
  /** GET [base]/.well-known/smart-configuration (app-launch.html#smart-configuration), for the FHIR routes to mount. */
  discovery: RequestHandler;
  endpoints: AuthEndpoints;
  /** Verifies the bearer token of a FHIR request (app-launch.html#access-fhir-api). */
  verifyBearer(req: Request): Promise<BearerResult>;
  /** The AccessContext of a request, or undefined when its token is missing or invalid. */
  authenticate(req: Request): Promise<AccessContext | undefined>;
  /** The WWW-Authenticate value for a failed verification (RFC 6750 section 3). */
  challenge(req: Request, failure: Exclude<BearerResult, { access: AccessContext }>): string;
  /** Origins registered by browser apps (redirect URI origins), for CORS on the FHIR API. */
  allowedOrigins: ReadonlySet<string>;
  registry: Registry;
}

/** Builds the SMART App Launch 2.2 authorization server over the server's database. */
export async function createAuthServer(options: AuthServerOptions): Promise<AuthServer> {
  const { config, baseUrl, driver, logger } = options;
  const issuer = `${baseUrl}/auth`;
  const fhirBase = `${baseUrl}/fhir`;
  const registry = loadRegistry(config.clientsFile, baseUrl, config.production);
  const secrets = await loadAuthSecrets(config, driver, logger);
  const launches = new LaunchStore(driver, config.launchTtl);
  const contexts = new GrantContextStore(driver);
  const provider = createProvider({
    issuer,
    fhirBase,
    driver,
    registry,
    secrets,
    launches,
    contexts,
    ttl: { accessToken: config.accessTokenTtl, backendToken: config.backendTokenTtl, refreshToken: config.refreshTokenTtl },
  });
  provider.on('server_error', (_ctx, err) => logger.error('auth-server-error', { stack: String((err as Error)?.stack ?? err) }));
  // Refusals are logged with their OAuth error code and client, never with tokens or credentials.
  for (const [event, name] of [['grant.error', 'token-refused'], ['authorization.error', 'authorization-refused'], ['introspection.error', 'introspection-refused']] as const) {
    provider.on(event, (ctx, err) => {
      const e = err as { error?: string; error_description?: string };
      const client = (ctx as { oidc?: { client?: { clientId?: string } } }).oidc?.client?.clientId;
      logger.warn(name, { error: e.error, description: e.error_description, client });
    });
  }
  provider.on('grant.success', (ctx) => {
    const oidc = (ctx as { oidc?: { client?: { clientId?: string }; params?: { grant_type?: string } } }).oidc;
    logger.info('token-issued', { client: oidc?.client?.clientId, grantType: oidc?.params?.grant_type });
  });
  const endpoints = authEndpoints(issuer);
  const clientIds = new Set(registry.clients.map((c) => c.client_id));
  const verifyBearer = bearerVerifier({ provider, fhirBase, verified: await VerifiedTokens.open(driver), isRegistered: (id) => clientIds.has(id) });
  const basePath = new URL(issuer).pathname;

  const router = Router();
  const configuration = JSON.stringify(smartConfiguration(endpoints));
  // JSON whatever the Accept header, open to any origin (conformance.html#using-well-known, app-launch.html CORS).
  const discovery: RequestHandler = (_req, res) => {
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.type('application/json').send(configuration);
  };
  router.use(`${basePath}/authorize`, ...keepOfflineAccess());
  router.use(`${basePath}/token/introspection`, bearerIntrospection(provider, verifyBearer));
  router.use(`${basePath}/interaction`, interactionRoutes({ provider, basePath, fhirBase, accounts: registry.accounts, patients: options.patients, launches, contexts, grantTtl: config.refreshTokenTtl, logger }));
  router.use(`${basePath}/launch`, launchRoutes({ provider, launches, patients: options.patients, verifyBearer, launchTtl: config.launchTtl, logger }));
  router.use('/ehr', ehrSandboxRoutes({ baseUrl, registry }));
  router.use(basePath, provider.callback());
  router.use(oauthErrors(logger));

  const allowedOrigins = new Set(
    registry.clients.flatMap((c) => (c.kind === 'public' ? (c.redirect_uris ?? []) : [])).map((u) => URL.parse(u)?.origin).filter((o): o is string => !!o),
  );
  return {
    router,
    discovery,
    endpoints,
    verifyBearer,
    async authenticate(req) {
      const result = await verifyBearer(req);
      return 'access' in result ? result.access : undefined;
    },
    challenge: (req, failure) => wwwAuthenticate(fhirBase, failure, req.headers.authorization !== undefined),
    allowedOrigins,
    registry,
  };
}

/** Errors on the authorization server's own pages keep the OAuth shape (error, error_description). */
function oauthErrors(logger: Logger): ErrorRequestHandler {
  return (err, req, res, next) => {
    const e = err as { error?: string; error_description?: string; status?: number; statusCode?: number; message?: string };
    if (res.headersSent) return next(err);
    const status = e.status ?? e.statusCode ?? 500;
    if (!e.error && status >= 500) return next(err);
    const out = { error: e.error ?? 'invalid_request', error_description: status < 500 ? (e.error_description ?? e.message) : undefined };
    logger.warn('auth-error', { url: req.originalUrl, status, error: out.error });
    res.status(status).setHeader('Cache-Control', 'no-store');
    if (req.accepts(['json', 'html']) === 'html') res.type('html').send(errorPage(out));
    else res.json(out);
  };
}
