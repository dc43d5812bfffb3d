import express, { Router, type Request, type Response } from 'express';
import type Provider from 'oidc-provider';
import type { AccessContext } from '../fhir/access-context.js';
import type { Logger } from '../logger.js';
import type { BearerResult } from './authenticate.js';
import type { PatientDirectory } from './interaction-routes.js';
import type { FhirContextItem, LaunchContext, LaunchStore } from './launch-store.js';

export interface LaunchRouteParts {
  provider: Provider;
  launches: LaunchStore;
  patients: PatientDirectory;
  verifyBearer: (req: Request) => Promise<BearerResult>;
  launchTtl: number;
  logger: Logger;
}

const ID = /^[A-Za-z0-9\-.]{1,64}$/;

/**
 * POST /auth/launch: how an EHR (the sandbox, or tests) opens an EHR launch (app-launch.html#launch-app-ehr-launch).
 * The caller is an EHR client with its own access token (nothing bypasses the protocol); the launch records the
 * signed-in user of that token, the patient and encounter chosen, and the app it is for.
 */
export function launchRoutes(parts: LaunchRouteParts): Router {
  const router = Router();
  router.post('/', express.json({ limit: '32kb' }), async (req: Request, res: Response, next) => {
    try {
      const fail = (status: number, error: string, description: string) =>
        res.status(status).setHeader('Cache-Control', 'no-store').json({ error, error_description: description });
      const verified = await parts.verifyBearer(req);
      if ('error' in verified) {
        res.setHeader('WWW-Authenticate', `Bearer error="${verified.error}"`);
        fail(401, verified.error, verified.description);
        return;
      }
      const ehr = await parts.provider.Client.find(verified.access.clientId);
      if (ehr?.metadata().smart_ehr !== true) {
        fail(403, 'insufficient_scope', 'only EHR clients may create launches');
        return;
      }
      const body = (req.body ?? {}) as Record<string, unknown>;
      const problem = await checkLaunchBody(body, parts, verified.access);
      if (problem) {
        fail(400, 'invalid_request', problem);
        return;
      }
      const context: LaunchContext = {
        fhirUser: verified.access.fhirUser,
        patient: body.patient as string | undefined,
        encounter: body.encounter as string | undefined,
        need_patient_banner: body.need_patient_banner as boolean | undefined,
        smart_style_url: body.smart_style_url as string | undefined,
        intent: body.intent as string | undefined,
        tenant: body.tenant as string | undefined,
        fhirContext: body.fhirContext as FhirContextItem[] | undefined,
      };
      const launch = await parts.launches.create({ clientId: body.client_id as string, context });
      parts.logger.info('launch-created', { ehr: verified.access.clientId, app: body.client_id, fhirUser: context.fhirUser });
      res.status(201).setHeader('Cache-Control', 'no-store').json({ launch, expires_in: parts.launchTtl });
    } catch (err) {
      next(err);
    }
  });
  return router;
}

async function checkLaunchBody(body: Record<string, unknown>, parts: LaunchRouteParts, as: AccessContext): Promise<string | undefined> {
  if (typeof body.client_id !== 'string' || !(await parts.provider.Client.find(body.client_id))) return 'client_id must name a registered app';
  for (const key of ['patient', 'encounter'] as const) {
    if (body[key] !== undefined && (typeof body[key] !== 'string' || !ID.test(body[key] as string))) return `${key} must be a resource id`;
  }
  if (typeof body.patient === 'string' && !(await parts.patients.find(body.patient, as))) return `Patient/${body.patient} does not exist`;
  if (body.need_patient_banner !== undefined && typeof body.need_patient_banner !== 'boolean') return 'need_patient_banner must be a boolean';
  for (const key of ['smart_style_url', 'intent', 'tenant'] as const) {
    if (body[key] !== undefined && typeof body[key] !== 'string') return `${key} must be a string`;
  }
  if (body.fhirContext !== undefined) {
    if (!Array.isArray(body.fhirContext)) return 'fhirContext must be an array';
    for (const item of body.fhirContext as FhirContextItem[]) {
      // scopes-and-launch-context.html#fhircontext: one of reference, canonical, identifier; never Patient/Encounter.
      if (!item || typeof item !== 'object' || !(item.reference || item.canonical || item.identifier)) return 'each fhirContext item needs reference, canonical or identifier';
      if (/^(Patient|Encounter)\//.test(item.reference ?? '')) return 'Patient and Encounter go in patient and encounter, not fhirContext';
      if (item.role === '') return 'fhirContext role must not be empty';
    }
  }
  return undefined;
}
