import express, { Router } from 'express';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The implementation guide as its build left it: the FHIR package at /ig/package.tgz, the pages under /ig/. */
export function igRoutes(igDir: string): Router {
  const router = Router();
  const dir = resolve(igDir);
  router.get('/package.tgz', (_req, res) => {
    const tarball = join(dir, 'package.tgz');
    if (!existsSync(tarball)) {
      res.status(404).type('text/plain').send('The implementation guide has not been built: run npm run build:ig');
      return;
    }
    res.type('application/gzip').setHeader('Content-Disposition', 'attachment; filename="ca.communautesoignante.fhir-package.tgz"');
    res.sendFile(tarball);
  });
  router.use(express.static(join(dir, 'site'), { index: 'index.html', fallthrough: true }));
  router.use((_req, res) => {
    res.status(404).type('text/plain').send(existsSync(join(dir, 'site')) ? 'Not found' : 'The implementation guide has not been built: run npm run build:ig');
  });
  return router;
}
