// Faults from GitHub and bad or hostile input, end to end: the fake API fails requests on purpose
// (status, headers, a lost answer after the write, a delay), and the action must keep its
// promises: never two deployments for one decision, nothing half-done, no leaked token, and a
// clear message.

import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXAMPLE_SHA as SHA, exampleRepo, installedAction, runAction, webhookExample } from './support/action.mjs';
import { startFakeGitHub } from './support/fake-github.mjs';
import { startProxy } from './support/proxy.mjs';
import { Octokit } from '@octokit/core';
import { retry } from '@octokit/plugin-retry';
import { run as runLibrary } from '../dist/lib.mjs';

const DEPLOYMENTS = '/repos/Codertocat/Hello-World/deployments';
const CONFIG_PATH = '/repos/Codertocat/Hello-World/contents/.github/deploy.yml';
const push = () => webhookExample('push', (p) => p.ref === 'refs/heads/master' && !p.deleted);

let fake;
let repo;
beforeEach(async () => {
  ({ fake, repo } = await exampleRepo());
  repo.setFile('master', '.github/deploy.yml', 'staging:\n  auto_deploy_on: refs/heads/master\n  environment: staging\n');
});
afterEach(() => fake.close());

const errors = (run) => run.commands.filter((c) => c.command === 'error').map((c) => c.message);

test('502 twice on a read: retried, then it works', async () => {
  fake.fail({ method: 'GET', path: CONFIG_PATH, status: 502, times: 2 });
  const run = await runAction({ fake, eventName: 'push', payload: push() });

  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.equal(repo.deployments.length, 1);
  assert.equal(fake.requests.filter((r) => r.path === CONFIG_PATH).length, 3);
});

test('502 twice on the create: looked up before each retry, one deployment in the end', async () => {
  fake.fail({ method: 'POST', path: DEPLOYMENTS, status: 502, times: 2 });
  const run = await runAction({ fake, eventName: 'push', payload: push() });

  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.equal(repo.deployments.length, 1);
  assert.deepEqual(
    fake.requests.filter((r) => r.path === DEPLOYMENTS).map((r) => `${r.method} ${r.status}`),
    ['GET 200', 'POST 502', 'GET 200', 'POST 502', 'GET 200', 'POST 201'],
  );
});

test('the library with an Octokit that retries: a create goes out once per engine attempt, reads are retried', async () => {
  fake.fail({ method: 'POST', path: DEPLOYMENTS, status: 502, times: 1000 });
  fake.fail({ method: 'GET', path: CONFIG_PATH, status: 502, times: 1 });
  const RetryingOctokit = Octokit.plugin(retry);
  const octokit = new RetryingOctokit({ auth: 'test-token', baseUrl: fake.url, retry: { retryAfterBaseValue: 1 } });
  const result = await runLibrary({ eventName: 'push', payload: push(), executor: octokit });

  assert.equal(repo.deployments.length, 0);
  assert.match(result.failure, /GitHub did not create the deployment after 3 tries/);
  // Octokit's retry of a read is fine (the config, asked for twice); a create is the engine's alone.
  assert.equal(fake.requests.filter((r) => r.path === CONFIG_PATH).length, 2);
  assert.deepEqual(
    fake.requests.filter((r) => r.path === DEPLOYMENTS).map((r) => `${r.method} ${r.status}`),
    ['GET 200', 'POST 502', 'GET 200', 'POST 502', 'GET 200', 'POST 502', 'GET 200'],
  );
});

test('a create whose answer is lost after GitHub made it: found, reported, never made twice', async () => {
  fake.fail({ method: 'POST', path: DEPLOYMENTS, mode: 'after-write' });
  const run = await runAction({ fake, eventName: 'push', payload: push() });

  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.equal(repo.deployments.length, 1, 'exactly one deployment');
  assert.equal(JSON.parse(run.outputs.deployments)[0].id, repo.deployments[0].id);
  assert.ok(run.lines.includes(`staging: the deployment was created after all (deployment ${repo.deployments[0].id}).`), run.stdout);
});

test('a secondary rate limit on the create: waits as asked, then creates once', async () => {
  fake.fail({ method: 'POST', path: DEPLOYMENTS, status: 403, headers: { 'retry-after': '1' }, body: { message: 'You have exceeded a secondary rate limit.' } });
  const started = Date.now();
  const run = await runAction({ fake, eventName: 'push', payload: push() });

  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.equal(repo.deployments.length, 1);
  assert.ok(Date.now() - started >= 1000, 'waited for retry-after');
});

test('a secondary rate limit without retry-after: a minute\'s wait, said in the log, and never past the run\'s limit', async () => {
  // The client waits a minute (its own tests check that, without waiting); here the run's limit is
  // shorter, so the step says why it did not wait, and the engine reports GitHub's refusal.
  fake.fail({ method: 'POST', path: DEPLOYMENTS, status: 403, body: { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' } });
  const run = await runAction({ fake, eventName: 'push', payload: push(), env: { DELIVERYBOT_RUN_TIMEOUT: '30' } });

  assert.equal(run.code, 1, run.stdout + run.stderr);
  assert.equal(repo.deployments.length, 0);
  assert.equal(fake.requests.filter((r) => r.method === 'POST').length, 1);
  const warnings = run.commands.filter((c) => c.command === 'warning').map((c) => c.message);
  assert.ok(warnings.includes(`POST ${DEPLOYMENTS} is not tried again (GitHub's secondary rate limit, which asks to wait at least a minute): waiting 60 s would pass the run's time limit of 30 s (DELIVERYBOT_RUN_TIMEOUT).`), run.stdout);
  assert.ok(errors(run).some((m) => m.includes('secondary rate limit')), run.stdout);
});

test('a retry-after given as an HTTP date is waited for too', async () => {
  const when = new Date(Date.now() + 1500).toUTCString();
  fake.fail({ method: 'GET', path: CONFIG_PATH, status: 429, headers: { 'retry-after': when }, body: { message: 'slow down' } });
  const run = await runAction({ fake, eventName: 'push', payload: push() });

  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.equal(repo.deployments.length, 1);
  assert.equal(fake.requests.filter((r) => r.path === CONFIG_PATH).length, 2);
});

test('a primary rate limit that lifts too late fails with the time it lifts', async () => {
  const reset = Math.floor(Date.now() / 1000) + 3600;
  fake.fail({
    method: 'GET',
    path: CONFIG_PATH,
    status: 403,
    headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) },
    body: { message: 'API rate limit exceeded for installation ID 1.' },
  });
  const run = await runAction({ fake, eventName: 'push', payload: push() });

  assert.equal(run.code, 1);
  assert.deepEqual(fake.writes(), []);
  const lifts = new Date(reset * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
  assert.ok(errors(run).some((m) => m.includes(`API rate limit exceeded for installation ID 1 (the rate limit resets at ${lifts})`)), run.stdout);
});

test('401: the token is refused, and the message says to check it', async () => {
  const run = await runAction({ fake, eventName: 'push', payload: push(), token: 'expired-token' });

  assert.equal(run.code, 1);
  assert.ok(errors(run).some((m) => m.includes('GitHub answered 401: Bad credentials. The token was refused: check the `token` input')), run.stdout);
});

test('403 on the create: the missing workflow permission is named', async () => {
  fake.fail({ method: 'POST', path: DEPLOYMENTS, status: 403, body: { message: 'Resource not accessible by integration' } });
  const run = await runAction({ fake, eventName: 'push', payload: push() });

  assert.equal(run.code, 1);
  assert.equal(repo.deployments.length, 0);
  assert.ok(errors(run).some((m) => m.includes('give the workflow `permissions: deployments: write`')), run.stdout);
});

test('a read that times out is tried again (DELIVERYBOT_REQUEST_TIMEOUT)', async () => {
  fake.fail({ method: 'GET', path: CONFIG_PATH, mode: 'delay', delayMs: 2500 });
  const run = await runAction({ fake, eventName: 'push', payload: push(), env: { DELIVERYBOT_REQUEST_TIMEOUT: '1' } });

  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.equal(repo.deployments.length, 1);
});

test('an answer that trickles in is cut at DELIVERYBOT_REQUEST_TIMEOUT, however it keeps coming, and tried again', { timeout: 20_000 }, async () => {
  fake.fail({ method: 'GET', path: CONFIG_PATH, mode: 'trickle', delayMs: 100 });
  const started = Date.now();
  const run = await runAction({ fake, eventName: 'push', payload: push(), env: { DELIVERYBOT_REQUEST_TIMEOUT: '1' } });

  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.equal(repo.deployments.length, 1);
  assert.equal(fake.requests.filter((r) => r.path === CONFIG_PATH).length, 2);
  assert.ok(Date.now() - started >= 1000);
});

test('DELIVERYBOT_RUN_TIMEOUT bounds the whole run: past it nothing is sent, and the step says why', { timeout: 20_000 }, async () => {
  fake.fail({ method: 'GET', path: CONFIG_PATH, mode: 'trickle', delayMs: 100, times: 100 });
  const started = Date.now();
  const run = await runAction({ fake, eventName: 'push', payload: push(), env: { DELIVERYBOT_REQUEST_TIMEOUT: '1', DELIVERYBOT_RUN_TIMEOUT: '2' } });
  const took = Date.now() - started;

  assert.equal(run.code, 1, run.stdout + run.stderr);
  assert.deepEqual(fake.writes(), []);
  assert.ok(took < 5000, `took ${took} ms`);
  assert.ok(errors(run).some((m) => m.includes("ETIMEDOUT (the run's time limit of 2 s (DELIVERYBOT_RUN_TIMEOUT) was reached)")), run.stdout);
});

test('behind a proxy (HTTP_PROXY, NO_PROXY): every request goes through it, unless NO_PROXY names the host', async () => {
  // The API is given a name that does not resolve: only the proxy knows where it is.
  const port = new URL(fake.url).port;
  const proxy = await startProxy({ hosts: { 'github.test': '127.0.0.1' } });
  try {
    const env = { GITHUB_API_URL: `http://github.test:${port}`, HTTP_PROXY: proxy.url, NO_PROXY: 'example.com,github.test:1' };
    const run = await runAction({ fake, eventName: 'push', payload: push(), env });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.equal(repo.deployments.length, 1);
    // Each request the API got came through the proxy, asked in full.
    const through = proxy.passed.map(({ method, target }) => `${method} ${new URL(target).origin}${new URL(target).pathname}`);
    assert.deepEqual(through, fake.requests.map(({ method, path }) => `${method} http://github.test:${port}${path}`));
    assert.ok(through.includes(`POST http://github.test:${port}${DEPLOYMENTS}`));

    const around = await runAction({ fake, eventName: 'push', payload: push(), env: { ...env, NO_PROXY: `github.test:${port}` } });
    assert.equal(around.code, 1);
    assert.equal(proxy.passed.length, fake.requests.length, 'nothing more through the proxy');
    assert.ok(errors(around).some((m) => /: (ENOTFOUND|EAI_AGAIN)$/.test(m)), around.stdout);
  } finally {
    await proxy.close();
  }
});

test('a connection reset on every try of the config read fails clearly, creating nothing', async () => {
  fake.fail({ method: 'GET', path: CONFIG_PATH, mode: 'reset', times: 4 });
  const run = await runAction({ fake, eventName: 'push', payload: push() });

  assert.equal(run.code, 1);
  assert.deepEqual(fake.writes(), []);
  assert.ok(errors(run).some((m) => m.startsWith('Could not read .github/deploy.yml from master: GET /repos/Codertocat/Hello-World/contents/.github/deploy.yml: ECONNRESET')), run.stdout);
});

test('a malformed event payload file: a clear error, nothing requested', async () => {
  const run = await runAction({ fake, eventName: 'push', payload: '{"ref": "refs/heads/master", "after": ' });

  assert.equal(run.code, 1);
  assert.deepEqual(fake.requests, []);
  assert.ok(errors(run).some((m) => m.startsWith('the `push` event payload cannot be read: EOF while parsing')), run.stdout);
});

test('an event file that is not UTF-8 is read with replacement characters, and the run goes on', async () => {
  // A commit message written in Latin-1 ("caf\xe9"): the runner writes the file as it got it.
  const event = push();
  const [before, after] = JSON.stringify({ ...event, head_commit: { ...event.head_commit, message: 'caf@' } }).split('caf@');
  const payload = Buffer.concat([Buffer.from(before + 'caf'), Buffer.from([0xe9]), Buffer.from(after)]);
  const run = await runAction({ fake, eventName: 'push', payload });

  assert.equal(run.code, 0, run.stdout);
  assert.equal(repo.deployments.length, 1);
});

test('a missing runner variable is named', async () => {
  const run = await runAction({ fake, eventName: 'push', payload: push(), env: { GITHUB_REPOSITORY: '' } });

  assert.equal(run.code, 1);
  assert.deepEqual(fake.requests, []);
  assert.ok(errors(run).some((m) => m.includes('GITHUB_REPOSITORY is not set')), run.stdout);
});

test('the token appears nowhere but in the mask command, even with RUNNER_DEBUG=1 and a failure', async () => {
  const token = 'ghs_S3cr3tT0k3nV4lu3';
  const own = await startFakeGitHub({ token });
  const ownRepo = own.repo('Codertocat/Hello-World', { defaultBranch: 'master' });
  ownRepo.setRef('heads/master', SHA);
  ownRepo.setFile('master', '.github/deploy.yml', 'staging:\n  auto_deploy_on: refs/heads/master\n');
  own.fail({ method: 'POST', path: DEPLOYMENTS, status: 422, body: { message: 'Validation Failed' } });
  const run = await runAction({ fake: own, eventName: 'push', payload: push(), token, env: { RUNNER_DEBUG: '1' } });
  await own.close();
  assert.equal(run.code, 1, 'the create failed, and said so');

  const everything = [run.stdout, run.stderr, run.summary, JSON.stringify(run.outputs), JSON.stringify(run.state)].join('\n');
  assert.equal(everything.split(token).length - 1, 1, 'once: in ::add-mask::');
  assert.ok(run.lines[0] === `::add-mask::${token}`);
});

test('hostile text from the event is data: no workflow command is injected, nothing is expanded', async () => {
  repo.setFile(
    'master',
    '.github/deploy.yml',
    'review:\n  auto_deploy_on: pr\n  environment: pr${{ pr }}\n  description: ${{ pull_request.title }}\n  payload:\n    title: ${{ pull_request.title }}\n',
  );
  const payload = webhookExample('pull_request', (p) => p.action === 'opened');
  payload.pull_request.title = '::error::pwned\n::add-mask::x\n${{ sha }} "}]} <script>';
  repo.setPull(2, { title: payload.pull_request.title, head: { ref: 'changes', sha: payload.pull_request.head.sha } });
  const run = await runAction({ fake, eventName: 'pull_request', payload });

  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.deepEqual(fake.invalid(), []);
  const [deployment] = repo.deployments;
  assert.equal(deployment.payload.title, payload.pull_request.title, 'kept as data, JSON intact, not expanded');
  // Every workflow command printed is one the action meant to print.
  for (const command of run.commands) assert.ok(['add-mask', 'debug', 'notice', 'warning', 'error'].includes(command.command), JSON.stringify(command));
  assert.equal(run.commands.filter((c) => c.command === 'add-mask').length, 1);
  assert.doesNotMatch(run.summary, /<script>/);
});

test('a pattern that selects pull requests\' refs is refused before a schedule lists any ref: forks deploy only through `pr`', async () => {
  repo.setFile('master', '.github/deploy.yml', 'previews:\n  auto_deploy_on: refs/pull/*\n  environment: preview\n');
  const run = await runAction({ fake, eventName: 'schedule', payload: { schedule: '*/15 * * * *' } });

  assert.equal(run.code, 1);
  assert.deepEqual(fake.writes(), []);
  assert.deepEqual(fake.requests.map((r) => r.operationId), ['repos/get-content']);
  const annotation = run.commands.find((c) => c.command === 'error' && c.properties.file);
  assert.deepEqual(annotation.properties, { file: '.github/deploy.yml', line: '2', col: '19' });
  assert.match(annotation.message, /`auto_deploy_on: refs\/pull\/\*` would select pull requests' refs .*; use `auto_deploy_on: pr`, which follows `allow_forks` and `allow_drafts`$/);
});

test('a push payload of 20 MB (thousands of commits) is handled', async () => {
  const payload = push();
  const commit = payload.commits[0] ?? { id: SHA, message: 'x', author: { name: 'a' } };
  payload.commits = Array.from({ length: 20000 }, (_, i) => ({ ...commit, message: `${'m'.repeat(900)} ${i}` }));
  const text = JSON.stringify(payload);
  assert.ok(text.length > 20_000_000);
  const run = await runAction({ fake, eventName: 'push', payload: text });

  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.equal(repo.deployments.length, 1);
});

test('a damaged engine file: the step fails saying so, before any request', async () => {
  // The action starts compiling the engine before it reads its inputs: a failure to compile must
  // come out as the step's error, and a mistake found before the engine is needed must still be the
  // one reported, not lost to the compile's failure.
  const action = mkdtempSync(join(tmpdir(), 'deliverybot-damaged-'));
  cpSync(installedAction(), action, { recursive: true });
  writeFileSync(join(action, 'dist/deliverybot.wasm'), 'not WebAssembly');

  const run = await runAction({ fake, eventName: 'push', payload: push(), action });
  assert.equal(run.code, 1, run.stdout + run.stderr);
  assert.equal(errors(run).length, 1, run.stdout);
  assert.match(errors(run)[0], /^Deliverybot stopped: WebAssembly\.compile\(\): /);
  assert.equal(run.stderr, '');
  assert.equal(fake.requests.length, 0);

  const noToken = await runAction({ fake, eventName: 'push', payload: push(), action, token: '' });
  assert.equal(noToken.code, 1, noToken.stdout + noToken.stderr);
  assert.deepEqual(errors(noToken), ['Deliverybot stopped: input `token` is empty: pass a token, for example `token: ${{ github.token }}`']);
  assert.equal(noToken.stderr, '');
});
