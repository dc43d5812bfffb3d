import type { Request } from 'express';
import { badRequest, tooLarge, unsupportedMediaType } from '../fhir/outcomes.js';
import { checkText } from '../fhir/resource-rules.js';

const JSON_TYPES = new Set(['application/fhir+json', 'application/json', 'application/json-patch+json']);
const MAX_DEPTH = 100;

/**
 * Reads and parses a request body by its media type (R4 http.html#mime-type): FHIR JSON, JSON Patch, or a form for
 * POST _search. The body is read raw and parsed here, so every failure becomes a FHIR error with a clear status.
 */
export async function readBody(req: Request, maxBytes: number): Promise<{ body?: unknown; contentType?: string; form?: [string, string][] }> {
  const [mediaType, ...parameters] = (req.headers['content-type'] ?? '').split(';');
  const contentType = mediaType.trim().toLowerCase() || undefined;
  const raw = await readRaw(req, maxBytes);
  if (raw.length === 0) return { contentType };
  // application/fhir+json; fhirVersion=3.0 is a resource of another FHIR version (R4 http.html#version-parameter).
  const version = parameters.map((p) => p.trim().split('=')).find(([name]) => name.toLowerCase() === 'fhirversion')?.[1];
  if (version !== undefined && !/^"?4\.0(\.\d+)?"?$/.test(version.trim())) throw unsupportedMediaType(`This server speaks FHIR 4.0 (R4), not fhirVersion=${version}`);
  if (contentType === 'application/x-www-form-urlencoded') return { contentType, form: [...new URLSearchParams(raw.toString('utf8'))] };
  if (!contentType || !JSON_TYPES.has(contentType)) {
    if (contentType?.includes('xml')) throw unsupportedMediaType('This server speaks FHIR JSON only: send application/fhir+json');
    throw unsupportedMediaType(`Unsupported Content-Type '${contentType ?? '(none)'}': send application/fhir+json`);
  }
  if (contentType === 'application/json-patch+json' && req.method !== 'PATCH') {
    throw unsupportedMediaType(`A JSON Patch is sent with PATCH, not ${req.method}: send a resource as application/fhir+json`);
  }
  checkNesting(raw);
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch (err) {
    throw badRequest(`The body is not valid JSON: ${(err as Error).message}`);
  }
  checkContent(body);
  return { body, contentType };
}

const EMPTY = Buffer.alloc(0);

function readRaw(req: Request, maxBytes: number): Promise<Buffer> {
  // Without Content-Length or Transfer-Encoding an HTTP/1.1 request has no body (RFC 9112 section 6.3).
  if (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined) return Promise.resolve(EMPTY);
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBytes) return Promise.reject(tooLarge(`The body is ${declared} bytes; at most ${maxBytes} are accepted`));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const collect = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        // The rest is read and dropped, so that the 413 reaches a client still sending; destroying the socket reset
        // the connection before the answer went out. The server's request timeout bounds an endless body.
        req.off('data', collect);
        req.resume();
        reject(tooLarge(`The body is larger than ${maxBytes} bytes`));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', collect);
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * Rejects absurdly nested JSON in its text, before it is parsed (FHIR resources nest a few dozen levels at most):
 * parsing ten megabytes of nested arrays held the server for a second and a half.
 */
function checkNesting(raw: Buffer): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < raw.length; i++) {
    const byte = raw[i];
    if (inString) {
      if (byte === 0x5c) i++; // a backslash escapes the next character
      else if (byte === 0x22) inString = false;
    } else if (byte === 0x22) {
      inString = true;
    } else if (byte === 0x7b || byte === 0x5b) {
      if (++depth > MAX_DEPTH) throw badRequest(`The body nests deeper than ${MAX_DEPTH} levels`);
    } else if (byte === 0x7d || byte === 0x5d) {
      depth--;
    }
  }
}

/** Rejects text that no FHIR format or store can hold, in any value or key. */
function checkContent(value: unknown): void {
  const stack: unknown[] = [value];
  while (stack.length) {
    const node = stack.pop();
    if (typeof node === 'string') checkText(node, 'The body');
    if (!node || typeof node !== 'object') continue;
    for (const [key, child] of Object.entries(node)) {
      checkText(key, 'The body');
      stack.push(child);
    }
  }
}
