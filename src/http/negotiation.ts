import type { Request, Response } from 'express';
import { FhirError, outcome } from '../fhir/outcomes.js';
import { resourceJson } from './fhir-json.js';

export interface ResponseFormat {
  mediaType: 'application/fhir+json' | 'application/json';
  pretty: boolean;
}

const JSON_FORMATS: Record<string, ResponseFormat['mediaType']> = {
  json: 'application/fhir+json',
  'application/json': 'application/json',
  'application/fhir+json': 'application/fhir+json',
  'application/json+fhir': 'application/fhir+json',
};

/**
 * Chooses the response format from `_format` (which wins) or Accept (R4 http.html#mime-type). This server speaks
 * JSON only: a request that accepts nothing else gets 406.
 */
export function negotiate(req: Request): ResponseFormat {
  const query = new URLSearchParams(req.originalUrl.split('?')[1] ?? '');
  const pretty = query.get('_pretty') === 'true';
  const format = query.get('_format');
  if (format) {
    const mediaType = JSON_FORMATS[format.split(';')[0].trim().toLowerCase()];
    if (!mediaType) throw new FhirError(406, outcome('error', 'not-supported', `_format ${format} is not supported: this server speaks JSON`));
    return { mediaType, pretty };
  }
  const accept = req.headers.accept;
  if (!accept) return { mediaType: 'application/fhir+json', pretty };
  const types = accept.split(',').map((t) => t.split(';')[0].trim().toLowerCase());
  if (types.includes('application/fhir+json') || types.includes('application/json+fhir')) return { mediaType: 'application/fhir+json', pretty };
  if (types.includes('application/json')) return { mediaType: 'application/json', pretty };
  if (types.some((t) => t === '*/*' || t === 'application/*' || t.startsWith('text/'))) return { mediaType: 'application/fhir+json', pretty };
  throw new FhirError(406, outcome('error', 'not-supported', `Cannot answer in ${accept}: this server speaks application/fhir+json`));
}

/** Sends the `resource` member of `holder` (a FHIR response) in the negotiated format. */
export function sendResource(res: Response, req: Request, holder: { resource?: unknown }, format: ResponseFormat): void {
  res.setHeader('Content-Type', `${format.mediaType}; charset=utf-8`);
  const body = resourceJson(holder, format.pretty);
  if (req.method === 'HEAD') {
    res.setHeader('Content-Length', Buffer.byteLength(body));
    res.end();
  } else {
    res.end(body);
  }
}
