import express from 'express';

/** The ceiling: express answering a read with a fixed FHIR JSON body, no storage, no FHIR logic. */
const body = process.argv[2] ?? '{}';
const app = express();
app.get('/fhir/Patient/:id', (_req, res) => {
  res.setHeader('Content-Type', 'application/fhir+json; charset=utf-8');
  res.end(body);
});
const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stderr.write(`${JSON.stringify({ event: 'started', url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` })}\n`);
});
