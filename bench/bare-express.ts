import express from 'express';
import { createServer } from 'node:http';
import { createExpressServer } from '../src/http/express-server.js';

/**
 * The ceiling: express answering a read with a fixed FHIR JSON body, no storage, no FHIR logic, served as
 * `app.listen` serves it. With `prototypes` as second argument it is served as the FHIR server serves its app
 * (src/http/express-server.ts).
 */
const body = process.argv[2] ?? '{}';
const app = express();
app.get('/fhir/Patient/:id', (_req, res) => {
  res.setHeader('Content-Type', 'application/fhir+json; charset=utf-8');
  res.end(body);
});
const server = process.argv[3] === 'prototypes' ? createExpressServer(app).on('request', app) : createServer(app);
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stderr.write(`${JSON.stringify({ event: 'started', url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` })}\n`);
});
