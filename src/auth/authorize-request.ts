import express, { type NextFunction, type Request, type Response } from 'express';

/**
 * Trap: oidc-provider silently drops `offline_access` from an authorization request unless `prompt` includes
 * `consent` (OpenID Connect Core 11). SMART apps ask for offline_access without prompt (app-launch.html
 * #refresh-access-token), and every authorization here shows the consent page anyway, so the request is given
 * `prompt=consent` before oidc-provider reads it. GET and POST (authorize-post) are handled alike.
 */
export function keepOfflineAccess() {
  const form = express.urlencoded({ extended: false, limit: '56kb' });
  return [
    form,
    (req: Request, _res: Response, next: NextFunction) => {
      if (req.method === 'POST' && req.body && typeof req.body === 'object') {
        const body = req.body as Record<string, string | undefined>;
        const prompt = withConsent(body.scope, body.prompt);
        if (prompt !== undefined) body.prompt = prompt;
      } else if (req.method === 'GET') {
        const q = req.url.indexOf('?');
        if (q >= 0) {
          const params = new URLSearchParams(req.url.slice(q + 1));
          const prompt = withConsent(params.get('scope') ?? undefined, params.get('prompt') ?? undefined);
          if (prompt !== undefined) {
            params.set('prompt', prompt);
            req.url = `${req.url.slice(0, q)}?${params.toString()}`;
          }
        }
      }
      next();
    },
  ];
}

function withConsent(scope: string | undefined, prompt: string | undefined): string | undefined {
  const scopes = (scope ?? '').split(' ');
  if (!scopes.includes('offline_access')) return prompt;
  const prompts = new Set((prompt ?? '').split(' ').filter(Boolean));
  if (prompts.has('none')) return prompt; // prompt=none cannot show consent; let oidc-provider apply its rule
  prompts.add('consent');
  return [...prompts].join(' ');
}
