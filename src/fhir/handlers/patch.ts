import fastJsonPatch, { type Operation } from 'fast-json-patch';
import fhirpath from 'fhirpath';
import r4Model from 'fhirpath/fhir-context/r4/index.js';
import type { Parameters, ParametersParameter, Resource } from 'fhir/r4.js';
import { preferences, type FhirContext, type FhirRequest, type FhirResponse } from '../fhir-request.js';
import { badRequest, gone, notFound, unprocessable, unsupportedMediaType } from '../outcomes.js';
import { checkId, checkResourceBody } from '../resource-rules.js';
import { writeResponse } from '../versioned-response.js';
import { expected, withVersionCheck } from './write.js';
import { checkExpectedVersion, resourceLock } from '../../storage/repository.js';
import { requirePermission, requireVisible } from '../access-policy.js';
import { enforceOnWrite } from '../profile-enforcement.js';
import { isChoiceElement, isRepeatingElement } from '../r4-definitions.js';

/**
 * patch: PATCH [type]/[id] with a JSON Patch document or a FHIRPath Patch Parameters resource
 * (R4 http.html#patch, fhirpatch.html). The result must still be a valid resource of the same type and id,
 * and If-Match is honoured like an update.
 */
export async function patch(ctx: FhirContext, req: FhirRequest, type: string, id: string): Promise<FhirResponse> {
  checkId(id);
  requirePermission(ctx, type, 'u');
  // Locked before the read: a write between the read and the update would be lost.
  return ctx.repo.transaction(
    async (repo) => {
      const scoped = { ...ctx, repo };
      const current = await repo.readCurrent(type, id);
      if (!current) throw notFound(`${type}/${id} is not known`);
      if (current.deleted || !current.resource) throw gone(`${type}/${id} was deleted`);
      await requireVisible(scoped, type, id, 'u');
      // A stale If-Match is told before the patch is tried on a version it was not meant for.
      await withVersionCheck(async () => checkExpectedVersion(expected(req), current.versionId));
      const patched = applyPatch(req, structuredClone(current.resource));
      const resource = checkResourceBody(patched, type, ctx.resourceTypes);
      if (resource.id !== id) throw unprocessable('A patch may not change the resource id', `${type}.id`);
      enforceOnWrite(ctx.validator, resource);
      const { version } = await withVersionCheck(() => repo.update({ ...resource, id }, expected(req)));
      await requireVisible(scoped, type, id, 'u');
      return writeResponse(scoped, 200, version, preferences(req.headers.prefer));
    },
    [resourceLock(type, id)],
  );
}

function applyPatch(req: FhirRequest, target: Resource): unknown {
  if (req.contentType === 'application/json-patch+json') return applyJsonPatch(req.body, target);
  const body = req.body as Partial<Parameters> | undefined;
  if (body && body.resourceType === 'Parameters') return applyFhirPathPatch(body as Parameters, target);
  throw unsupportedMediaType('PATCH takes application/json-patch+json, or a FHIRPath Patch Parameters resource as application/fhir+json');
}

/**
 * Errors of fast-json-patch that say the patch does not fit this version of the resource (a failing `test`, a
 * path to nothing): 422, as RFC 5789 section 2.2 has it. The others say the document itself is wrong: 400.
 */
const INAPPLICABLE = new Set([
  'TEST_OPERATION_FAILED',
  'OPERATION_PATH_UNRESOLVABLE',
  'OPERATION_FROM_UNRESOLVABLE',
  'OPERATION_PATH_CANNOT_ADD',
  'OPERATION_VALUE_OUT_OF_BOUNDS',
]);

function applyJsonPatch(operations: unknown, target: Resource): unknown {
  if (!Array.isArray(operations)) throw badRequest('A JSON Patch document is an array of operations');
  try {
    // Validated as it is applied (fast-json-patch throws, rather than returns, e.g. a path through __proto__).
    return fastJsonPatch.applyPatch(target, operations as Operation[], true, true).newDocument;
  } catch (err) {
    const message = (err as Error).message.split('\n')[0];
    if (INAPPLICABLE.has((err as { name?: string }).name ?? '')) throw unprocessable(`The JSON Patch does not apply to this version: ${message}`);
    throw badRequest(`Invalid JSON Patch: ${message}`);
  }
}

/** An element's name in FHIR JSON (R4 json.html), which also keeps `__proto__` and the like out of a patch. */
const ELEMENT_NAME = /^[a-z][A-Za-z0-9]*$/;

interface FhirPathNode {
  data: unknown;
  fhirNodeDataType?: string;
  /** The element's definition path: its type (`HumanName`), or a backbone element's path (`Patient.contact`). */
  path?: string;
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
        if (!name || !ELEMENT_NAME.test(name)) throw badRequest(`FHIRPath Patch add (operation ${n}) needs the name of an element, not '${name ?? ''}'`);
        if (!node.data || typeof node.data !== 'object' || Array.isArray(node.data)) {
          throw unprocessable(`FHIRPath Patch add (operation ${n}): ${path} is a primitive value, with no elements to add to`);
        }
        const container = node.data as Record<string, unknown>;
        const value = valueOf(part('value'), n);
        // A choice (deceased[x]) is named in JSON by the type of its value: deceasedBoolean.
        const choice = isChoiceElement(`${node.path}.${name}`);
        const key = choice ? choiceKey(name, part('value'), n) : name;
        const present = choice ? Object.keys(container).some((k) => k.startsWith(name) && /[A-Z]/.test(k.charAt(name.length))) : container[name] !== undefined;
        // A repeating element is a list in JSON even with one item; one that does not repeat can be added only once.
        if (isRepeatingElement(`${node.path}.${name}`)) container[key] = [...(Array.isArray(container[key]) ? (container[key] as unknown[]) : []), value];
        else if (!present) container[key] = value;
        else throw unprocessable(`FHIRPath Patch add (operation ${n}): ${path}.${name} exists already and does not repeat`);
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
      case 'replace': {
        const node = single(nodes, path, n);
        // A choice takes the name of its new value's type: valueQuantity replaced by a valueString is valueString.
        replaceNode(node, valueOf(part('value'), n), choiceOf(node) ? choiceKey(node.propName!, part('value'), n) : undefined);
        break;
      }
      default:
        throw badRequest(`Unknown FHIRPath Patch operation type '${type}'`);
    }
  }
  return pruneEmpty(target);
}

function select(target: Resource, path: string): FhirPathNode[] {
  // A regular expression runs on the thread that serves every request: one that backtracks would stall them all.
  if (/\b(matches|replaceMatches)\s*\(/.test(path)) throw badRequest(`FHIRPath Patch paths take no regular expressions (matches, replaceMatches): ${path}`);
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

/**
 * Replaces (or, given no value, deletes) the element a node is. A choice element is found under its JSON name
 * (valueQuantity for Observation.value) and, replaced, takes `newKey`.
 */
function replaceNode(node: FhirPathNode, value: unknown, newKey?: string): void {
  const parent = node.parentResNode?.data;
  if (!parent || !node.propName) throw unprocessable('FHIRPath Patch cannot change the resource root');
  const name = choiceOf(node) ?? node.propName;
  const current = parent[name];
  if (Array.isArray(current) && typeof node.index === 'number') {
    if (value === undefined) current.splice(node.index, 1);
    else current[node.index] = value;
  } else if (value === undefined) {
    delete parent[name];
  } else {
    delete parent[name];
    parent[newKey ?? name] = value;
  }
}

/** The JSON name of a choice element a node is (`valueQuantity` for `Observation.value`), if it is one. */
function choiceOf(node: FhirPathNode): string | undefined {
  const parent = node.parentResNode?.data;
  const type = node.fhirNodeDataType;
  if (!parent || !node.propName || node.propName in parent || !type) return undefined;
  const key = `${node.propName}${type[0].toUpperCase()}${type.slice(1)}`;
  return key in parent ? key : undefined;
}

/** A choice element's JSON name for the value a patch gives it: `value` with a valueString is `valueString`. */
function choiceKey(name: string, part: ParametersParameter | undefined, n: number): string {
  const key = part && Object.keys(part).find((k) => k.startsWith('value'));
  if (!key) throw badRequest(`FHIRPath Patch operation ${n}: a value for the choice element ${name} needs its type, as value[x]`);
  return `${name}${key.slice('value'.length)}`;
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
  if (!Number.isInteger(value) || value! < 0) throw badRequest(`FHIRPath Patch operation ${n} needs a non-negative integer index`);
  return value!;
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
