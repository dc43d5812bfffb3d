/**
 * Gets a SMART Backend Services access token (backend-services.html), as a worked example and a tool:
 *
 *   npx tsx scripts/smart-backend-token.ts <FHIR base> <private JWKS file> <client_id> "<scopes>"
 *   npx tsx scripts/smart-backend-token.ts http://127.0.0.1:8080/fhir config/demo-backend.private.jwks.json demo-backend "system/Patient.rs"
 *
 * Steps: discover the token endpoint, sign a one-time client assertion with the registered key (ES384 or RS384),
 * post a client_credentials request, print the JSON response.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { importJWK, SignJWT, type JWK } from 'jose';

const [fhirBase, jwksFile, clientId, scope] = process.argv.slice(2);
if (!fhirBase || !jwksFile || !clientId || !scope) {
  console.error('usage: smart-backend-token.ts <FHIR base> <private JWKS file> <client_id> "<scopes>"');
  process.exit(2);
}
const discovery = (await (await fetch(`${fhirBase}/.well-known/smart-configuration`)).json()) as { token_endpoint: string };
const jwk = (JSON.parse(readFileSync(jwksFile, 'utf8')) as { keys: (JWK & { alg: string; kid: string })[] }).keys[0];
const assertion = await new SignJWT({})
  .setProtectedHeader({ alg: jwk.alg, kid: jwk.kid, typ: 'JWT' })
  .setIssuer(clientId)
  .setSubject(clientId)
  .setAudience(discovery.token_endpoint)
  .setJti(randomUUID())
  .setExpirationTime('4m')
  .sign(await importJWK(jwk, jwk.alg));
const response = await fetch(discovery.token_endpoint, {
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams({
    grant_type: 'client_credentials',
    scope,
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: assertion,
  }),
});
console.log(JSON.stringify(await response.json(), null, 2));
process.exit(response.ok ? 0 : 1);
