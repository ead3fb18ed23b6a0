// GitHub's REST API description, cut down to the operations Deliverybot uses
// (see scripts/extract-openapi.mjs), with helpers to match a request to an
// operation and check it the way GitHub would.

import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

const fixture = JSON.parse(
  readFileSync(new URL('../fixtures/github-openapi.json', import.meta.url), 'utf8'),
);

export const operations = fixture.operations;

// GitHub accepts these trailing parameters unencoded, slashes included:
// a file path, or a ref name such as `heads/deliverybot/locks/production`.
const MULTI_SEGMENT = new Set([
  '/repos/{owner}/{repo}/contents/{path}',
  '/repos/{owner}/{repo}/git/ref/{ref}',
  '/repos/{owner}/{repo}/git/refs/{ref}',
  '/repos/{owner}/{repo}/git/matching-refs/{ref}',
]);
// ... and these may even be empty: `git/matching-refs/` lists every ref.
const MAY_BE_EMPTY = new Set(['/repos/{owner}/{repo}/git/matching-refs/{ref}']);

const routes = operations.map((operation) => ({
  operation,
  segments: operation.path.split('/').slice(1),
  multiSegment: MULTI_SEGMENT.has(operation.path),
  mayBeEmpty: MAY_BE_EMPTY.has(operation.path),
}));

function matchSegments(route, parts) {
  const { segments, multiSegment, mayBeEmpty } = route;
  const count = segments.length;
  if (multiSegment ? parts.length < count : parts.length !== count) return null;
  const params = {};
  for (let i = 0; i < count; i++) {
    const segment = segments[i];
    const isLast = i === count - 1;
    const raw = multiSegment && isLast ? parts.slice(i).join('/') : parts[i];
    if (raw === '' && !(mayBeEmpty && isLast)) return null;
    if (segment.startsWith('{')) params[segment.slice(1, -1)] = decodeURIComponent(raw);
    else if (segment !== raw) return null;
  }
  return params;
}

// Returns { operationId, template, params, operation } or null.
export function matchOperation(method, pathname) {
  const parts = pathname.split('/').slice(1);
  let best = null;
  for (const route of routes) {
    if (route.operation.method !== method.toUpperCase()) continue;
    const params = matchSegments(route, parts);
    if (!params) continue;
    // A literal segment beats a parameter: with two candidates, the route
    // that pins more of the path is the one meant.
    const literals = route.segments.filter((s) => !s.startsWith('{')).length;
    if (!best || literals > best.literals) best = { route, params, literals };
  }
  if (!best) return null;
  const { operation } = best.route;
  return { operationId: operation.operationId, template: operation.path, params: best.params, operation };
}

// OpenAPI 3.0 schemas are not quite JSON Schema: `nullable` replaces a `null`
// type, and a few keywords are documentation only. Ajv runs in strict mode
// over the result, so anything this misses fails loudly instead of being
// silently ignored.
const DOCUMENTATION_ONLY = new Set(['example', 'externalDocs', 'xml', 'discriminator']);
const SUBSCHEMA = new Set(['items', 'additionalProperties', 'not']);
const SUBSCHEMA_LISTS = new Set(['allOf', 'anyOf', 'oneOf']);
const SUBSCHEMA_MAPS = new Set(['properties', 'patternProperties']);

export function toJsonSchema(schema) {
  if (schema === null || typeof schema !== 'object') return schema;
  const out = {};
  for (const [key, value] of Object.entries(schema)) {
    if (DOCUMENTATION_ONLY.has(key) || key.startsWith('x-') || key === 'nullable') continue;
    if (SUBSCHEMA.has(key)) out[key] = toJsonSchema(value);
    else if (SUBSCHEMA_LISTS.has(key)) out[key] = value.map(toJsonSchema);
    else if (SUBSCHEMA_MAPS.has(key)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJsonSchema(v)]));
    } else out[key] = value;
  }
  if (schema.nullable !== true) return out;
  if (out.enum && !out.enum.includes(null)) out.enum = [...out.enum, null];
  if (typeof out.type === 'string') return { ...out, type: [out.type, 'null'] };
  // nullable without a type (e.g. on a oneOf): null or whatever the rest allows.
  return { anyOf: [out, { type: 'null' }] };
}

const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false });
addFormats(ajv);
const validators = new Map();

function validatorFor(operation) {
  if (!validators.has(operation.operationId)) {
    const schema = toJsonSchema(operation.requestBody.schema);
    // GitHub ignores body fields it does not know, which would let a misspelt one (`enviroment`)
    // pass unnoticed; the fake is stricter than GitHub here, on purpose.
    if (schema.type === 'object' && schema.properties && schema.additionalProperties === undefined) {
      schema.additionalProperties = false;
    }
    validators.set(operation.operationId, ajv.compile(schema));
  }
  return validators.get(operation.operationId);
}

function describeError({ instancePath, message, params }) {
  const where = `body${instancePath.replaceAll('/', '.')}`;
  if (params.allowedValues) return `${where} ${message}: ${params.allowedValues.join(', ')}`;
  if (params.additionalProperty) return `${where} ${message}: ${params.additionalProperty}`;
  return `${where} ${message}`;
}

// Checks a parsed JSON body (null when the request had none) against the
// operation's request schema; returns readable errors, empty when valid.
export function validateBody(operation, body) {
  if (!operation.requestBody) return [];
  if (body === null || body === undefined) {
    return operation.requestBody.required ? ['body is required'] : [];
  }
  const validate = validatorFor(operation);
  return validate(body) ? [] : validate.errors.map(describeError);
}

// GitHub silently ignores query parameters it does not know, which hides
// typos such as `perPage`; report them instead.
export function validateQuery(operation, query) {
  const known = new Set(operation.parameters.query);
  return Object.keys(query)
    .filter((name) => !known.has(name))
    .map((name) => `query parameter "${name}" is not accepted by ${operation.operationId}`);
}
