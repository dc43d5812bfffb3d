import type { ErrorRequestHandler } from 'express';
import { FhirError, outcome } from '../fhir/outcomes.js';
import type { Logger } from '../logger.js';

/**
 * The only writer of error responses. FHIR errors carry their status and OperationOutcome; anything else is a bug:
 * a 500 with a generic text and the request id, the stack to the log.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const requestId = String(res.getHeader('X-Request-Id') ?? '');
    if (res.headersSent) {
      logger.error('error-after-headers', { requestId, message: String(err?.message ?? err) });
      res.end();
      return;
    }
    if (err instanceof FhirError) {
      for (const [name, value] of Object.entries(err.headers)) res.setHeader(name, value);
      res.status(err.status).type('application/fhir+json').send(JSON.stringify(err.outcome));
      return;
    }
    logger.error('unhandled-error', { requestId, method: req.method, url: req.originalUrl, stack: String(err?.stack ?? err) });
    const body = outcome('fatal', 'exception', `Internal server error (request id ${requestId})`);
    res.status(500).type('application/fhir+json').send(JSON.stringify(body));
  };
}
