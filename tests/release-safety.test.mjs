// Freeze windows and stuck deployments, end to end: the built action (its clock, the runner's tz
// database) against a fake GitHub API, with real webhook payloads. The exact times are the engine's
// tests' (crates/deliverybot-core/tests/release_safety.rs) and the plan's (cli.test.mjs), which choose "now".

import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ACTION_NODE, EXAMPLE_SHA as SHA, exampleRepo, runAction, webhookExample } from './support/action.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** `deliverybot plan --json ...` as a user runs it (dist/cli.mjs), offline. */
function plan(args) {
  const child = spawn(ACTION_NODE, [join(ROOT, 'dist/cli.mjs'), 'plan', '--json', ...args], { cwd: ROOT, env: { PATH: process.env.PATH, HOME: tmpdir() }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

function tempFile(name, content) {
  const dir = mkdtempSync(join(tmpdir(), 'deliverybot-safety-'));
  writeFileSync(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
  return join(dir, name);
}

// Two weekly windows that overlap (Mon → Thu, Wed → the next Mon 00:30): whenever the test runs,
// it is inside one of them, and the freeze goes on until a Thursday 00:00 or a Monday 00:30.
const ALWAYS_FROZEN = `
settings:
  freeze:
    - { from: "Mon 00:00", to: "Thu 00:00", timezone: Europe/Berlin }
    - { from: "Wed 00:00", to: "Mon 00:30", timezone: Europe/Berlin }
staging:
  auto_deploy_on: refs/heads/master
  environment: staging
`;

const pushToMaster = () => webhookExample('push', (p) => p.ref === 'refs/heads/master' && !p.deleted);

let fake;
let repo;
beforeEach(async () => {
  ({ fake, repo } = await exampleRepo());
});
afterEach(() => fake.close());

test('a push inside a freeze window waits, with the zone read from the runner', { skip: !existsSync('/usr/share/zoneinfo/Europe/Berlin') && 'no tzdata here' }, async () => {
  repo.setFile('master', '.github/deploy.yml', ALWAYS_FROZEN);
  const run = await runAction({ fake, eventName: 'push', payload: pushToMaster() });

  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.deepEqual(repo.deployments, []);
  const [waiting] = JSON.parse(run.outputs.waiting);
  assert.match(waiting.reason, /^frozen until (Thu 00:00|Mon 00:30) Europe\/Berlin$/);
  assert.deepEqual(
    fake.requests.map((r) => `${r.method} ${r.path}`),
    [
      'GET /repos/Codertocat/Hello-World/contents/.github/deploy.yml',
      'GET /repos/Codertocat/Hello-World/git/ref/heads/master',
      'GET /repos/Codertocat/Hello-World/deployments',
    ],
    'a frozen target reads no checks and no locks',
  );
  assert.match(run.summary, /\| staging \| .* \| frozen \| frozen until .* Europe\/Berlin \|/);
  assert.match(run.summary, /- staging: frozen \(.+ → .+ Europe\/Berlin\)/);
});

test('a zone the runner does not have fails the step, naming the zone and the window', async () => {
  repo.setFile('master', '.github/deploy.yml', ALWAYS_FROZEN);
  // An empty tz database: as on a runner image without tzdata.
  const run = await runAction({ fake, eventName: 'push', payload: pushToMaster(), env: { TZDIR: '/nonexistent' } });

  assert.equal(run.code, 1);
  assert.deepEqual(repo.deployments, []);
  assert.ok(
    run.stdout.includes('the freeze window at .github/deploy.yml:4:7 uses the time zone `Europe/Berlin`, which this machine does not know'),
    run.stdout,
  );
});

test('a deployment_status event marks a stuck deployment of Deliverybot error, and nobody else\'s', async () => {
  repo.setFile('master', '.github/deploy.yml', 'settings:\n  stuck_after: 30m\nproduction:\n  auto_deploy_on: refs/heads/master\n');
  const twoHoursAgo = new Date(Date.now() - 2 * 3600_000).toISOString().replace(/\.\d+Z$/, 'Z');
  const ours = repo.addDeployment({ ref: 'master', environment: 'production', payload: { target: 'production', deliverybot: { ref: 'refs/heads/master', event: 'push' } } });
  const theirs = repo.addDeployment({ ref: 'master', environment: 'production', payload: {} });
  for (const deployment of [ours, theirs]) {
    deployment.created_at = twoHoursAgo;
    repo.addDeploymentStatus(deployment.id, { state: 'in_progress' }).created_at = twoHoursAgo;
  }
  const payload = webhookExample('deployment_status');
  const run = await runAction({ fake, eventName: 'deployment_status', payload });

  assert.equal(run.code, 0, run.stdout + run.stderr);
  const marked = fake.writes();
  assert.equal(marked.length, 1, JSON.stringify(fake.requests.map((r) => `${r.method} ${r.path}`)));
  assert.equal(marked[0].path, `/repos/Codertocat/Hello-World/deployments/${ours.id}/statuses`);
  assert.equal(marked[0].body.state, 'error');
  assert.match(marked[0].body.description, /^Stuck: in_progress since .* UTC, longer than stuck_after \(30 minutes\); marked by Deliverybot$/);
  assert.equal(repo.deploymentStatuses.get(theirs.id).at(-1).state, 'in_progress', 'another tool\'s deployment is left alone');
  assert.match(run.summary, new RegExp(`Deployment ${ours.id} to production was stuck for more than 30 minutes: marked \`error\`.`));

  // The next event finds it finished: nothing is written twice.
  const before = fake.writes().length;
  const again = await runAction({ fake, eventName: 'deployment_status', payload });
  assert.equal(again.code, 0);
  assert.equal(fake.writes().length, before);
});

test('plan --now chooses the time: frozen on Saturday, deployed on Wednesday, with the next window', async () => {
  const config = tempFile('deploy.yml', 'settings:\n  freeze:\n    - { from: "Fri 18:00", to: "Mon 06:00", timezone: Europe/Berlin }\nstaging:\n  auto_deploy_on: refs/heads/master\n');
  const push = ['--config', config, '--event', 'push', '--ref', 'refs/heads/master', '--sha', SHA];

  const saturday = await plan([...push, '--now', '2026-12-05T12:00:00Z']);
  assert.equal(saturday.code, 0, saturday.stderr);
  const frozen = JSON.parse(saturday.stdout);
  assert.deepEqual(frozen.decisions.map((d) => `${d.target} ${d.decision}: ${d.reason}`), ['staging frozen: frozen until Mon 06:00 Europe/Berlin']);
  assert.ok(frozen.summary.includes('- staging: frozen (Fri 2026-12-04 18:00 → Mon 2026-12-07 06:00 Europe/Berlin)'), frozen.summary);

  const wednesday = JSON.parse((await plan([...push, '--now', '2026-12-09T12:00:00+01:00'])).stdout);
  assert.equal(wednesday.decisions[0].decision, 'would create');
  assert.ok(wednesday.summary.includes('- staging: next freeze Fri 2026-12-11 18:00 → Mon 2026-12-14 06:00 Europe/Berlin'), wednesday.summary);

  const bad = await plan([...push, '--now', 'tomorrow']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--now must be a time like 2026-12-06T14:20:00Z/);
});

test('plan of a schedule says which deployments it would mark stuck, from the facts, and writes nothing', async () => {
  const config = tempFile('deploy.yml', 'settings:\n  stuck_after: 1h\nproduction:\n  auto_deploy_on: refs/heads/master\n');
  const marker = { ref: 'refs/heads/master', event: 'push' };
  const facts = tempFile('facts.json', {
    sha: SHA,
    deployments: [
      { environment: 'production', sha: SHA, payload: { target: 'production', deliverybot: marker }, created_at: '2026-12-02T08:00:00Z', state: 'in_progress', status_at: '2026-12-02T09:00:00Z' },
      { environment: 'production', sha: SHA, payload: {}, created_at: '2026-12-02T08:00:00Z', state: 'queued' },
    ],
  });
  const schedule = tempFile('schedule.json', { schedule: '*/30 * * * *' });
  const run = await plan(['--config', config, '--event', 'schedule', '--payload', schedule, '--repo', 'Codertocat/Hello-World', '--facts', facts, '--now', '2026-12-02T12:00:00Z']);
  assert.equal(run.code, 0, run.stderr);
  const planned = JSON.parse(run.stdout);
  assert.ok(planned.summary.includes('- Deployment 1 to production is stuck for more than 1 hour: a run that is not a dry run marks it `error`.'), planned.summary);
  assert.ok(!planned.summary.includes('Deployment 2'), 'another tool\'s deployment is not Deliverybot\'s to mark');
  assert.ok(planned.requests.every((r) => r.method === 'GET'));
});
