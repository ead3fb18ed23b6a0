// The fake GitHub that the end-to-end tests run the action against: proof
// that it checks requests against GitHub's description and answers the way
// GitHub does, so that a green end-to-end test means something.

import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { EXAMPLE_SHA as SHA, exampleRepo } from './support/action.mjs';
import { routedOperations } from './support/fake-github.mjs';
import { matchOperation, operations, toJsonSchema, validateBody, validateQuery } from './support/openapi.mjs';

const TOKEN = { authorization: 'token test-token' };
const REPO = '/repos/Codertocat/Hello-World';
const OTHER_SHA = '0000000000000000000000000000000000000001';
const DOCS = 'https://docs.github.com/rest';

const operation = (id) => operations.find((op) => op.operationId === id);

describe('openapi support', () => {
  test('the fixture is self-contained and every operation has a route in the fake', () => {
    const text = readFileSync(new URL('./fixtures/github-openapi.json', import.meta.url), 'utf8');
    assert.equal(text.includes('"$ref"'), false);
    assert.equal(operations.length, 26);
    assert.deepEqual(routedOperations.toSorted(), operations.map((op) => op.operationId).toSorted());
  });

  test('every request schema compiles under ajv strict mode', () => {
    for (const op of operations.filter((o) => o.requestBody)) {
      assert.ok(validateBody(op, {}).length > 0, `${op.operationId} requires something`);
    }
  });

  test('paths match templates segment by segment; file paths and ref names may hold slashes', () => {
    assert.deepEqual(matchOperation('GET', `${REPO}/contents/.github/deploy.yml`), {
      operationId: 'repos/get-content',
      template: '/repos/{owner}/{repo}/contents/{path}',
      params: { owner: 'Codertocat', repo: 'Hello-World', path: '.github/deploy.yml' },
      operation: operation('repos/get-content'),
    });
    const lock = matchOperation('PATCH', `${REPO}/git/refs/heads/deliverybot/locks/production`);
    assert.equal(lock.operationId, 'git/update-ref');
    assert.equal(lock.params.ref, 'heads/deliverybot/locks/production');
    assert.equal(matchOperation('GET', `${REPO}/git/ref/tags/v1.0.0`).params.ref, 'tags/v1.0.0');
    const matching = matchOperation('GET', `${REPO}/git/matching-refs/heads/deliverybot/locks/`);
    assert.deepEqual([matching.operationId, matching.params.ref], ['git/list-matching-refs', 'heads/deliverybot/locks/']);
    assert.equal(matchOperation('GET', `${REPO}/git/matching-refs/`).params.ref, '', 'no ref: every ref');
    assert.equal(matchOperation('GET', `${REPO}/git/ref/`), null);
    assert.equal(matchOperation('GET', `${REPO}/commits/feature%2Fx/status`).params.ref, 'feature/x');
    assert.equal(matchOperation('GET', `${REPO}/commits/abc/status`).operationId, 'repos/get-combined-status-for-ref');
    assert.equal(matchOperation('POST', `${REPO}/issues/comments/5/reactions`).operationId, 'reactions/create-for-issue-comment');
    assert.equal(matchOperation('GET', `${REPO}/branches/feature/x`), null, 'only the routes above take slashes');
    assert.equal(matchOperation('PUT', `${REPO}/deployments`), null);
    assert.equal(matchOperation('GET', '/user'), null);
  });

  test('a body field the operation does not declare is an error, nested free-form data is not', () => {
    const create = operation('repos/create-deployment');
    assert.deepEqual(validateBody(create, { ref: 'main', enviroment: 'staging' }), [
      'body must NOT have additional properties: enviroment',
    ]);
    assert.deepEqual(validateBody(create, { ref: 'main', payload: { anything: { goes: true } } }), []);
  });

  test('nullable and documentation-only keywords become plain JSON Schema', () => {
    assert.deepEqual(toJsonSchema({ type: 'string', nullable: true, example: 'x' }), { type: ['string', 'null'] });
    assert.deepEqual(toJsonSchema({ type: 'string', enum: ['a'], nullable: true }), { type: ['string', 'null'], enum: ['a', null] });
    assert.deepEqual(toJsonSchema({ oneOf: [{ type: 'object' }], nullable: true }), {
      anyOf: [{ oneOf: [{ type: 'object' }] }, { type: 'null' }],
    });
    // A property called `example` is data, not a keyword.
    assert.deepEqual(toJsonSchema({ properties: { example: { type: 'integer', 'x-github': {} } } }), {
      properties: { example: { type: 'integer' } },
    });
  });

  test('a correct deployment body passes, a wrong one fails with readable errors', () => {
    const create = operation('repos/create-deployment');
    assert.deepEqual(validateBody(create, { ref: 'master', payload: { a: 1 }, description: null, required_contexts: [] }), []);
    assert.deepEqual(validateBody(create, { ref: 'master', payload: '{"a":1}' }), []);
    const errors = validateBody(create, { environment: 'production', auto_merge: 'no' });
    assert.deepEqual(errors, ['body must have required property \'ref\'', 'body.auto_merge must be boolean']);
    assert.deepEqual(validateBody(create, null), ['body is required']);

    const status = operation('repos/create-deployment-status');
    assert.deepEqual(validateBody(status, { state: 'succeeded' }), [
      'body.state must be equal to one of the allowed values: error, failure, inactive, in_progress, queued, pending, success',
    ]);
  });

  test('unknown query parameters are reported', () => {
    const list = operation('repos/list-deployments');
    assert.deepEqual(validateQuery(list, { environment: 'x', per_page: '100' }), []);
    assert.deepEqual(validateQuery(list, { perPage: '100' }), [
      'query parameter "perPage" is not accepted by repos/list-deployments',
    ]);
  });
});

describe('fake GitHub', () => {
  let fake;
  let repo;

  beforeEach(async () => {
    ({ fake, repo } = await exampleRepo());
  });
  afterEach(() => fake.close());

  async function call(method, path, { body, headers = {} } = {}) {
    const response = await fetch(fake.url + path, {
      method,
      headers: { ...TOKEN, ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    const json = response.headers.get('content-type')?.startsWith('application/json') ? JSON.parse(text) : null;
    return { status: response.status, headers: response.headers, text, json };
  }

  const deploy = (body) => call('POST', `${REPO}/deployments`, { body });

  describe('requests', () => {
    test('need the token, as `token` or `Bearer`', async () => {
      const bad = { message: 'Bad credentials', documentation_url: DOCS, status: '401' };
      assert.deepEqual((await call('GET', `${REPO}/deployments`, { headers: { authorization: '' } })).json, bad);
      assert.deepEqual((await call('GET', `${REPO}/deployments`, { headers: { authorization: 'token nope' } })).json, bad);
      assert.equal((await call('GET', `${REPO}/deployments`, { headers: { authorization: 'Bearer test-token' } })).status, 200);
      assert.equal((await call('GET', `${REPO}/deployments`)).status, 200);
      assert.deepEqual(fake.requests.map((r) => r.status), [401, 401, 200, 200]);
    });

    test('are recorded in order with what the fake answered', async () => {
      await call('GET', `${REPO}/deployments?environment=production`);
      await deploy({ ref: 'master' });
      const [list, create] = fake.requests;
      assert.deepEqual(
        { ...list, headers: undefined },
        {
          method: 'GET',
          path: `${REPO}/deployments`,
          query: { environment: 'production' },
          headers: undefined,
          body: null,
          operationId: 'repos/list-deployments',
          errors: [],
          status: 200,
        },
      );
      assert.equal(list.headers.authorization, 'token test-token');
      assert.deepEqual(create.body, { ref: 'master' });
      assert.deepEqual(fake.writes(), [create]);
      assert.deepEqual(fake.invalid(), []);
    });

    test('to unknown routes or repositories answer 404; unknown routes count as invalid', async () => {
      const unknown = await call('GET', '/user');
      assert.deepEqual(unknown.json, { message: 'Not Found', documentation_url: DOCS, status: '404' });
      assert.equal((await call('GET', '/repos/someone/else/deployments')).status, 404);
      assert.deepEqual(fake.invalid().map((r) => r.path), ['/user']);
    });

    test('with a body the schema refuses answer 422, create nothing and count as invalid', async () => {
      const response = await deploy({ environment: 'production', auto_merge: 'yes' });
      assert.equal(response.status, 422);
      assert.deepEqual(response.json, {
        message: "Invalid request.\n\nbody must have required property 'ref'\nbody.auto_merge must be boolean",
        documentation_url: DOCS,
        status: '422',
      });
      assert.deepEqual(repo.deployments, []);
      const [invalid] = fake.invalid();
      assert.equal(invalid.operationId, 'repos/create-deployment');
      assert.equal(invalid.errors.length, 2);
    });

    test('with malformed JSON answer 400', async () => {
      const response = await deploy('{"ref":');
      assert.equal(response.status, 400);
      assert.equal(response.json.message, 'Problems parsing JSON');
      assert.deepEqual(fake.invalid()[0].errors, ['body is not valid JSON']);
    });

    test('with undeclared query parameters are answered but count as invalid', async () => {
      assert.equal((await call('GET', `${REPO}/deployments?perPage=100`)).status, 200);
      assert.deepEqual(fake.invalid()[0].errors, ['query parameter "perPage" is not accepted by repos/list-deployments']);
    });
  });

  describe('contents', () => {
    const CONFIG = 'production:\n  environment: production\n';

    test('come base64 encoded by default, raw with the raw media type', async () => {
      repo.setFile('master', '.github/deploy.yml', CONFIG);
      const json = await call('GET', `${REPO}/contents/.github/deploy.yml`);
      assert.equal(json.status, 200);
      assert.equal(json.json.type, 'file');
      assert.equal(json.json.encoding, 'base64');
      assert.equal(json.json.name, 'deploy.yml');
      assert.equal(json.json.path, '.github/deploy.yml');
      assert.equal(json.json.size, CONFIG.length);
      assert.match(json.json.sha, /^[0-9a-f]{40}$/);
      assert.equal(Buffer.from(json.json.content, 'base64').toString(), CONFIG);

      for (const accept of ['application/vnd.github.raw+json', 'application/vnd.github.raw']) {
        const raw = await call('GET', `${REPO}/contents/.github/deploy.yml`, { headers: { accept } });
        assert.equal(raw.status, 200);
        assert.match(raw.headers.get('content-type'), /^text\/plain/);
        assert.equal(raw.text, CONFIG);
      }
    });

    test('are read at ?ref= (a branch, or a sha that is a branch head), else on the default branch', async () => {
      repo.setFile('master', 'a.txt', 'on master');
      repo.setFile('topic', 'a.txt', 'on topic');
      repo.setRef('heads/topic', OTHER_SHA);
      const raw = { accept: 'application/vnd.github.raw+json' };
      assert.equal((await call('GET', `${REPO}/contents/a.txt`, { headers: raw })).text, 'on master');
      assert.equal((await call('GET', `${REPO}/contents/a.txt?ref=topic`, { headers: raw })).text, 'on topic');
      assert.equal((await call('GET', `${REPO}/contents/a.txt?ref=${OTHER_SHA}`, { headers: raw })).text, 'on topic');
    });

    test('that do not exist answer 404', async () => {
      const missing = await call('GET', `${REPO}/contents/.github/deploy.yml`);
      assert.equal(missing.status, 404);
      assert.equal(missing.json.message, 'Not Found');
    });
  });

  describe('creating deployments', () => {
    test('resolves the ref and fills in GitHub defaults', async () => {
      const response = await deploy({ ref: 'master', payload: { target: 'production' } });
      assert.equal(response.status, 201);
      const deployment = response.json;
      assert.equal(deployment.sha, SHA);
      assert.equal(deployment.ref, 'master');
      assert.equal(deployment.task, 'deploy');
      assert.equal(deployment.environment, 'production');
      assert.equal(deployment.original_environment, 'production');
      assert.equal(deployment.production_environment, true);
      assert.equal(deployment.transient_environment, false);
      assert.deepEqual(deployment.payload, { target: 'production' });
      assert.equal(deployment.creator.login, 'github-actions[bot]');
      assert.equal(deployment.url, `${fake.url}${REPO}/deployments/${deployment.id}`);
      assert.equal(deployment.statuses_url, `${deployment.url}/statuses`);
      assert.equal(deployment.repository_url, `${fake.url}${REPO}`);
      assert.match(deployment.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.deepEqual(repo.deployments, [deployment]);

      const staging = (await deploy({ ref: SHA, environment: 'staging', task: 'deploy:migrations' })).json;
      assert.equal(staging.production_environment, false);
      assert.equal(staging.task, 'deploy:migrations');
      assert.equal(staging.id, deployment.id + 1);
    });

    test('resolves tags and refuses refs that do not exist', async () => {
      repo.setRef('tags/v1.0.0', OTHER_SHA);
      assert.equal((await deploy({ ref: 'v1.0.0' })).json.sha, OTHER_SHA);
      const unknown = await deploy({ ref: 'nope' });
      assert.equal(unknown.status, 422);
      assert.deepEqual(unknown.json, { message: 'No ref found for: nope', documentation_url: DOCS, status: '422' });
    });

    test('answers 409 while a context on the commit is not successful', async () => {
      repo.addCommitStatus(SHA, { context: 'ci', state: 'pending' });
      repo.addCommitStatus(SHA, { context: 'lint', state: 'failure' });
      repo.addCommitStatus(SHA, { context: 'lint', state: 'success' }); // the latest per context counts
      const conflict = await deploy({ ref: 'master' });
      assert.equal(conflict.status, 409);
      assert.deepEqual(conflict.json, {
        message: 'Conflict: Commit status checks failed for master.',
        errors: [
          { contexts: [{ context: 'ci', state: 'pending' }], resource: 'Deployment', field: 'required_contexts', code: 'invalid' },
        ],
        documentation_url: DOCS,
        status: '409',
      });
      assert.equal((await deploy({ ref: 'master', required_contexts: ['lint'] })).status, 201);
      assert.equal((await deploy({ ref: 'master', required_contexts: [] })).status, 201);
      assert.deepEqual((await deploy({ ref: 'master', required_contexts: ['e2e'] })).json.errors[0].contexts, [
        { context: 'e2e', state: 'missing' },
      ]);
    });

    test('counts check runs by name: success, neutral and skipped pass', async () => {
      repo.addCheckRun(SHA, { name: 'build', conclusion: 'neutral' });
      repo.addCheckRun(SHA, { name: 'docs', conclusion: 'skipped' });
      assert.equal((await deploy({ ref: 'master' })).status, 201);
      repo.addCheckRun(SHA, { name: 'test', status: 'in_progress' });
      repo.addCheckRun(SHA, { name: 'build', conclusion: 'failure' });
      assert.deepEqual((await deploy({ ref: 'master' })).json.errors[0].contexts, [
        { context: 'build', state: 'failure' },
        { context: 'test', state: 'pending' },
      ]);
    });

    test('answers 202 and creates nothing when GitHub would merge the default branch first', async () => {
      repo.mergeRequired = true;
      const merged = await deploy({ ref: 'master' });
      assert.equal(merged.status, 202);
      assert.deepEqual(merged.json, { message: 'Auto-merged master into master on deployment.' });
      assert.deepEqual(repo.deployments, []);
      assert.equal((await deploy({ ref: 'master', auto_merge: false })).status, 201);
    });
  });

  describe('listing deployments', () => {
    test('filters by sha, ref, task and environment, newest first', async () => {
      const a = repo.addDeployment({ ref: 'master', environment: 'staging' });
      const b = repo.addDeployment({ ref: 'master', environment: 'production', task: 'deploy:migrations' });
      const c = repo.addDeployment({ ref: 'topic', sha: OTHER_SHA, environment: 'production' });
      const ids = async (query) => (await call('GET', `${REPO}/deployments${query}`)).json.map((d) => d.id);
      assert.deepEqual(await ids(''), [c.id, b.id, a.id]);
      assert.deepEqual(await ids('?environment=production'), [c.id, b.id]);
      assert.deepEqual(await ids(`?sha=${SHA}`), [b.id, a.id]);
      assert.deepEqual(await ids('?ref=topic'), [c.id]);
      assert.deepEqual(await ids('?task=deploy:migrations&environment=production'), [b.id]);
    });

    test('pages like GitHub, with its Link header', async () => {
      for (let i = 0; i < 120; i++) repo.addDeployment({ ref: 'master' });
      const base = `${fake.url}${REPO}/deployments`;

      const first = await call('GET', `${REPO}/deployments?per_page=100`);
      assert.equal(first.json.length, 100);
      assert.equal(first.json[0].id, 120);
      assert.equal(first.headers.get('link'), `<${base}?per_page=100&page=2>; rel="next", <${base}?per_page=100&page=2>; rel="last"`);

      const second = await call('GET', `${REPO}/deployments?per_page=100&page=2`);
      assert.deepEqual(second.json.map((d) => d.id), Array.from({ length: 20 }, (_, i) => 20 - i));
      assert.equal(second.headers.get('link'), `<${base}?per_page=100&page=1>; rel="prev", <${base}?per_page=100&page=1>; rel="first"`);

      // Default 30 a page; the other parameters are kept.
      const middle = await call('GET', `${REPO}/deployments?environment=production&page=2`);
      assert.equal(middle.json.length, 30);
      const link = (page, rel) => `<${base}?environment=production&page=${page}>; rel="${rel}"`;
      assert.equal(middle.headers.get('link'), [link(1, 'prev'), link(3, 'next'), link(4, 'last'), link(1, 'first')].join(', '));

      assert.equal((await call('GET', `${REPO}/deployments?per_page=500`)).json.length, 100, 'per_page caps at 100');
      assert.equal((await call('GET', `${REPO}/deployments?environment=qa`)).headers.get('link'), null);
    });

    test('single deployments are found by id', async () => {
      const deployment = repo.addDeployment({ ref: 'master' });
      assert.deepEqual((await call('GET', `${REPO}/deployments/${deployment.id}`)).json, deployment);
      assert.equal((await call('GET', `${REPO}/deployments/999`)).status, 404);
    });
  });

  describe('deployment statuses', () => {
    const latestState = (deployment) => repo.deploymentStatuses.get(deployment.id).at(-1)?.state;

    test('are created and listed newest first', async () => {
      const deployment = repo.addDeployment({ ref: 'master', environment: 'staging' });
      const path = `${REPO}/deployments/${deployment.id}/statuses`;
      const created = await call('POST', path, {
        body: { state: 'in_progress', log_url: 'https://ci.example/1', description: 'Deploying' },
      });
      assert.equal(created.status, 201);
      assert.equal(created.json.state, 'in_progress');
      assert.equal(created.json.environment, 'staging');
      assert.equal(created.json.log_url, 'https://ci.example/1');
      assert.equal(created.json.target_url, 'https://ci.example/1', 'log_url fills target_url');
      assert.equal(created.json.environment_url, '');
      assert.equal(created.json.deployment_url, deployment.url);
      await call('POST', path, { body: { state: 'success', environment_url: 'https://staging.example' } });
      assert.deepEqual((await call('GET', path)).json.map((s) => s.state), ['success', 'in_progress']);
      assert.equal((await call('POST', path, { body: { state: 'done' } })).status, 422);
      assert.equal((await call('POST', `${REPO}/deployments/999/statuses`, { body: { state: 'success' } })).status, 404);
    });

    test('are paged newest first, with the Link header', async () => {
      const deployment = repo.addDeployment({ ref: 'master' });
      const ids = Array.from({ length: 5 }, () => repo.addDeploymentStatus(deployment.id, { state: 'queued' }).id);
      const path = `${REPO}/deployments/${deployment.id}/statuses`;
      const base = `${fake.url}${path}`;
      const second = await call('GET', `${path}?per_page=2&page=2`);
      assert.deepEqual(second.json.map((s) => s.id), [ids[2], ids[1]]);
      const link = (page, rel) => `<${base}?per_page=2&page=${page}>; rel="${rel}"`;
      assert.equal(second.headers.get('link'), [link(1, 'prev'), link(3, 'next'), link(3, 'last'), link(1, 'first')].join(', '));
      assert.deepEqual((await call('GET', `${path}?per_page=2&page=3`)).json.map((s) => s.id), [ids[0]]);
      assert.deepEqual(fake.invalid(), []);
    });

    test('a success makes earlier successful deployments of the environment inactive', async () => {
      const old = repo.addDeployment({ ref: 'master', environment: 'staging' });
      const failed = repo.addDeployment({ ref: 'master', environment: 'staging' });
      const elsewhere = repo.addDeployment({ ref: 'master', environment: 'production' });
      const current = repo.addDeployment({ ref: 'master', environment: 'staging' });
      repo.addDeploymentStatus(old.id, { state: 'success' });
      repo.addDeploymentStatus(failed.id, { state: 'failure' });
      repo.addDeploymentStatus(elsewhere.id, { state: 'success' });

      await call('POST', `${REPO}/deployments/${current.id}/statuses`, { body: { state: 'success' } });
      assert.equal(latestState(old), 'inactive');
      assert.equal(latestState(failed), 'failure');
      assert.equal(latestState(elsewhere), 'success');
      assert.equal(latestState(current), 'success');
    });

    test('auto_inactive: false leaves earlier deployments alone', async () => {
      const old = repo.addDeployment({ ref: 'master', environment: 'staging' });
      const current = repo.addDeployment({ ref: 'master', environment: 'staging' });
      repo.addDeploymentStatus(old.id, { state: 'success' });
      await call('POST', `${REPO}/deployments/${current.id}/statuses`, { body: { state: 'success', auto_inactive: false } });
      assert.equal(latestState(old), 'success');
    });

    test('an environment given with a status moves the deployment', async () => {
      const deployment = repo.addDeployment({ ref: 'master', environment: 'staging' });
      await call('POST', `${REPO}/deployments/${deployment.id}/statuses`, { body: { state: 'queued', environment: 'qa' } });
      const moved = (await call('GET', `${REPO}/deployments/${deployment.id}`)).json;
      assert.equal(moved.environment, 'qa');
      assert.equal(moved.original_environment, 'staging');
    });
  });

  describe('commit statuses and checks', () => {
    test('combine the latest status of each context', async () => {
      assert.equal((await call('GET', `${REPO}/commits/master/status`)).json.state, 'pending', 'no statuses yet');
      const created = await call('POST', `${REPO}/statuses/${SHA}`, { body: { state: 'pending', context: 'ci' } });
      assert.equal(created.status, 201);
      assert.equal(created.json.context, 'ci');
      await call('POST', `${REPO}/statuses/${SHA}`, { body: { state: 'success', context: 'ci' } });
      await call('POST', `${REPO}/statuses/${SHA}`, { body: { state: 'success' } });
      const combined = (await call('GET', `${REPO}/commits/master/status`)).json;
      assert.equal(combined.state, 'success');
      assert.equal(combined.sha, SHA);
      assert.equal(combined.total_count, 2);
      assert.deepEqual(combined.statuses.map((s) => [s.context, s.state]), [['ci', 'success'], ['default', 'success']]);
      assert.equal(combined.repository.full_name, 'Codertocat/Hello-World');
      await call('POST', `${REPO}/statuses/${SHA}`, { body: { state: 'error', context: 'lint' } });
      assert.equal((await call('GET', `${REPO}/commits/${SHA}/status`)).json.state, 'failure');
      assert.equal((await call('GET', `${REPO}/commits/nope/status`)).status, 404);
    });

    test('page the statuses of the combined status; total_count counts them all', async () => {
      for (const context of ['a', 'b', 'c']) repo.addCommitStatus(SHA, { context, state: 'success' });
      const base = `${fake.url}${REPO}/commits/master/status`;
      const first = await call('GET', `${REPO}/commits/master/status?per_page=2`);
      assert.deepEqual(first.json.statuses.map((s) => s.context), ['a', 'b']);
      assert.equal(first.json.total_count, 3);
      assert.equal(first.json.state, 'success');
      assert.equal(first.headers.get('link'), `<${base}?per_page=2&page=2>; rel="next", <${base}?per_page=2&page=2>; rel="last"`);
      const second = await call('GET', `${REPO}/commits/master/status?per_page=2&page=2`);
      assert.deepEqual(second.json.statuses.map((s) => s.context), ['c']);
      assert.equal(second.headers.get('link'), `<${base}?per_page=2&page=1>; rel="prev", <${base}?per_page=2&page=1>; rel="first"`);
      assert.deepEqual(fake.invalid(), []);
    });

    test('list the latest check run of each name, paged', async () => {
      repo.addCheckRun(SHA, { name: 'build', conclusion: 'failure' });
      repo.addCheckRun(SHA, { name: 'build' });
      repo.addCheckRun(SHA, { name: 'test', status: 'queued' });
      const latest = (await call('GET', `${REPO}/commits/master/check-runs`)).json;
      assert.equal(latest.total_count, 2);
      assert.deepEqual(latest.check_runs.map((r) => [r.name, r.status, r.conclusion, r.head_sha]), [
        ['build', 'completed', 'success', SHA],
        ['test', 'queued', null, SHA],
      ]);
      assert.equal((await call('GET', `${REPO}/commits/master/check-runs?filter=all`)).json.total_count, 3);
      const paged = await call('GET', `${REPO}/commits/master/check-runs?per_page=1`);
      assert.equal(paged.json.check_runs.length, 1);
      assert.match(paged.headers.get('link'), /page=2>; rel="next"/);
      const second = await call('GET', `${REPO}/commits/master/check-runs?per_page=1&page=2`);
      assert.deepEqual([second.json.total_count, second.json.check_runs.map((r) => r.name)], [2, ['test']]);
      const base = `${fake.url}${REPO}/commits/master/check-runs`;
      assert.equal(second.headers.get('link'), `<${base}?per_page=1&page=1>; rel="prev", <${base}?per_page=1&page=1>; rel="first"`);
      assert.deepEqual(fake.invalid(), []);
    });
  });

  describe('git and repository routes', () => {
    test('commits, branches and refs', async () => {
      repo.setCommit(SHA, { message: 'Ship it', author: { name: 'Codertocat' } });
      const commit = (await call('GET', `${REPO}/commits/master`)).json;
      assert.equal(commit.sha, SHA);
      assert.equal(commit.commit.message, 'Ship it');
      assert.equal(commit.commit.author.name, 'Codertocat');
      assert.equal((await call('GET', `${REPO}/commits/nope`)).status, 422);

      const branch = (await call('GET', `${REPO}/branches/master`)).json;
      assert.deepEqual([branch.name, branch.commit.sha, branch.protected], ['master', SHA, false]);
      assert.equal((await call('GET', `${REPO}/branches/nope`)).json.message, 'Branch not found');

      const ref = (await call('GET', `${REPO}/git/ref/heads/master`)).json;
      assert.deepEqual([ref.ref, ref.object.sha, ref.object.type], ['refs/heads/master', SHA, 'commit']);
      assert.equal((await call('GET', `${REPO}/git/ref/heads/nope`)).status, 404);
    });

    test('matching refs: every ref starting with the prefix, by name, not paged', async () => {
      repo.setRef('heads/feature-x', OTHER_SHA);
      repo.setRef('tags/feature', SHA);
      repo.setRef('heads/feature', SHA);
      repo.setRef('heads/deliverybot/locks/staging', SHA);
      repo.setRef('heads/deliverybot/locks/production', OTHER_SHA);
      const names = async (prefix) => (await call('GET', `${REPO}/git/matching-refs/${prefix}`)).json.map((r) => r.ref);

      const response = await call('GET', `${REPO}/git/matching-refs/heads/feature`);
      assert.equal(response.status, 200);
      assert.deepEqual(response.json, [
        (await call('GET', `${REPO}/git/ref/heads/feature`)).json,
        (await call('GET', `${REPO}/git/ref/heads/feature-x`)).json,
      ]);
      assert.deepEqual(response.json[1], {
        ref: 'refs/heads/feature-x',
        node_id: response.json[1].node_id,
        url: `${fake.url}${REPO}/git/refs/heads/feature-x`,
        object: { sha: OTHER_SHA, type: 'commit', url: `${fake.url}${REPO}/git/commits/${OTHER_SHA}` },
      });
      assert.deepEqual(await names('heads/deliverybot/locks/'), [
        'refs/heads/deliverybot/locks/production',
        'refs/heads/deliverybot/locks/staging',
      ]);
      assert.deepEqual(await names('heads/fe'), ['refs/heads/feature', 'refs/heads/feature-x']);
      assert.deepEqual(await names(''), [
        'refs/heads/deliverybot/locks/production',
        'refs/heads/deliverybot/locks/staging',
        'refs/heads/feature',
        'refs/heads/feature-x',
        'refs/heads/master',
        'refs/tags/feature',
      ]);

      const none = await call('GET', `${REPO}/git/matching-refs/heads/nope`);
      assert.deepEqual([none.status, none.json], [200, []]);
      assert.deepEqual(fake.invalid(), []);

      // GitHub ignores per_page and page here; the fake answers the same and flags them.
      const paged = await call('GET', `${REPO}/git/matching-refs/heads/?per_page=1&page=2`);
      assert.equal(paged.json.length, 5);
      assert.equal(paged.headers.get('link'), null);
      assert.deepEqual(fake.invalid().at(-1).errors, [
        'query parameter "per_page" is not accepted by git/list-matching-refs',
        'query parameter "page" is not accepted by git/list-matching-refs',
      ]);
    });

    test('a seeded annotated tag: the ref points at the tag object, which points at the commit', async () => {
      const tag = repo.setAnnotatedTag('v2.0.0', OTHER_SHA);
      assert.equal(repo.refs.get('tags/v2.0.0'), tag.sha);
      const ref = (await call('GET', `${REPO}/git/ref/tags/v2.0.0`)).json;
      assert.deepEqual(ref.object, { sha: tag.sha, type: 'tag', url: `${fake.url}${REPO}/git/tags/${tag.sha}` });
      assert.notEqual(tag.sha, OTHER_SHA);
      const object = (await call('GET', `${REPO}/git/tags/${tag.sha}`)).json;
      assert.deepEqual([object.tag, object.message, object.object.sha, object.object.type], ['v2.0.0', 'Release v2.0.0', OTHER_SHA, 'commit']);
      assert.deepEqual((await call('GET', `${REPO}/git/matching-refs/tags/v2`)).json, [ref]);
      // The tag is peeled wherever GitHub takes a commit-ish.
      assert.equal((await call('GET', `${REPO}/commits/v2.0.0`)).json.sha, OTHER_SHA);
      assert.equal((await call('GET', `${REPO}/commits/v2.0.0/status`)).json.sha, OTHER_SHA);
      assert.equal((await deploy({ ref: 'v2.0.0' })).json.sha, OTHER_SHA);
    });

    test('creating a ref is atomic: of concurrent creates exactly one wins', async () => {
      const body = { ref: 'refs/heads/deliverybot/locks/production', sha: SHA };
      const results = await Promise.all(Array.from({ length: 5 }, () => call('POST', `${REPO}/git/refs`, { body })));
      assert.deepEqual(results.map((r) => r.status).sort(), [201, 422, 422, 422, 422]);
      assert.equal(results.find((r) => r.status === 422).json.message, 'Reference already exists');
      assert.equal(repo.refs.get('heads/deliverybot/locks/production'), SHA);
    });

    test('updating a ref must fast-forward unless forced; deleting answers 204', async () => {
      const path = `${REPO}/git/refs/heads/deliverybot/locks/production`;
      await call('POST', `${REPO}/git/refs`, { body: { ref: 'refs/heads/deliverybot/locks/production', sha: SHA } });
      const child = 'c'.repeat(40);
      repo.setCommit(child, { parents: [SHA] });
      assert.equal((await call('PATCH', path, { body: { sha: OTHER_SHA } })).json.message, 'Update is not a fast forward');
      assert.equal((await call('PATCH', path, { body: { sha: child } })).json.object.sha, child);
      assert.equal((await call('PATCH', path, { body: { sha: OTHER_SHA, force: true } })).status, 200);
      assert.equal((await call('DELETE', path)).status, 204);
      assert.equal(repo.refs.has('heads/deliverybot/locks/production'), false);
      assert.equal((await call('DELETE', path)).json.message, 'Reference does not exist');
    });

    test('annotated tags are created, read back and peeled when deploying', async () => {
      const created = await call('POST', `${REPO}/git/tags`, {
        body: { tag: 'v1.0.0', message: 'Release', object: SHA, type: 'commit' },
      });
      assert.equal(created.status, 201);
      const tag = created.json;
      assert.deepEqual([tag.tag, tag.object.sha, tag.object.type], ['v1.0.0', SHA, 'commit']);
      assert.deepEqual((await call('GET', `${REPO}/git/tags/${tag.sha}`)).json, tag);
      await call('POST', `${REPO}/git/refs`, { body: { ref: 'refs/tags/v1.0.0', sha: tag.sha } });
      assert.equal((await call('GET', `${REPO}/git/ref/tags/v1.0.0`)).json.object.type, 'tag');
      assert.equal((await deploy({ ref: 'v1.0.0' })).json.sha, SHA);
    });

    test('permissions, comments, reactions, pull requests and workflow dispatches', async () => {
      repo.setPermission('octocat', 'maintain');
      const permission = (await call('GET', `${REPO}/collaborators/octocat/permission`)).json;
      assert.deepEqual([permission.permission, permission.role_name, permission.user.login], ['write', 'maintain', 'octocat']);
      assert.equal((await call('GET', `${REPO}/collaborators/stranger/permission`)).status, 404);

      const comment = await call('POST', `${REPO}/issues/1/comments`, { body: { body: 'Deploying' } });
      assert.equal(comment.status, 201);
      assert.equal(repo.comments[0].body, 'Deploying');
      const reaction = `${REPO}/issues/comments/2001/reactions`;
      assert.equal((await call('POST', reaction, { body: { content: 'rocket' } })).status, 201);
      assert.equal((await call('POST', reaction, { body: { content: 'rocket' } })).status, 200, 'already there');

      repo.setPull(7, { head: { ref: 'topic', sha: OTHER_SHA } });
      const pull = (await call('GET', `${REPO}/pulls/7`)).json;
      assert.deepEqual([pull.number, pull.state, pull.head.ref, pull.head.sha, pull.base.ref], [7, 'open', 'topic', OTHER_SHA, 'master']);
      assert.equal((await call('GET', `${REPO}/pulls/8`)).status, 404);

      const dispatches = `${REPO}/actions/workflows/deploy.yml/dispatches`;
      assert.equal((await call('POST', dispatches, { body: { ref: 'master', inputs: { environment: 'qa' } } })).status, 204);
      const details = await call('POST', dispatches, { body: { ref: 'master', return_run_details: true } });
      assert.equal(details.status, 200);
      assert.equal(typeof details.json.workflow_run_id, 'number');
      assert.deepEqual(repo.dispatches[0].inputs, { environment: 'qa' });
    });
  });

  describe('pull requests', () => {
    const pull = async (number) => (await call('GET', `${REPO}/pulls/${number}`)).json;

    test('default to an open pull request from pull-<n> into the default branch of this repository', async () => {
      repo.setPull(3);
      const json = await pull(3);
      const side = ({ label, ref, sha, repo: { id, full_name } }) => ({ label, ref, sha, id, full_name });
      assert.deepEqual(side(json.base), { label: 'Codertocat:master', ref: 'master', sha: SHA, id: repo.id, full_name: 'Codertocat/Hello-World' });
      assert.match(json.head.sha, /^[0-9a-f]{40}$/, 'an unknown head branch still has a sha');
      assert.deepEqual([json.head.ref, json.head.repo.id, json.head.repo.full_name], ['pull-3', repo.id, 'Codertocat/Hello-World']);
      assert.equal((await pull(3)).head.sha, json.head.sha, 'stable');
      assert.deepEqual(
        [json.number, json.state, json.draft, json.merged, json.merged_at, json.title, json.user.login],
        [3, 'open', false, false, null, 'Pull request #3', 'Codertocat'],
      );
    });

    test('seeded fields win; user, head, base and their repos are merged', async () => {
      repo.setRef('heads/topic', OTHER_SHA);
      repo.setPull(4, { title: 'Add feature', draft: true, user: { login: 'octocat' }, head: { ref: 'topic' } });
      const json = await pull(4);
      assert.deepEqual([json.title, json.draft, json.state], ['Add feature', true, 'open']);
      assert.deepEqual([json.user.login, typeof json.user.id, json.user.type], ['octocat', 'number', 'User']);
      assert.deepEqual([json.head.ref, json.head.sha, json.head.label, json.head.repo.id], ['topic', OTHER_SHA, 'Codertocat:topic', repo.id]);

      repo.setPull(5, { merged: true, base: { ref: 'release', repo: { default_branch: 'release' } } });
      const merged = await pull(5);
      assert.deepEqual([merged.merged, merged.state, typeof merged.merged_at, typeof merged.closed_at], [true, 'closed', 'string', 'string']);
      assert.deepEqual([merged.base.ref, merged.base.repo.default_branch, merged.base.repo.id], ['release', 'release', repo.id]);
    });

    test('are listed by state, newest first and in pages, and found by their head commit', async () => {
      repo.setRef('heads/topic', OTHER_SHA);
      for (const number of [1, 2, 3]) repo.setPull(number, { head: { ref: number === 2 ? 'topic' : `pull-${number}` } });
      repo.setPull(4, { head: { ref: 'topic' }, state: 'closed' });
      const list = async (query) => call('GET', `${REPO}/pulls?${query}`);
      assert.deepEqual((await list('state=open')).json.map((p) => p.number), [3, 2, 1]);
      assert.deepEqual((await list('state=all&direction=asc')).json.map((p) => p.number), [1, 2, 3, 4]);
      const first = await list('state=open&per_page=2');
      assert.deepEqual(first.json.map((p) => p.number), [3, 2]);
      assert.match(first.headers.get('link'), /page=2>; rel="next"/);
      const ofCommit = await call('GET', `${REPO}/commits/${OTHER_SHA}/pulls`);
      assert.deepEqual(ofCommit.json.map((p) => [p.number, p.state]), [[2, 'open'], [4, 'closed']]);
      assert.deepEqual((await call('GET', `${REPO}/commits/${SHA}/pulls`)).json, []);
      assert.deepEqual(fake.invalid(), []);
    });

    test('from a fork: head.repo is another repository, or null once the fork is deleted', async () => {
      const fork = fake.repo('octocat/Hello-World');
      assert.notEqual(fork.id, repo.id);
      assert.equal(fake.repo('codertocat/hello-world').id, repo.id, 'one id per repository');
      fork.setRef('heads/fix', OTHER_SHA);
      repo.setPull(6, { head: { ref: 'fix', repo: fork } });
      const json = await pull(6);
      assert.deepEqual(
        [json.head.label, json.head.sha, json.head.user.login, json.head.repo.id, json.head.repo.full_name],
        ['octocat:fix', OTHER_SHA, 'octocat', fork.id, 'octocat/Hello-World'],
      );
      assert.deepEqual([json.base.repo.id, json.base.repo.full_name], [repo.id, 'Codertocat/Hello-World']);

      repo.setPull(7, { head: { ref: 'gone', sha: SHA, repo: null } });
      assert.deepEqual([(await pull(7)).head.repo, (await pull(7)).head.sha], [null, SHA]);
    });
  });

  describe('fault injection', () => {
    test('answers with the given failure the given number of times, then normally', async () => {
      fake.fail({ method: 'GET', path: `${REPO}/deployments`, status: 503, times: 2 });
      const first = await call('GET', `${REPO}/deployments`);
      assert.equal(first.status, 503);
      assert.deepEqual(first.json, { message: 'Service Unavailable', documentation_url: DOCS, status: '503' });
      assert.equal((await call('GET', `${REPO}/deployments`)).status, 503);
      assert.equal((await call('GET', `${REPO}/deployments`)).status, 200);
      assert.deepEqual(fake.requests.map((r) => [r.status, r.injected ?? false]), [[503, true], [503, true], [200, false]]);
    });

    test('matches paths by RegExp and method, with custom headers and body', async () => {
      fake.fail({
        method: 'POST',
        path: /\/deployments$/,
        status: 403,
        headers: { 'retry-after': '1' },
        body: { message: 'You have exceeded a secondary rate limit.' },
      });
      assert.equal((await call('GET', `${REPO}/deployments`)).status, 200, 'other methods pass');
      const limited = await deploy({ ref: 'master' });
      assert.equal(limited.status, 403);
      assert.equal(limited.headers.get('retry-after'), '1');
      assert.equal(limited.json.message, 'You have exceeded a secondary rate limit.');
      assert.deepEqual(repo.deployments, []);
    });

    test('after-write does the work and then drops the response', async () => {
      fake.fail({ method: 'POST', path: `${REPO}/deployments`, mode: 'after-write' });
      await assert.rejects(deploy({ ref: 'master' }));
      assert.equal(repo.deployments.length, 1, 'the deployment exists though the client never heard');
      assert.deepEqual(fake.requests.map((r) => [r.status, r.injected]), [[null, true]]);
      assert.equal((await deploy({ ref: 'master' })).status, 201);
    });

    test('reset drops the connection without doing anything', async () => {
      fake.fail({ path: `${REPO}/deployments`, mode: 'reset' });
      await assert.rejects(deploy({ ref: 'master' }));
      assert.deepEqual(repo.deployments, []);
      assert.equal(fake.requests[0].injected, true);
    });

    test('delay answers normally, late', async () => {
      fake.fail({ path: `${REPO}/deployments`, mode: 'delay', delayMs: 200 });
      const started = performance.now();
      assert.equal((await deploy({ ref: 'master' })).status, 201);
      assert.ok(performance.now() - started >= 190);
    });

    test('close() does not wait for delayed requests', async () => {
      fake.fail({ path: `${REPO}/deployments`, mode: 'delay', delayMs: 60_000 });
      const pending = deploy({ ref: 'master' });
      await new Promise((resolve) => setTimeout(resolve, 50));
      await fake.close();
      await assert.rejects(pending);
    });
  });

  describe('compare', () => {
    // main: A (root) <- B (services/web) <- C (services/api, renames); side: A <- D.
    const [A, B, C, D] = ['a', 'b', 'c', 'd'].map((c) => c.repeat(40));
    beforeEach(() => {
      repo.setCommit(A);
      repo.setCommit(B, { parents: [A], files: ['services/web/app.ts'] });
      repo.setCommit(C, { parents: [B], files: ['services/api/main.go', { filename: 'libs/x.ts', status: 'renamed', previous_filename: 'services/web/x.ts' }] });
      repo.setCommit(D, { parents: [A], files: ['docs/readme.md'] });
      repo.setRef('heads/master', C);
    });
    const compare = (basehead, query = '') => call('GET', `${REPO}/compare/${basehead}${query}`);

    test('lists the commits head has and base lacks, oldest first, and the files they changed', async () => {
      const { status, json } = await compare(`${A}...master`);
      assert.equal(status, 200);
      assert.deepEqual([json.status, json.ahead_by, json.behind_by, json.total_commits], ['ahead', 2, 0, 2]);
      assert.deepEqual(json.commits.map((c) => c.sha), [B, C]);
      assert.equal(json.merge_base_commit.sha, A);
      assert.deepEqual(
        json.files.map((f) => [f.filename, f.status, f.previous_filename]),
        [['services/web/app.ts', 'modified', undefined], ['services/api/main.go', 'modified', undefined], ['libs/x.ts', 'renamed', 'services/web/x.ts']],
      );
      assert.deepEqual(fake.invalid(), []);
    });

    test('says behind, diverged or identical, and 404 for a commit it does not know', async () => {
      assert.deepEqual([(await compare(`${C}...${A}`)).json.status, (await compare(`${C}...${A}`)).json.behind_by], ['behind', 2]);
      const diverged = (await compare(`${D}...${C}`)).json;
      assert.deepEqual([diverged.status, diverged.ahead_by, diverged.behind_by, diverged.files.length], ['diverged', 2, 1, 3]);
      assert.deepEqual([(await compare(`${C}...${C}`)).json.status, (await compare(`${C}...${C}`)).json.files], ['identical', []]);
      assert.equal((await compare(`${OTHER_SHA}...${C}`)).status, 404);
      assert.equal((await compare(`${C}`)).status, 404, 'no `...`');
    });

    test('pages the commits and lists the files on the first page only, 300 at the most', async () => {
      let parent = C;
      for (let i = 0; i < 310; i++) {
        const sha = String(i).padStart(40, 'e');
        repo.setCommit(sha, { parents: [parent], files: [`f/${i}`] });
        parent = sha;
      }
      const first = await compare(`${C}...${parent}`, '?per_page=1');
      assert.deepEqual([first.json.commits.length, first.json.files.length, first.json.total_commits], [1, 300, 310]);
      assert.match(first.headers.get('link'), /rel="next"/);
      const second = await compare(`${C}...${parent}`, '?per_page=1&page=2');
      assert.equal(second.json.files, undefined);
      assert.equal((await compare(`${C}...${parent}`)).json.commits.length, 250, 'unpaged: the last 250');
      assert.deepEqual(fake.invalid(), []);
    });
  });
});
