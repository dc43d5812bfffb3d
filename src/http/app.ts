import express, { type Express } from 'express';
import { randomUUID } from 'node:crypto';
import type { FhirContext } from '../fhir/fhir-request.js';
import type { Logger } from '../logger.js';
import { errorHandler } from './error-handler.js';
import { fhirRoutes } from './fhir-routes.js';
import { igRoutes } from './ig-routes.js';
import { smartAppRoutes } from './smart-app-routes.js';

export interface AppParts {
  fhir: FhirContext;
  logger: Logger;
  maxBodyBytes: number;
  /** The built implementation guide: package.tgz and site/. */
  igDir: string;
  /** The built SMART app (npm run build:app), served at /smart-app/; default ./build/smart-app. */
  appDir?: string;
}

/** The express application: request ids and access logs, the FHIR API at /fhir, one error handler. */
export function createApp(parts: AppParts): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false); // FHIR ETags are version ids, set by the FHIR layer
  app.use((req, res, next) => {
    const incoming = req.headers['x-request-id'];
    const requestId = typeof incoming === 'string' && /^[\w.-]{1,128}$/.test(incoming) ? incoming : randomUUID();
    res.setHeader('X-Request-Id', requestId);
    const start = process.hrtime.bigint();
    res.on('finish', () => {
      if (res.statusCode >= 500 || process.env.ACCESS_LOG === 'true') {
        parts.logger.info('request', {
          requestId,
          method: req.method,
          url: req.originalUrl,
          status: res.statusCode,
          ms: Number(process.hrtime.bigint() - start) / 1e6,
        });
      }
    });
    next();
  });
  app.get('/', (_req, res) => res.redirect('/fhir/metadata'));
  app.get('/healthz', (_req, res) => res.json({ status: 'ok' }));
  app.use('/ig', igRoutes(parts.igDir));
  app.use('/smart-app', smartAppRoutes(parts.appDir ?? './build/smart-app'));
  app.use('/fhir', fhirRoutes({ context: () => parts.fhir, maxBodyBytes: parts.maxBodyBytes }));
  app.use(errorHandler(parts.logger));
  return app;
}
