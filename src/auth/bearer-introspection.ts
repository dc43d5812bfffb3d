import express, { type NextFunction, type Request, type Response } from 'express';
import type Provider from 'oidc-provider';
import type { BearerResult } from './authenticate.js';

/**
 * Introspection with a bearer token instead of client authentication (token-introspection.html
 * #authorization-to-perform-token-introspection: a client allowed to introspect SHALL be able to authenticate with
 * an appropriately scoped access token, and may introspect tokens of any client). Here: a SMART Backend Services
 * token (system/ scopes). Requests with client authentication go on to oidc-provider's endpoint unchanged.
 */
export function bearerIntrospection(provider: Provider, verifyBearer: (req: Request) => Promise<BearerResult>) {
  const form = express.urlencoded({ extended: false, limit: '16kb' });
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'POST' || !/^Bearer\s/i.test(req.headers.authorization ?? '')) return next();
    form(req, res, async (err?: unknown) => {
      try {
        if (err) return next(err);
        res.setHeader('Cache-Control', 'no-store');
        const caller = await verifyBearer(req);
        if ('error' in caller) {
          res.status(401).setHeader('WWW-Authenticate', `Bearer error="${caller.error}"`).json({ error: caller.error, error_description: caller.description });
          return;
        }
        if (!caller.access.grants.some((g) => g.level === 'system')) {
          res.status(403).json({ error: 'insufficient_scope', error_description: 'introspection needs a backend services (system/) token' });
          return;
        }
        const value = (req.body as Record<string, unknown> | undefined)?.token;
        if (typeof value !== 'string' || !value) {
          res.status(400).json({ error: 'invalid_request', error_description: 'missing required parameter token' });
          return;
        }
        const token = (await provider.AccessToken.find(value)) ?? (await provider.ClientCredentials.find(value)) ?? (await provider.RefreshToken.find(value));
        if (!token || token.isExpired || (token as { consumed?: unknown }).consumed) {
          res.json({ active: false });
          return;
        }
        // The same fields oidc-provider's endpoint reports (RFC 7662 section 2.2), plus the stored SMART context.
        res.json({
          ...(token.extra ?? {}),
          active: true,
          client_id: token.clientId,
          exp: token.exp,
          iat: token.iat,
          iss: provider.issuer,
          scope: token.scope,
          ...(token.accountId ? { sub: token.accountId } : {}),
          ...(token.kind !== 'RefreshToken' ? { token_type: 'Bearer', aud: token.aud } : {}),
        });
      } catch (error) {
        next(error);
      }
    });
  };
}
