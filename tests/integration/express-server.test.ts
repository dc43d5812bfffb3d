import express from 'express';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createExpressServer } from '../../src/http/express-server.js';

describe('createExpressServer', () => {
  test("requests and responses are created with the app's prototypes, and express works on them as usual", async () => {
    const app = express();
    app.get('/items/:id', (req, res) => res.status(201).json({ id: req.params.id, path: req.path, sameApp: req.app === app }));
    const server = createExpressServer(app);
    let createdWithPrototypes: boolean | undefined;
    // Before express sees them: what node created.
    server.on('request', (req, res) => (createdWithPrototypes = Object.getPrototypeOf(req) === app.request && Object.getPrototypeOf(res) === app.response));
    server.on('request', app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/items/42?x=1`);
      expect(res.status).toBe(201);
      expect(await res.json()).toEqual({ id: '42', path: '/items/42', sameApp: true });
      expect(createdWithPrototypes).toBe(true);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test('concurrent requests keep one shape (V8 map) each for requests and responses, so property accesses stay cached', () => {
    // In a process of its own, for V8's %HaveSameMap. Two requests are held at the route and compared there.
    const dir = mkdtempSync(join(tmpdir(), 'ccf-maps-'));
    const script = join(dir, 'maps.mts');
    writeFileSync(
      script,
      `import express from ${JSON.stringify(join(process.cwd(), 'node_modules/express/index.js'))};
       import { createExpressServer } from ${JSON.stringify(join(process.cwd(), 'src/http/express-server.ts'))};
       // Built at run time, so that only V8 parses the natives syntax, not the TypeScript loader.
       const sameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)');
       const app = express();
       const held = [];
       let result;
       app.get('/x', (req, res) => {
         held.push({ req, res });
         if (held.length < 2) return;
         result = { req: sameMap(held[0].req, held[1].req), res: sameMap(held[0].res, held[1].res) };
         for (const h of held.splice(0)) h.res.end('x');
       });
       const server = createExpressServer(app).on('request', app);
       await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
       const url = 'http://127.0.0.1:' + server.address().port + '/x';
       await Promise.all([fetch(url).then((r) => r.text()), fetch(url).then((r) => r.text())]);
       console.log(JSON.stringify(result));
       process.exit(0);`,
    );
    try {
      const child = spawnSync(process.execPath, ['--allow-natives-syntax', '--import', 'tsx', script], { cwd: process.cwd(), encoding: 'utf8', timeout: 60000 });
      expect([child.stderr.includes('Error'), JSON.parse(child.stdout.trim().split('\n').pop() || 'null')]).toEqual([false, { req: true, res: true }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
