// Promotion pipelines (`after`, `soak`) and one deploy at a time (`serialize`) end to end: the built
// action against the fake GitHub API, on the real `deployment_status` and `push` examples.

import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ACTION_NODE, EXAMPLE_SHA as MASTER, exampleRepo, runAction, webhookExample } from './support/action.mjs';

const CHAIN = `
staging:
  auto_deploy_on: refs/heads/master
  environment: staging
production:
  auto_deploy_on: refs/heads/master
  environment: production
  after: staging
`;

let fake;
let repo;
beforeEach(async () => {
  ({ fake, repo } = await exampleRepo());
});
afterEach(() => fake.close());

/** A deployment Deliverybot made of master's tip to `environment`, with its latest status `state`. */
function deployed(environment, state) {
  const deployment = repo.addDeployment({ sha: MASTER, ref: MASTER, environment, payload: { target: environment, deliverybot: { ref: 'refs/heads/master' } } });
  if (state) repo.addDeploymentStatus(deployment.id, { state });
  return deployment;
}

/** The real `deployment_status` example (a success), about `deployment` and its new `state`. */
function statusEvent(deployment, state) {
  const payload = webhookExample('deployment_status', (p) => p.deployment_status.state === 'success');
  payload.deployment = repo.deployment(deployment.id);
  payload.deployment_status = { ...payload.deployment_status, state, environment: deployment.environment };
  return payload;
}

const created = (environment) => repo.deployments.filter((d) => d.environment === environment);

test('the success of a commit on staging promotes it to production', async () => {
  repo.setFile('master', '.github/deploy.yml', CHAIN);
  const staging = deployed('staging', 'success');
  const run = await runAction({ fake, eventName: 'deployment_status', payload: statusEvent(staging, 'success') });

  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.deepEqual(fake.invalid(), []);
  assert.deepEqual(created('production').map((d) => d.sha), [MASTER]);
  assert.match(run.summary, /```mermaid\nflowchart LR\n {2}t0\["staging<br\/>runs 6113728"\]\n {2}t1\["production<br\/>deploying now"\]\n {2}t0 --> t1\n```/);
  // The config, master's tip, the two environments, staging's status, then the usual: existing, locks, create.
  assert.equal(fake.requests.length, 8, fake.requests.map((r) => `${r.method} ${r.path}`).join('\n'));
});

test('with soak, production waits until the success is that old', async () => {
  repo.setFile('master', '.github/deploy.yml', `${CHAIN}  soak: 30m\n`);
  const staging = deployed('staging', 'success');
  const run = await runAction({ fake, eventName: 'deployment_status', payload: statusEvent(staging, 'success') });

  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.deepEqual(created('production'), []);
  const [waiting] = JSON.parse(run.outputs.waiting);
  assert.equal(waiting.target, 'production');
  assert.match(waiting.reason, /^after staging: 6113728 soaking until (\d{4}-\d{2}-\d{2} )?\d{2}:\d{2} UTC$/);
  assert.match(run.summary, /t1\["production<br\/>6113728 soaking until/);
});

test('a push waits while production has a deployment in progress, and its end deploys master', async () => {
  repo.setFile('master', '.github/deploy.yml', 'production:\n  auto_deploy_on: refs/heads/master\n  serialize: true\n');
  const running = repo.addDeployment({ sha: '1111111111111111111111111111111111111111', environment: 'production' });
  repo.addDeploymentStatus(running.id, { state: 'in_progress' });
  const push = webhookExample('push', (p) => p.ref === 'refs/heads/master' && !p.deleted);
  const waiting = await runAction({ fake, eventName: 'push', payload: push });

  assert.equal(waiting.code, 0, waiting.stdout + waiting.stderr);
  assert.deepEqual(JSON.parse(waiting.outputs.waiting).map((w) => w.reason), [`waiting for deployment ${running.id} to finish`]);
  assert.equal(created('production').length, 1);

  repo.addDeploymentStatus(running.id, { state: 'failure' });
  const ended = await runAction({ fake, eventName: 'deployment_status', payload: statusEvent(running, 'failure') });
  assert.equal(ended.code, 0, ended.stdout + ended.stderr);
  assert.deepEqual(fake.invalid(), []);
  assert.deepEqual(created('production').map((d) => d.sha), ['1111111111111111111111111111111111111111', MASTER]);
});

test('a deployment status that does not end its deployment makes no request', async () => {
  repo.setFile('master', '.github/deploy.yml', CHAIN);
  const payload = webhookExample('deployment_status', (p) => p.deployment_status.state === 'in_progress');
  const run = await runAction({ fake, eventName: 'deployment_status', payload });

  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.equal(fake.requests.length, 0);
  assert.match(run.summary, /Deployment 145988746 is `in_progress`: nothing to do until it ends\./);
});

test('deliverybot plan says what a target waits for, at the time --now chooses', () => {
  const dir = mkdtempSync(join(tmpdir(), 'deliverybot-pipeline-'));
  const file = (name, text) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  const config = file('deploy.yml', `${CHAIN}  soak: 30m\n  serialize: true\n`);
  const push = file('push.json', JSON.stringify(webhookExample('push', (p) => p.ref === 'refs/heads/master' && !p.deleted)));
  const OLDER = '1111111111111111111111111111111111111111';
  const plan = (...args) => {
    const cli = fileURLToPath(new URL('../dist/cli.mjs', import.meta.url));
    const out = execFileSync(ACTION_NODE, [cli, 'plan', '--json', '--config', config, '--event', 'push', '--payload', push, ...args], { env: { PATH: process.env.PATH, HOME: dir } });
    return JSON.parse(out).decisions.find((d) => d.target === 'production');
  };
  // Offline, nothing deployed: production waits for staging.
  assert.equal(plan().reason, 'after staging: 6113728 not yet deployed there');
  // From flags: staging ran an older commit, successfully (at the facts' default time, long ago): it deploys.
  const older = plan('--deployed', `staging@${OLDER}=success`);
  assert.deepEqual([older.decision, older.sha], ['would create', OLDER]);
  const facts = file('facts.json', JSON.stringify({
    deployments: [{ environment: 'staging', sha: MASTER, state: 'success', created_at: '2026-12-06T13:40:00Z', status_at: '2026-12-06T13:50:00Z' }],
  }));
  const soaking = plan('--facts', facts, '--now', '2026-12-06T14:00:00Z');
  assert.deepEqual([soaking.decision, soaking.reason, soaking.environment], ['soaking', 'after staging: 6113728 soaking until 14:20 UTC', 'production']);
  assert.equal(plan('--facts', facts, '--now', '2026-12-06T15:20:00+01:00').decision, 'would create');
  // One at a time: a production deployment in progress holds it.
  const busy = file('busy.json', JSON.stringify({
    deployments: [
      { environment: 'production', sha: OLDER, state: 'in_progress' },
      { environment: 'staging', sha: MASTER, state: 'success', created_at: '2026-12-06T13:00:00Z' },
    ],
  }));
  assert.equal(plan('--facts', busy, '--now', '2026-12-06T14:00:00Z').reason, 'waiting for deployment 1 to finish');
  assert.throws(() => plan('--now', 'tomorrow'), (err) => err.status === 2 && /--now must be a time like 2026-12-06T14:20:00Z/.test(err.stderr));
});
