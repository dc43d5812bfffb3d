import express, { Router } from 'express';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The SMART app as `npm run build:app` left it, at /smart-app/ (launch.html, index.html = the redirect URI). Serving
 * only: the app never imports server code. The pages may be framed by any EMR (the EHR launch often runs in an
 * iframe), so no X-Frame-Options; scripts and styles come from this origin only, while FHIR calls and the EHR's
 * smart_style_url may go to any server the app is launched against.
 */
export function smartAppRoutes(appDir: string): Router {
  const router = Router();
  const dir = resolve(appDir);
  router.use((_req, res, next) => {
    res.setHeader(
      'Content-Security-Policy',
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src *; frame-ancestors *; base-uri 'none'; form-action 'self'",
    );
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    next();
  });
  // Revalidate everything: the file names are stable (launch.html, app.js) and a stale app after a deploy would
  // speak to the server with yesterday's code; chunks are content-hashed and can be kept.
  router.use(
    express.static(dir, {
      index: 'index.html',
      fallthrough: true,
      setHeaders: (res, path) => res.setHeader('Cache-Control', /[\\/]chunks[\\/]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache'),
    }),
  );
  router.use((_req, res) => {
    res.status(404).type('text/plain').send(existsSync(dir) ? 'Not found' : 'The SMART app has not been built: run npm run build:app');
  });
  return router;
}
