// A push, end to end: the built action against a fake GitHub API, with real webhook payloads.

import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { EXAMPLE_SHA as SHA, exampleRepo, runAction, webhookExample } from './support/action.mjs';

const CONFIG = `
staging:
  auto_deploy_on: refs/heads/master
  environment: staging
production:
  auto_deploy_on: refs/tags/v*
  required_contexts: []
`;

// The real example: a push of 6113728 to Codertocat/Hello-World's master (its default branch).
const pushToMaster = () => webhookExample('push', (p) => p.ref === 'refs/heads/master' && !p.deleted);

let fake;
let repo;
beforeEach(async () => {
  ({ fake, repo } = await exampleRepo());
});
afterEach(() => fake.close());

test('a push to master creates exactly one deployment of the pushed commit', async () => {
  repo.setFile('master', '.github/deploy.yml', CONFIG);
  const run = await runAction({ fake, eventName: 'push', payload: pushToMaster() });

  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.deepEqual(fake.invalid(), []);
  assert.deepEqual(
    fake.requests.map((r) => `${r.method} ${r.path}`),
    [
      'GET /repos/Codertocat/Hello-World/contents/.github/deploy.yml',
      'GET /repos/Codertocat/Hello-World/git/ref/heads/master',
      'GET /repos/Codertocat/Hello-World/deployments',
      'GET /repos/Codertocat/Hello-World/git/matching-refs/deliverybot/locks/',
      'POST /repos/Codertocat/Hello-World/deployments',
    ],
  );
  assert.equal(fake.requests[0].query.ref, 'master');

  assert.equal(repo.deployments.length, 1);
  const [deployment] = repo.deployments;
  assert.equal(deployment.sha, SHA);
  assert.equal(deployment.ref, SHA, 'the exact commit, never a branch name that may have moved on');
  assert.equal(deployment.environment, 'staging');
  assert.equal(deployment.task, 'deploy');
  assert.deepEqual(deployment.payload, {
    target: 'staging',
    deliverybot: { ref: 'refs/heads/master', event: 'push', run_url: 'https://github.com/Codertocat/Hello-World/actions/runs/1658821493' },
  });
  const body = fake.writes()[0].body;
  assert.equal(body.auto_merge, false);
  assert.deepEqual(body.required_contexts, []);
  assert.equal('transient_environment' in body, false, 'unset flags are left to GitHub');

  assert.deepEqual(JSON.parse(run.outputs.deployments), [
    { id: deployment.id, target: 'staging', environment: 'staging', ref: 'refs/heads/master', sha: SHA, url: deployment.url },
  ]);
  assert.equal(run.outputs['deployment-id'], String(deployment.id));
  assert.equal(run.outputs.environment, 'staging');
  assert.ok(
    run.summary.includes(`| staging | [staging](https://github.com/Codertocat/Hello-World/deployments/staging) | \`6113728\` | created | created deployment ${deployment.id} |`),
    run.summary,
  );
  assert.ok(run.lines.includes(`staging: created deployment ${deployment.id} of 6113728 to staging.`), run.stdout);
});

test('a push that no target matches creates nothing', async () => {
  repo.setFile('master', '.github/deploy.yml', CONFIG);
  const payload = pushToMaster();
  payload.ref = 'refs/heads/feature';
  const run = await runAction({ fake, eventName: 'push', payload });

  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.equal(fake.requests.length, 1, 'only the config is read');
  assert.deepEqual(repo.deployments, []);
  assert.equal(run.outputs.deployments, '[]');
  assert.equal(run.outputs['deployment-id'], '');
  assert.ok(run.lines.includes('No target deploys refs/heads/feature.'), run.stdout);
});

test('every matching target gets one deployment, each of the pushed commit', async () => {
  repo.setFile('master', '.github/deploy.yml', `${CONFIG}\npreview:\n  auto_deploy_on: refs/heads/*\n  environment: preview\n  transient_environment: true\n`);
  const run = await runAction({ fake, eventName: 'push', payload: pushToMaster() });

  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.deepEqual(fake.invalid(), []);
  assert.deepEqual(repo.deployments.map((d) => [d.environment, d.sha]).sort(), [['preview', SHA], ['staging', SHA]]);
  assert.equal(fake.writes()[1].body.transient_environment, true);
  assert.equal(JSON.parse(run.outputs.deployments).length, 2);
});

test('the config is read from the default branch, whatever branch was pushed', async () => {
  repo.setFile('master', '.github/deploy.yml', CONFIG);
  repo.setFile('feature', '.github/deploy.yml', 'everything:\n  auto_deploy_on: refs/heads/*\n');
  const payload = pushToMaster();
  payload.ref = 'refs/heads/feature';
  const run = await runAction({ fake, eventName: 'push', payload });

  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.deepEqual(repo.deployments, [], "a branch cannot rewrite its own deploy rules");
});

test('running again on the same push does not deploy twice', async () => {
  repo.setFile('master', '.github/deploy.yml', CONFIG);
  await runAction({ fake, eventName: 'push', payload: pushToMaster() });
  const again = await runAction({ fake, eventName: 'push', payload: pushToMaster() });

  assert.equal(again.code, 0, again.stdout + again.stderr);
  assert.equal(repo.deployments.length, 1);
  assert.equal(again.outputs.deployments, '[]');
  assert.match(again.summary, /\| already deployed \| already deployed \(deployment \d+\) \|/);
  assert.equal(JSON.parse(again.outputs.skipped)[0].reason, `already deployed (deployment ${repo.deployments[0].id})`);
});

test('a dry run reports the plan and writes nothing', async () => {
  repo.setFile('master', '.github/deploy.yml', CONFIG);
  const run = await runAction({ fake, eventName: 'push', payload: pushToMaster(), inputs: { 'dry-run': 'true' } });

  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.deepEqual(fake.writes(), []);
  assert.equal(fake.requests.length, 4, "the config, master's tip, the existing-deployment check and the locks, nothing more");
  assert.deepEqual(repo.deployments, []);
  assert.match(run.summary, /\| `6113728` \| would create \| would create \(dry run\) \|/);
});

test('a tag push deploys the tag targets', async () => {
  repo.setFile('master', '.github/deploy.yml', CONFIG);
  repo.setRef('tags/v1.0.0', SHA);
  const payload = pushToMaster();
  payload.ref = 'refs/tags/v1.0.0';
  const run = await runAction({ fake, eventName: 'push', payload });

  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.deepEqual(repo.deployments.map((d) => d.environment), ['production']);
  assert.equal(repo.deployments[0].payload.deliverybot.ref, 'refs/tags/v1.0.0');
});

test('a push run again after master moved on deploys nothing: superseded by the newer commit', async () => {
  // A re-run of an old workflow, or a run that lost the race to a newer push: deploying its commit
  // would roll staging back.
  const NEWER = '1111111111111111111111111111111111111111';
  repo.setFile('master', '.github/deploy.yml', CONFIG);
  repo.setRef('heads/master', NEWER);
  const run = await runAction({ fake, eventName: 'push', payload: pushToMaster() });

  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.deepEqual(fake.invalid(), []);
  assert.deepEqual(fake.requests.map((r) => `${r.method} ${r.path}`), [
    'GET /repos/Codertocat/Hello-World/contents/.github/deploy.yml',
    'GET /repos/Codertocat/Hello-World/git/ref/heads/master',
  ]);
  assert.deepEqual(repo.deployments, []);
  assert.deepEqual(JSON.parse(run.outputs.skipped), [
    { target: 'staging', environment: '', ref: 'refs/heads/master', sha: SHA, reason: 'superseded by 1111111' },
  ]);
  assert.match(run.summary, /\| staging \| .* \| `6113728` \| superseded \| superseded by 1111111 \|/);
});

test('an annotated tag push names the tag object: the commit it tags is deployed', async () => {
  repo.setFile('master', '.github/deploy.yml', CONFIG);
  const tag = repo.setAnnotatedTag('v2.0.0', SHA);
  const payload = pushToMaster();
  payload.ref = 'refs/tags/v2.0.0';
  payload.after = tag.sha;
  const run = await runAction({ fake, eventName: 'push', payload });

  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.deepEqual(fake.invalid(), []);
  assert.deepEqual(fake.requests.slice(1, 3).map((r) => r.path), [
    '/repos/Codertocat/Hello-World/git/ref/tags/v2.0.0',
    `/repos/Codertocat/Hello-World/git/tags/${tag.sha}`,
  ]);
  assert.deepEqual(repo.deployments.map((d) => [d.environment, d.ref, d.sha]), [['production', SHA, SHA]]);
});

test('a deleted branch deploys nothing', async () => {
  repo.setFile('master', '.github/deploy.yml', CONFIG);
  const payload = webhookExample('push', (p) => p.deleted);
  const run = await runAction({ fake, eventName: 'push', payload });

  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.deepEqual(fake.requests, []);
});

test('no config on the default branch is not an error', async () => {
  const run = await runAction({ fake, eventName: 'push', payload: pushToMaster() });

  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.ok(run.lines.some((l) => l.startsWith('No .github/deploy.yml on master: nothing to deploy.')), run.stdout);
  assert.deepEqual(repo.deployments, []);
});

test('the token is masked and sent, and a wrong token fails with GitHub\'s words', async () => {
  repo.setFile('master', '.github/deploy.yml', CONFIG);
  const run = await runAction({ fake, eventName: 'push', payload: pushToMaster(), token: 'wrong-token' });

  assert.equal(run.code, 1);
  assert.equal(run.lines[0], '::add-mask::wrong-token');
  assert.ok(run.commands.some((c) => c.command === 'error' && c.message.includes('GitHub answered 401: Bad credentials')), run.stdout);
});

test('events the rules do not act on succeed with nothing done', async () => {
  const run = await runAction({ fake, eventName: 'gollum', payload: { repository: { full_name: 'Codertocat/Hello-World' } } });
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.deepEqual(fake.requests, []);
  assert.equal(run.outputs.deployments, '[]');
});
