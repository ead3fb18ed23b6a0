#!/usr/bin/env node
// Regenerates tests/fixtures/github-openapi.json, the slice of GitHub's REST
// API description that the fake GitHub used by end-to-end tests checks every
// request against.
//
//   node scripts/extract-openapi.mjs
//
// The full description ships in @octokit/openapi (~29 MB packed), far too big
// to be a dependency, so it is fetched with `npm pack` into a temporary folder
// and only the operations listed below are kept. Rerunning the script with the
// same package version gives a byte-identical fixture.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE = '@octokit/openapi@23.0.2';
// The dereferenced variant has every `$ref` already inlined.
const DESCRIPTION = 'package/generated/api.github.com.deref.json';
const FIXTURE = fileURLToPath(new URL('../tests/fixtures/github-openapi.json', import.meta.url));

// Every GitHub API call Deliverybot makes. Add an operation here (and rerun)
// before the action starts using it, or the fake will answer 404.
const OPERATIONS = [
  'GET /repos/{owner}/{repo}/contents/{path}',
  'GET /repos/{owner}/{repo}/deployments',
  'POST /repos/{owner}/{repo}/deployments',
  'GET /repos/{owner}/{repo}/deployments/{deployment_id}',
  'GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses',
  'POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses',
  'GET /repos/{owner}/{repo}/commits/{ref}/status',
  'GET /repos/{owner}/{repo}/commits/{ref}/check-runs',
  'GET /repos/{owner}/{repo}/commits/{ref}',
  'GET /repos/{owner}/{repo}/compare/{basehead}',
  'POST /repos/{owner}/{repo}/statuses/{sha}',
  'GET /repos/{owner}/{repo}/branches/{branch}',
  'GET /repos/{owner}/{repo}/git/ref/{ref}',
  'GET /repos/{owner}/{repo}/git/matching-refs/{ref}',
  'POST /repos/{owner}/{repo}/git/refs',
  'PATCH /repos/{owner}/{repo}/git/refs/{ref}',
  'DELETE /repos/{owner}/{repo}/git/refs/{ref}',
  'POST /repos/{owner}/{repo}/git/tags',
  'GET /repos/{owner}/{repo}/git/tags/{tag_sha}',
  'GET /repos/{owner}/{repo}/collaborators/{username}/permission',
  'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
  'POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions',
  'GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls',
  'GET /repos/{owner}/{repo}/pulls',
  'GET /repos/{owner}/{repo}/pulls/{pull_number}',
  'POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches',
];

function readDescription() {
  const dir = mkdtempSync(join(tmpdir(), 'github-openapi-'));
  try {
    // --json reports the tarball name; npm's progress notices go to stderr.
    const packed = execFileSync('npm', ['pack', PACKAGE, '--json', '--pack-destination', dir], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const tarball = join(dir, JSON.parse(packed)[0].filename);
    // Extract only the one file: the whole package unpacks to ~400 MB.
    execFileSync('tar', ['-xzf', tarball, '-C', dir, DESCRIPTION], { stdio: 'inherit' });
    return JSON.parse(readFileSync(join(dir, DESCRIPTION), 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function extractOperation(description, line) {
  const [method, path] = line.split(' ');
  const item = description.paths[path];
  const operation = item?.[method.toLowerCase()];
  if (!operation) throw new Error(`${line} is not in ${PACKAGE}`);

  const parameters = [...(item.parameters ?? []), ...(operation.parameters ?? [])];
  const names = (where) => parameters.filter((p) => p.in === where).map((p) => p.name);

  let requestBody = null;
  if (operation.requestBody) {
    const schema = operation.requestBody.content['application/json']?.schema;
    if (!schema) throw new Error(`${line} has no application/json request body`);
    requestBody = { required: operation.requestBody.required === true, schema };
  }

  return {
    method,
    path,
    operationId: operation.operationId,
    parameters: { path: names('path'), query: names('query') },
    requestBody,
  };
}

// Recursively sorted keys make the output independent of upstream key order.
function sortKeys(value) {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys(value[key])]),
  );
}

const description = readDescription();
const fixture = sortKeys({
  source: `${PACKAGE} ${DESCRIPTION}`,
  openapi: description.openapi,
  operations: OPERATIONS.map((line) => extractOperation(description, line)),
});

// The dereferenced description has nothing left to point into, so a
// surviving `$ref` could never be resolved: refuse to write it.
const text = `${JSON.stringify(fixture, null, 2)}\n`;
if (text.includes('"$ref"')) throw new Error('the extracted schemas still contain $ref');
writeFileSync(FIXTURE, text);
console.log(`wrote ${FIXTURE} (${fixture.operations.length} operations, ${text.length} bytes)`);
