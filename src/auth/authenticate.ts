import type { IncomingHttpHeaders } from 'node:http';
import type Provider from 'oidc-provider';
import type { AccessContext } from '../fhir/access-context.js';
import { parseScopes } from './scopes.js';
import type { VerifiedTokens } from './verified-tokens.js';

export type BearerFailure = { error: 'invalid_request' | 'invalid_token'; description: string };
export type BearerResult = { access: AccessContext } | BearerFailure;

export interface BearerVerifierParts {
  provider: Provider;
  fhirBase: string;
  /** Tokens already verified, dropped as soon as they are revoked anywhere. */
  verified: VerifiedTokens;
  /** Whether a client is in the clients file now. */
  isRegistered(clientId: string): boolean;
}

/**
 * Resource-server side of the protocol (app-launch.html#access-fhir-api): finds the opaque token in the shared store,
 * refuses it when unknown, revoked, expired or issued for another resource, and turns it into the plain
 * AccessContext the FHIR layer enforces.
 */
export function bearerVerifier({ provider, fhirBase, verified, isRegistered }: BearerVerifierParts) {
  /** A user's access token or a backend client's; remembered tokens spare most calls this lookup. */
  async function findToken(value: string) {
    return (await provider.AccessToken.find(value)) ?? (await provider.ClientCredentials.find(value));
  }

  return async function verifyBearer(req: { headers: IncomingHttpHeaders }): Promise<BearerResult> {
    const header = req.headers.authorization;
    if (!header) return { error: 'invalid_request', description: 'an access token is required (Authorization: Bearer ...)' };
    const match = /^Bearer\s+([A-Za-z0-9\-._~+/]+=*)\s*$/i.exec(header);
    if (!match) return { error: 'invalid_request', description: 'the Authorization header must use the Bearer scheme' };
    const value = match[1];
    const known = verified.get(value);
    if (known) return { access: known };
    const mark = verified.mark;
    const token = await findToken(value);
    if (!token || token.isExpired) return { error: 'invalid_token', description: 'the access token is unknown, revoked or expired' };
    // A client taken out of the clients file loses access at once, whatever tokens it still holds.
    if (!isRegistered(token.clientId)) return { error: 'invalid_token', description: 'the client of this token is no longer registered' };
    const audiences = Array.isArray(token.aud) ? token.aud : [token.aud];
    if (!audiences.includes(fhirBase)) return { error: 'invalid_token', description: 'the access token was not issued for this FHIR server' };
    const scope = token.scope ?? '';
    const extra = token.extra ?? {};
    const access: AccessContext = {
      clientId: token.clientId,
      subject: token.accountId ?? token.clientId,
      scope,
      grants: parseScopes(scope),
      ...(typeof extra.patient === 'string' ? { patient: extra.patient } : {}),
      // The contract's fhirUser is relative to this server ('Practitioner/123'); tokens carry it absolute.
      ...(typeof extra.fhirUser === 'string' ? { fhirUser: extra.fhirUser.replace(`${fhirBase}/`, '') } : {}),
    };
    verified.remember(value, mark, { access, expiresAt: (token.exp ?? 0) * 1000, grantId: token.grantId });
    return { access };
  };
}

/** The RFC 6750 section 3 challenge for a failed or missing token. */
export function wwwAuthenticate(realm: string, failure: BearerFailure, headerPresent: boolean): string {
  // RFC 6750 3.1: without any credentials the challenge should carry no error code.
  if (!headerPresent) return `Bearer realm="${realm}"`;
  return `Bearer realm="${realm}", error="${failure.error}", error_description="${failure.description.replace(/"/g, "'")}"`;
}
