import type { Express, RequestHandler } from 'express';
import { randomUUID } from 'node:crypto';
import type { AuthServer } from '../auth/index.js';
import type { AccessContext } from '../fhir/access-context.js';
import type { FhirContext } from '../fhir/fhir-request.js';
import { FhirError, outcome } from '../fhir/outcomes.js';
import type { Logger } from '../logger.js';
import { errorHandler } from './error-handler.js';
import { fhirRoutes } from './fhir-routes.js';
import { igRoutes } from './ig-routes.js';
import { smartAppRoutes } from './smart-app-routes.js';

export interface AppParts {
  fhir: FhirContext;
  logger: Logger;
  /** Log every request, not only failures. */
  accessLog: boolean;
  maxBodyBytes: number;
  /** The built implementation guide: package.tgz and site/. */
  igDir: string;
  /** The built SMART app (npm run build:app), served at /smart-app/. */
  appDir: string;
  /** The SMART authorization server: every /fhir request but the public ones needs its token. */
  auth: AuthServer;
}

/** Sets up the express application: request ids and access logs, the FHIR API at /fhir, one error handler. */
export function configureApp(app: Express, parts: AppParts): void {
  app.disable('x-powered-by');
  app.set('etag', false); // FHIR ETags are version ids, set by the FHIR layer
  app.use((req, res, next) => {
    const incoming = req.headers['x-request-id'];
    const requestId = typeof incoming === 'string' && /^[\w.-]{1,128}$/.test(incoming) ? incoming : randomUUID();
    res.setHeader('X-Request-Id', requestId);
    // Failures are logged by the error handler; every request only when asked for.
    if (parts.accessLog) {
      const start = process.hrtime.bigint();
      res.on('finish', () => {
        parts.logger.info('request', {
          requestId,
          method: req.method,
          url: req.originalUrl,
          status: res.statusCode,
          ms: Number(process.hrtime.bigint() - start) / 1e6,
        });
      });
    }
    next();
  });
  // The FHIR API first: it is what most requests ask for.
  app.get('/fhir/.well-known/smart-configuration', parts.auth.discovery);
  app.use(
    '/fhir',
    fhirCors(parts.auth.allowedOrigins),
    requireAccess(parts.auth),
    // Each request's FHIR context carries the caller's access (set by requireAccess), for the FHIR layer to enforce.
    // Built by Object.assign, not a spread: V8's IC log showed each context built by the spread with a map of its
    // own, so every read of a context took the slow path.
    fhirRoutes({ context: (req) => Object.assign({}, parts.fhir, { access: req.res?.locals.access as AccessContext | undefined }), maxBodyBytes: parts.maxBodyBytes }),
  );
  app.get('/', (_req, res) => res.redirect('/fhir/metadata'));
  app.get('/healthz', (_req, res) => res.json({ status: 'ok' }));
  app.use('/ig', igRoutes(parts.igDir));
  app.use('/smart-app', smartAppRoutes(parts.appDir));
  app.use(parts.auth.router);
  app.use(errorHandler(parts.logger));
}

/** Requests anyone may make: the CapabilityStatement and the discovery documents (conformance.html#using-well-known). */
const isPublic = (method: string, path: string) => (method === 'GET' || method === 'HEAD') && (path === '/metadata' || path.startsWith('/.well-known/'));

/**
 * Security by default: a valid bearer token or a 401 with `WWW-Authenticate` (RFC 6750 section 3). The resulting
 * AccessContext is `res.locals.access`, for the FHIR layer to enforce.
 */
function requireAccess(auth: AuthServer): RequestHandler {
  return async (req, res, next) => {
    if (isPublic(req.method, req.path)) return next();
    const result = await auth.verifyBearer(req);
    if ('error' in result) {
      throw new FhirError(401, outcome('error', 'login', result.description), { 'WWW-Authenticate': auth.challenge(req, result) });
    }
    res.locals.access = result.access;
    next();
  };
}

/**
 * CORS for browser apps (app-launch.html#considerations-for-cross-origin-resource-sharing-cors-support): public
 * documents to any origin, the API to the origins of registered browser apps. Tokens travel in the Authorization
 * header, never in cookies, so credentials are not allowed.
 */
function fhirCors(allowedOrigins: ReadonlySet<string>): RequestHandler {
  return (req, res, next) => {
    const origin = req.headers.origin;
    if (origin && (allowedOrigins.has(origin) || isPublic(req.method === 'OPTIONS' ? 'GET' : req.method, req.path))) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Vary', 'Origin');
      res.setHeader('Access-Control-Expose-Headers', 'Location, ETag, Content-Location, Last-Modified, WWW-Authenticate');
      if (req.method === 'OPTIONS') {
        res.setHeader('Access-Control-Allow-Methods', 'GET, HEAD, POST, PUT, PATCH, DELETE');
        res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, Accept, If-Match, If-None-Match, If-None-Exist, If-Modified-Since, Prefer, X-Request-Id');
        res.setHeader('Access-Control-Max-Age', '600');
        res.status(204).end();
        return;
      }
    }
    next();
  };
}
