import express, { Router, type Request, type Response } from 'express';
import type Provider from 'oidc-provider';
import type { InteractionDetails } from 'oidc-provider';
import type { AccessContext } from '../fhir/access-context.js';
import type { Logger } from '../logger.js';
import type { AccountEntry } from './clients-file.js';
import { verifyPassword } from './clients-file.js';
import { decideConsent, needsPatient, oidcScopes } from './consent.js';
import type { GrantContextStore, LaunchStore, StoredLaunch } from './launch-store.js';
import { LoginThrottle } from './login-throttle.js';
import { consentPage, loginPage, pickLang, type PatientChoice } from './pages.js';
import { parseScopes } from './scopes.js';

/**
 * How the authorization server looks patients up for the patient picker, without depending on the FHIR layer. The
 * lookups are made as the person choosing (their access context), so the FHIR layer's policy and audit apply.
 */
export interface PatientDirectory {
  search(text: string, as: AccessContext): Promise<PatientChoice[]>;
  find(id: string, as: AccessContext): Promise<PatientChoice | undefined>;
}

/** The access a signed-in person has while choosing a patient: reading patients as themselves. */
export function pickerAccess(clientId: string, account: AccountEntry): AccessContext {
  return { clientId, subject: account.id, scope: 'user/Patient.rs', grants: parseScopes('user/Patient.rs'), fhirUser: account.fhirUser };
}

export interface InteractionParts {
  provider: Provider;
  basePath: string;
  fhirBase: string;
  accounts: AccountEntry[];
  patients: PatientDirectory;
  launches: LaunchStore;
  contexts: GrantContextStore;
  grantTtl: number;
  logger: Logger;
}

/**
 * The people-facing steps oidc-provider delegates (docs/README.md#interactions): sign-in, then consent with the
 * patient choice of a standalone launch, within one interaction. Errors end the interaction with an OAuth error sent
 * to the app. Keeping sign-in and consent in one interaction means the flow never depends on the session cookie
 * surviving between two interactions (it does not over plain http, where SameSite=None cookies are dropped).
 */
export function interactionRoutes(parts: InteractionParts): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '16kb' });
  const accountsById = new Map(parts.accounts.map((a) => [a.id, a]));
  const throttle = new LoginThrottle();

  router.get('/:uid', async (req, res, next) => {
    try {
      const details = await parts.provider.interactionDetails(req, res);
      const lang = pickLang(req.query.lang, req.headers['accept-language']);
      const selfHref = `${parts.basePath}/interaction/${details.uid}`;
      const client = await parts.provider.Client.find(String(details.params.client_id));
      const appName = client?.clientName ?? String(details.params.client_id);
      res.setHeader('Cache-Control', 'no-store');
      res.type('html');
      const account = accountsById.get(signedIn(details) ?? '');
      if (!account) {
        res.send(loginPage(lang, `${selfHref}/login`, selfHref, appName, req.query.failed === '1'));
        return;
      }
      const requested = String(details.params.scope ?? '').split(' ').filter(Boolean);
      const launch = await launchOf(parts.launches, details.params.launch);
      let patient: PatientChoice | undefined;
      let choices: PatientChoice[] | undefined;
      const as = pickerAccess(String(details.params.client_id), account);
      if (launch?.context.patient) patient = (await parts.patients.find(launch.context.patient, as)) ?? { id: launch.context.patient, display: launch.context.patient };
      else if (needsPatient(requested)) choices = await parts.patients.search(typeof req.query.q === 'string' ? req.query.q : '', as);
      res.send(
        consentPage(lang, {
          action: `${selfHref}/consent`,
          selfHref,
          appName,
          user: account ? `${account.name} (${account.fhirUser})` : '',
          scopes: requested,
          patient,
          choices,
          query: typeof req.query.q === 'string' ? req.query.q : '',
        }),
      );
    } catch (err) {
      next(err);
    }
  });

  router.post('/:uid/login', form, async (req: Request, res: Response, next) => {
    try {
      const details = await parts.provider.interactionDetails(req, res);
      const body = req.body as Record<string, string>;
      const username = String(body.username ?? '').slice(0, 128);
      const account = parts.accounts.find((a) => a.username === username);
      if (throttle.blocked(username) || !account || !verifyPassword(account, body.password ?? '')) {
        throttle.failed(username);
        parts.logger.warn('login-failed', { username: username.slice(0, 64), throttled: throttle.blocked(username) });
        res.redirect(303, `${parts.basePath}/interaction/${details.uid}?failed=1&lang=${pickLang(body.lang, undefined)}`);
        return;
      }
      throttle.succeeded(username);
      // Remember the sign-in in the interaction and go on to consent; both results are handed over together.
      details.result = { login: { accountId: account.id } };
      await details.save(details.exp - Math.floor(Date.now() / 1000));
      res.redirect(303, `${parts.basePath}/interaction/${details.uid}?lang=${pickLang(body.lang, undefined)}`);
    } catch (err) {
      next(err);
    }
  });

  router.post('/:uid/consent', form, async (req: Request, res: Response, next) => {
    try {
      const details = await parts.provider.interactionDetails(req, res);
      const body = req.body as Record<string, string>;
      const login = details.result?.login;
      const finish = (result: Record<string, unknown>) =>
        parts.provider.interactionFinished(req, res, 'error' in result ? result : { ...(login ? { login } : {}), ...result }, { mergeWithLastSubmission: false });
      if (body.decision !== 'allow') {
        await finish({ error: 'access_denied', error_description: 'the user denied the request' });
        return;
      }
      const account = accountsById.get(signedIn(details) ?? '');
      const clientId = String(details.params.client_id);
      const client = await parts.provider.Client.find(clientId);
      if (!account || !client) {
        await finish({ error: 'access_denied', error_description: 'no signed-in user' });
        return;
      }
      const launchValue = details.params.launch;
      const launch = await launchOf(parts.launches, launchValue);
      if (launchValue !== undefined && !launch) {
        await finish({ error: 'invalid_request', error_description: 'launch is unknown, expired or already used' });
        return;
      }
      const chosen = body.patient ? await parts.patients.find(body.patient, pickerAccess(clientId, account)) : undefined;
      const requested = String(details.params.scope ?? '').split(' ').filter(Boolean);
      const decision = decideConsent({
        requested,
        clientScopes: String(client.metadata().smart_scope ?? '').split(' ').filter(Boolean),
        canRefresh: client.grantTypeAllowed('refresh_token'),
        account,
        launch,
        chosenPatient: chosen?.id,
      });
      if ('error' in decision) {
        await finish({ error: decision.error, error_description: decision.description });
        return;
      }
      // A launch is single use: the first consent that uses it wins (app-launch.html#launch-app-ehr-launch).
      if (launchValue !== undefined && !(await parts.launches.consume(launchValue))) {
        await finish({ error: 'invalid_request', error_description: 'launch is unknown, expired or already used' });
        return;
      }
      const grant = new parts.provider.Grant({ accountId: account.id, clientId });
      const oidc = oidcScopes(decision.scopes);
      if (oidc.length) grant.addOIDCScope(oidc.join(' '));
      grant.addResourceScope(parts.fhirBase, decision.scopes.join(' '));
      // Scopes asked for but not granted are recorded as refused, or oidc-provider would find them missing from the
      // grant and prompt for consent again (where a single-use launch can no longer be used).
      const refused = requested.filter((s) => !decision.scopes.includes(s));
      if (oidcScopes(refused).length) grant.rejectOIDCScope(oidcScopes(refused).join(' '));
      const refusedResource = refused.filter((s) => !oidcScopes([s]).length);
      if (refusedResource.length) grant.rejectResourceScope(parts.fhirBase, refusedResource.join(' '));
      const grantId = await grant.save();
      await parts.contexts.save(grantId, decision.context, parts.grantTtl);
      await finish({ consent: { grantId } });
    } catch (err) {
      next(err);
    }
  });

  return router;
}

/** The account signed in during this interaction, or already signed in before it (single sign-on). */
function signedIn(details: InteractionDetails): string | undefined {
  return details.result?.login?.accountId ?? (details.prompt.name === 'login' ? undefined : details.session?.accountId);
}

async function launchOf(launches: LaunchStore, value: unknown): Promise<StoredLaunch | undefined> {
  return typeof value === 'string' ? launches.peek(value) : undefined;
}
