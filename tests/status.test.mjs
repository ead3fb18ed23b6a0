// The status mode end to end: the deploy workflow reporting on a deployment, with the real
// `deployment` webhook payload, including the action's post step.

import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { runAction, webhookExample } from './support/action.mjs';
import { startFakeGitHub } from './support/fake-github.mjs';

let fake;
let repo;
let deployment;
let payload;

beforeEach(async () => {
  fake = await startFakeGitHub();
  payload = webhookExample('deployment');
  repo = fake.repo(payload.repository.full_name, { defaultBranch: payload.repository.default_branch });
  deployment = repo.addDeployment({ ref: payload.deployment.ref, sha: payload.deployment.sha, environment: payload.deployment.environment });
  // The real payload, pointing at the deployment the fake knows.
  payload.deployment.id = deployment.id;
});
afterEach(() => fake.close());

const statuses = () => repo.deploymentStatuses.get(deployment.id).map((s) => s.state);
const RUN_URL = 'https://github.com/Codertocat/Hello-World/actions/runs/1658821493';

for (const state of ['pending', 'queued', 'in_progress', 'success', 'failure', 'error', 'inactive']) {
  test(`state: ${state} is set on the event's deployment`, async () => {
    const run = await runAction({ fake, eventName: 'deployment', payload, inputs: { state } });

    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.deepEqual(fake.invalid(), []);
    assert.equal(fake.requests.length, 1, 'one write, no reads');
    assert.deepEqual(statuses(), [state]);
    const [status] = repo.deploymentStatuses.get(deployment.id);
    assert.equal(status.log_url, RUN_URL);
    assert.deepEqual(run.outputs, { 'deployment-id': String(deployment.id), 'status-id': String(status.id), state });
    assert.deepEqual(run.state, {}, 'nothing is left for the post step');
  });
}

test('the original three-step template: pending, then success (the failure step is skipped)', async () => {
  const template = { token: 'test-token' };
  const pending = await runAction({ fake, eventName: 'deployment', payload, inputs: { ...template, state: 'pending' } });
  // ./deploy.sh runs here.
  const success = await runAction({ fake, eventName: 'deployment', payload, inputs: { ...template, state: 'success' } });

  assert.equal(pending.code + success.code, 0);
  assert.deepEqual(statuses(), ['pending', 'success']);
  assert.deepEqual(fake.invalid(), []);
  assert.match(success.summary, /Deployment \d+ to \[production\]\(https:\/\/github.com\/Codertocat\/Hello-World\/deployments\/production\): \*\*success\*\*/);
});

test('the original three-step template when the deploy fails: pending, then failure', async () => {
  await runAction({ fake, eventName: 'deployment', payload, inputs: { state: 'pending' } });
  const failure = await runAction({ fake, eventName: 'deployment', payload, inputs: { state: 'failure' } });

  assert.equal(failure.code, 0);
  assert.deepEqual(statuses(), ['pending', 'failure']);
});

test('state: cancelled (a job.status value) is reported as error, with a reason', async () => {
  const run = await runAction({ fake, eventName: 'deployment', payload, inputs: { state: 'cancelled' } });

  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.deepEqual(statuses(), ['error']);
  assert.equal(repo.deploymentStatuses.get(deployment.id)[0].description, 'The deploy job was cancelled.');
  assert.equal(run.outputs.state, 'error');
});

for (const [jobStatus, final] of [['success', 'success'], ['failure', 'failure'], ['cancelled', 'error']]) {
  test(`state: auto covers the job: in_progress, then ${final} from the post step when the job ends with ${jobStatus}`, async () => {
    const main = await runAction({ fake, eventName: 'deployment', payload, inputs: { state: 'auto' } });
    assert.equal(main.code, 0, main.stdout + main.stderr);
    assert.deepEqual(statuses(), ['in_progress']);
    assert.deepEqual(main.state, { 'finish-deployment-id': String(deployment.id) });

    const post = await runAction({ fake, eventName: 'deployment', payload, inputs: { state: 'auto' }, phase: 'post', state: main.state, jobStatus });
    assert.equal(post.code, 0, post.stdout + post.stderr);
    assert.deepEqual(statuses(), ['in_progress', final]);
    assert.deepEqual(fake.invalid(), []);
  });
}

test('on a deployment event, no state means auto', async () => {
  const main = await runAction({ fake, eventName: 'deployment', payload });
  const post = await runAction({ fake, eventName: 'deployment', payload, phase: 'post', state: main.state, jobStatus: 'failure' });

  assert.equal(main.code + post.code, 0);
  assert.deepEqual(statuses(), ['in_progress', 'failure']);
});

test('the post step of a step that saved nothing does nothing', async () => {
  const post = await runAction({ fake, eventName: 'deployment', payload, inputs: { state: 'success' }, phase: 'post' });

  assert.equal(post.code, 0, post.stdout + post.stderr);
  assert.deepEqual(fake.requests, []);
  assert.equal(post.summary, '');
});

test('the post step finishes only the deployment its main step derived, whatever the saved state names', async () => {
  // Saved state is text the runner read back from the main step's output: outside text could forge
  // a `::save-state` naming another deployment. The post step derives it again from the event and inputs.
  const other = repo.addDeployment({ ref: 'master', sha: payload.deployment.sha, environment: 'production' });
  const main = await runAction({ fake, eventName: 'deployment', payload, inputs: { state: 'auto' } });
  assert.deepEqual(main.state, { 'finish-deployment-id': String(deployment.id) });
  const push = webhookExample('push', (p) => p.ref === 'refs/heads/master' && !p.deleted);
  const forged = { 'finish-deployment-id': String(other.id) };

  for (const run of [
    { eventName: 'deployment', payload, inputs: { state: 'auto' } },
    { eventName: 'deployment', payload, inputs: { state: 'success' } },
    { eventName: 'push', payload: push, inputs: {} },
  ]) {
    const post = await runAction({ fake, ...run, phase: 'post', state: forged, jobStatus: 'success' });
    assert.equal(post.code, 0, post.stdout + post.stderr);
    assert.match(post.stdout, /::warning::The post step was asked to finish a deployment that its main step did not start/);
    assert.equal(post.summary, '');
  }
  assert.equal(repo.deploymentStatuses.get(other.id)?.length ?? 0, 0, 'the named deployment is left alone');
  assert.deepEqual(statuses(), ['in_progress'], "and so is the job's own");
  assert.deepEqual(fake.writes().length, 1);
});

test('when in_progress cannot be written, the post step still reports the end', async () => {
  fake.fail({ method: 'POST', path: `/repos/Codertocat/Hello-World/deployments/${deployment.id}/statuses`, status: 422, body: { message: 'Validation Failed' } });
  const main = await runAction({ fake, eventName: 'deployment', payload, inputs: { state: 'auto' } });
  assert.equal(main.code, 1);
  assert.deepEqual(main.state, { 'finish-deployment-id': String(deployment.id) });

  const post = await runAction({ fake, eventName: 'deployment', payload, inputs: { state: 'auto' }, phase: 'post', state: main.state, jobStatus: 'failure' });
  assert.equal(post.code, 0, post.stdout + post.stderr);
  assert.deepEqual(statuses(), ['failure']);
});

test('deployment-id reports on a deployment from any event', async () => {
  const push = webhookExample('push', (p) => p.ref === 'refs/heads/master' && !p.deleted);
  const run = await runAction({ fake, eventName: 'push', payload: push, inputs: { state: 'success', 'deployment-id': String(deployment.id) } });

  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.deepEqual(statuses(), ['success']);
  assert.equal(run.outputs['deployment-id'], String(deployment.id));
});

test('without a deployment id on a non-deployment event the step fails and says what to pass', async () => {
  const push = webhookExample('push', (p) => p.ref === 'refs/heads/master' && !p.deleted);
  const run = await runAction({ fake, eventName: 'push', payload: push, inputs: { state: 'success' } });

  assert.equal(run.code, 1);
  assert.deepEqual(fake.requests, []);
  const error = run.commands.find((c) => c.command === 'error');
  assert.match(error.message, /no deployment to report on: this is a `push` event, not `deployment`\. Pass `deployment-id`/);
});

test('an unknown deployment id fails with the reason', async () => {
  const run = await runAction({ fake, eventName: 'deployment', payload, inputs: { state: 'success', 'deployment-id': '999999' } });

  assert.equal(run.code, 1);
  assert.ok(run.commands.some((c) => c.command === 'error' && c.message.includes('deployment 999999 was not found in Codertocat/Hello-World')), run.stdout);
});

test('a long description is cut to 140 characters, never an API error', async () => {
  const description = 'Deployed '.repeat(40);
  const run = await runAction({ fake, eventName: 'deployment', payload, inputs: { state: 'success', description } });

  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.deepEqual(fake.invalid(), []);
  const sent = repo.deploymentStatuses.get(deployment.id)[0].description;
  assert.equal([...sent].length, 140);
  assert.ok(description.startsWith(sent.slice(0, -1)));
  assert.ok(run.commands.some((c) => c.command === 'warning' && c.message.includes("longer than GitHub's 140 characters")));
});

test('every optional input reaches GitHub', async () => {
  const inputs = {
    state: 'success',
    'log-url': 'https://ci.example.com/logs/7',
    'environment-url': 'https://hello-world.example.com',
    environment: 'production-eu',
    'auto-inactive': 'false',
  };
  const run = await runAction({ fake, eventName: 'deployment', payload, inputs });

  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.deepEqual(fake.invalid(), []);
  const body = fake.writes()[0].body;
  assert.deepEqual(body, {
    state: 'success',
    log_url: 'https://ci.example.com/logs/7',
    environment_url: 'https://hello-world.example.com',
    environment: 'production-eu',
    auto_inactive: false,
  });
});

test('links follow GITHUB_SERVER_URL (GitHub Enterprise Server)', async () => {
  const run = await runAction({
    fake,
    eventName: 'deployment',
    payload,
    inputs: { state: 'success' },
    env: { GITHUB_SERVER_URL: 'https://ghe.example.com/' },
  });

  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.equal(repo.deploymentStatuses.get(deployment.id)[0].log_url, 'https://ghe.example.com/Codertocat/Hello-World/actions/runs/1658821493');
  assert.match(run.summary, /\(https:\/\/ghe\.example\.com\/Codertocat\/Hello-World\/deployments\/production\)/);
  assert.doesNotMatch(run.stdout + run.summary, /https:\/\/github\.com/);
});

test('a transient failure is retried and the status still lands once', async () => {
  fake.fail({ method: 'POST', path: `/repos/Codertocat/Hello-World/deployments/${deployment.id}/statuses`, status: 502, times: 1 });
  const run = await runAction({ fake, eventName: 'deployment', payload, inputs: { state: 'success' } });

  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.deepEqual(statuses(), ['success']);
});
