// A tiny static file server (node:http) that mounts the site the way the FHIR server will: the site folder at /ig/
// and the package at /ig/package.tgz. Bound to 127.0.0.1 on port 0.
import { createServer, type Server } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/fhir+json; charset=utf-8',
  '.tgz': 'application/gzip',
};

export interface StaticSite {
  baseUrl: string;
  close(): Promise<void>;
}

export async function serveSite(siteDir: string, tarball: string): Promise<StaticSite> {
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    let file: string | undefined;
    if (url.pathname === '/ig/package.tgz') file = tarball;
    else if (url.pathname.startsWith('/ig/')) {
      const rel = decodeURIComponent(url.pathname.slice('/ig/'.length)) || 'index.html';
      const candidate = path.resolve(siteDir, rel);
      if (candidate.startsWith(path.resolve(siteDir))) file = candidate;
      if (file && existsSync(file) && statSync(file).isDirectory()) file = path.join(file, 'index.html');
    }
    if (!file || !existsSync(file)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
