import fastJsonPatch, { type Operation } from 'fast-json-patch';
import fhirpath from 'fhirpath';
import r4Model from 'fhirpath/fhir-context/r4/index.js';
import type { Parameters, ParametersParameter, Resource } from 'fhir/r4.js';
import { preferences, type FhirContext, type FhirRequest, type FhirResponse } from '../fhir-request.js';
import { badRequest, gone, notFound, unprocessable, unsupportedMediaType } from '../outcomes.js';
import { checkId, checkResourceBody } from '../resource-rules.js';
import { writeResponse } from '../versioned-response.js';
import { expected, withVersionCheck } from './write.js';
import { requirePermission, requireVisible } from '../access-policy.js';
import { enforceOnWrite } from '../profile-enforcement.js';

/**
 * patch: PATCH [type]/[id] with a JSON Patch document or a FHIRPath Patch Parameters resource
 * (R4 http.html#patch, fhirpatch.html). The result must still be a valid resource of the same type and id,
 * and If-Match is honoured like an update.
 */
export async function patch(ctx: FhirContext, req: FhirRequest, type: string, id: string): Promise<FhirResponse> {
  checkId(id);
  requirePermission(ctx, type, 'u');
  return ctx.repo.transaction(async (repo) => {
    const scoped = { ...ctx, repo };
    const current = await repo.readCurrent(type, id);
    if (!current) throw notFound(`${type}/${id} is not known`);
    if (current.deleted || !current.resource) throw gone(`${type}/${id} was deleted`);
    await requireVisible(scoped, type, id, 'u');
    const patched = applyPatch(req, structuredClone(current.resource));
    const resource = checkResourceBody(patched, type, ctx.resourceTypes);
    if (resource.id !== id) throw unprocessable('A patch may not change the resource id', `${type}.id`);
    enforceOnWrite(ctx.validator, resource);
    const { version } = await withVersionCheck(() => repo.update({ ...resource, id }, expected(req)));
    await requireVisible(scoped, type, id, 'u');
    return writeResponse(scoped, 200, version, preferences(req.headers.prefer), false);
  });
}

function applyPatch(req: FhirRequest, target: Resource): unknown {
  if (req.contentType === 'application/json-patch+json') return applyJsonPatch(req.body, target);
  const body = req.body as Partial<Parameters> | undefined;
  if (body && body.resourceType === 'Parameters') return applyFhirPathPatch(body as Parameters, target);
  throw unsupportedMediaType('PATCH takes application/json-patch+json, or a FHIRPath Patch Parameters resource as application/fhir+json');
}

function applyJsonPatch(operations: unknown, target: Resource): unknown {
  if (!Array.isArray(operations)) throw badRequest('A JSON Patch document is an array of operations');
  let error: Error | undefined;
  try {
    error = fastJsonPatch.validate(operations as Operation[], target);
  } catch (err) {
    // fast-json-patch throws, rather than returns, what it refuses outright (e.g. a path through __proto__).
    error = err as Error;
  }
  if (error) throw badRequest(`Invalid JSON Patch: ${error.message.split('\n')[0]}`);
  try {
    return fastJsonPatch.applyPatch(target, operations as Operation[], false, true).newDocument;
  } catch (err) {
    // A failing "test" operation or a path that does not exist: the patch cannot apply to this version.
    throw unprocessable(`The JSON Patch could not be applied: ${(err as Error).message.split('\n')[0]}`);
  }
}

interface FhirPathNode {
  data: unknown;
  parentResNode?: { data: Record<string, unknown> } | null;
  propName?: string;
  index?: number | null;
}

/** FHIRPath Patch operations: add, insert, delete, replace, move (R4 fhirpatch.html). */
function applyFhirPathPatch(parameters: Parameters, target: Resource): unknown {
  for (const [n, operation] of (parameters.parameter ?? []).entries()) {
    if (operation.name !== 'operation') throw badRequest(`FHIRPath Patch parameter ${n} must be named 'operation'`);
    const part = (name: string) => operation.part?.find((p) => p.name === name);
    const type = part('type')?.valueCode;
    const path = part('path')?.valueString;
    if (!type || !path) throw badRequest(`FHIRPath Patch operation ${n} needs a type and a path`);
    const nodes = select(target, path);
    switch (type) {
      case 'add': {
        const node = single(nodes, path, n);
        const name = part('name')?.valueString;
        if (!name) throw badRequest(`FHIRPath Patch add (operation ${n}) needs a name`);
        const container = node.data as Record<string, unknown>;
        const value = valueOf(part('value'), n);
        const existing = container[name];
        container[name] = Array.isArray(existing) ? [...existing, value] : existing === undefined ? value : [existing, value];
        break;
      }
      case 'insert':
      case 'move': {
        const list = listOf(nodes, path, n);
        const index = integerPart(part(type === 'insert' ? 'index' : 'destination'), n);
        if (type === 'insert') {
          if (index > list.length) throw unprocessable(`FHIRPath Patch insert index ${index} is past the end of ${path}`);
          list.splice(index, 0, valueOf(part('value'), n));
        } else {
          const source = integerPart(part('source'), n);
          if (source >= list.length || index >= list.length) throw unprocessable(`FHIRPath Patch move indexes are outside ${path}`);
          list.splice(index, 0, list.splice(source, 1)[0]);
        }
        break;
      }
      case 'delete': {
        if (nodes.length > 1) throw unprocessable(`FHIRPath Patch delete path ${path} matches ${nodes.length} elements`);
        if (nodes.length === 1) replaceNode(nodes[0], undefined);
        break;
      }
      case 'replace':
        replaceNode(single(nodes, path, n), valueOf(part('value'), n));
        break;
      default:
        throw badRequest(`Unknown FHIRPath Patch operation type '${type}'`);
    }
  }
  return pruneEmpty(target);
}

function select(target: Resource, path: string): FhirPathNode[] {
  try {
    return fhirpath.evaluate(target, path, undefined, r4Model, { resolveInternalTypes: false }) as FhirPathNode[];
  } catch (err) {
    throw badRequest(`Invalid FHIRPath in patch: ${path} (${(err as Error).message.split('\n')[0]})`);
  }
}

function single(nodes: FhirPathNode[], path: string, n: number): FhirPathNode {
  if (nodes.length !== 1) throw unprocessable(`FHIRPath Patch operation ${n}: ${path} matches ${nodes.length} elements, not one`);
  return nodes[0];
}

/** The array a path designates (the path names the list, e.g. Patient.identifier). */
function listOf(nodes: FhirPathNode[], path: string, n: number): unknown[] {
  const parent = nodes[0]?.parentResNode?.data;
  const name = nodes[0]?.propName;
  const list = parent && name ? parent[name] : undefined;
  if (!Array.isArray(list)) throw unprocessable(`FHIRPath Patch operation ${n}: ${path} is not a list`);
  return list;
}

function replaceNode(node: FhirPathNode, value: unknown): void {
  const parent = node.parentResNode?.data;
  const name = node.propName;
  if (!parent || !name) throw unprocessable('FHIRPath Patch cannot change the resource root');
  const current = parent[name];
  if (Array.isArray(current) && typeof node.index === 'number') {
    if (value === undefined) current.splice(node.index, 1);
    else current[node.index] = value;
  } else if (value === undefined) {
    delete parent[name];
  } else {
    parent[name] = value;
  }
}

/** A patch value: a value[x], or parts that build a complex element (R4 fhirpatch.html#parameters). */
function valueOf(part: ParametersParameter | undefined, n: number): unknown {
  if (!part) throw badRequest(`FHIRPath Patch operation ${n} needs a value`);
  const key = Object.keys(part).find((k) => k.startsWith('value'));
  if (key) return (part as unknown as Record<string, unknown>)[key];
  if (part.part?.length) {
    const element: Record<string, unknown> = {};
    for (const child of part.part) element[child.name] = valueOf(child, n);
    return element;
  }
  throw badRequest(`FHIRPath Patch operation ${n} has an empty value`);
}

function integerPart(part: ParametersParameter | undefined, n: number): number {
  const value = part?.valueInteger;
  if (typeof value !== 'number' || value < 0) throw badRequest(`FHIRPath Patch operation ${n} needs a non-negative integer index`);
  return value;
}

/** Deleting the last item of a list leaves `[]`, which FHIR JSON does not allow: drop emptied containers. */
function pruneEmpty(value: unknown): unknown {
  if (Array.isArray(value)) {
    for (let i = value.length - 1; i >= 0; i--) if (isEmpty(pruneEmpty(value[i]))) value.splice(i, 1);
  } else if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) if (isEmpty(pruneEmpty(record[key]))) delete record[key];
  }
  return value;
}

function isEmpty(value: unknown): boolean {
  return (Array.isArray(value) && value.length === 0) || (!!value && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0);
}
