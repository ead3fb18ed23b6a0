// The auto-deploy rules end to end, one real webhook payload per event: the built action against
// the fake GitHub API.

import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { EXAMPLE_SHA as MASTER, exampleRepo, runAction, webhookExample } from './support/action.mjs';

const NEWER = '1111111111111111111111111111111111111111';
const PR_HEAD = 'ec26c3e57ca3a959ca5aad62de7213c562f8c821';

const CONFIG = `
staging:
  auto_deploy_on: refs/heads/master
  environment: staging
  required_contexts: [ci]
production:
  auto_deploy_on: refs/tags/*
  environment: production
review:
  auto_deploy_on: pr
  environment: pr\${{ pr }}
  description: Review of \${{ pull_request.title }}
  transient_environment: true
  production_environment: false
`;

let fake;
let repo;
beforeEach(async () => {
  ({ fake, repo } = await exampleRepo());
  repo.setRef('heads/changes', PR_HEAD);
  repo.setFile('master', '.github/deploy.yml', CONFIG);
});
afterEach(() => fake.close());

/** The real `status` example, for a status on master's tip (the example's branches list master at another commit). */
function statusOnMaster(state) {
  const payload = webhookExample('status');
  payload.state = state;
  payload.context = 'ci';
  payload.branches = payload.branches.map((b) => (b.name === 'master' ? { ...b, commit: { ...b.commit, sha: payload.sha } } : b));
  return payload;
}

const environments = () => repo.deployments.map((d) => d.environment);

/** Some real examples come from another repository (octo-org/octo-repo): move them to Hello-World. */
function inHelloWorld(payload) {
  payload.repository = webhookExample('push').repository;
  return payload;
}

test('a green status on the tip of master deploys it to staging', async () => {
  repo.addCommitStatus(MASTER, { context: 'ci', state: 'success' });
  const run = await runAction({ fake, eventName: 'status', payload: statusOnMaster('success') });

  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.deepEqual(fake.invalid(), []);
  assert.deepEqual(environments(), ['staging']);
  assert.equal(repo.deployments[0].sha, MASTER);
  assert.deepEqual(repo.deployments[0].payload.deliverybot.event, 'status');
});

test('a pending check: nothing is deployed, the run succeeds and says what it waits for', async () => {
  repo.addCommitStatus(MASTER, { context: 'ci', state: 'pending' });
  const run = await runAction({ fake, eventName: 'status', payload: statusOnMaster('pending') });

  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.deepEqual(fake.writes(), []);
  assert.deepEqual(JSON.parse(run.outputs.waiting), [
    { target: 'staging', environment: 'staging', ref: 'refs/heads/master', sha: MASTER, reason: 'waiting for ci' },
  ]);
  assert.match(run.summary, /\| staging \| .* \| waiting \| waiting for ci \|/);
  assert.ok(run.lines.some((l) => l === 'staging: waiting for ci on 6113728; a later event deploys it.'), run.stdout);
});

test('a failed check blocks the deploy, visibly, without failing the run', async () => {
  repo.addCommitStatus(MASTER, { context: 'ci', state: 'failure' });
  const run = await runAction({ fake, eventName: 'status', payload: statusOnMaster('failure') });

  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.deepEqual(fake.writes(), []);
  assert.equal(JSON.parse(run.outputs.skipped)[0].reason, 'blocked by ci');
  assert.ok(run.commands.some((c) => c.command === 'warning' && c.message === 'staging: ci failed on 6113728; not deploying it.'));
});

test('a status on a commit that master has moved past deploys nothing: superseded', async () => {
  repo.setRef('heads/master', NEWER);
  repo.addCommitStatus(MASTER, { context: 'ci', state: 'success' });
  const run = await runAction({ fake, eventName: 'status', payload: statusOnMaster('success') });

  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.deepEqual(fake.writes(), []);
  assert.equal(JSON.parse(run.outputs.skipped)[0].reason, 'superseded by 1111111');
});

test('running the same event twice deploys once', async () => {
  repo.addCommitStatus(MASTER, { context: 'ci', state: 'success' });
  const first = await runAction({ fake, eventName: 'status', payload: statusOnMaster('success') });
  const again = await runAction({ fake, eventName: 'status', payload: statusOnMaster('success') });

  assert.equal(first.code + again.code, 0);
  assert.deepEqual(environments(), ['staging']);
  assert.match(JSON.parse(again.outputs.skipped)[0].reason, /^already deployed \(deployment \d+\)$/);
});

test('a completed workflow run on master deploys once the checks are green', async () => {
  repo.addCheckRun(MASTER, { name: 'ci', status: 'completed', conclusion: 'success' });
  const payload = inHelloWorld(webhookExample('workflow_run', (p) => p.action === 'completed'));
  payload.workflow_run.head_branch = 'master';
  payload.workflow_run.head_sha = MASTER;
  const run = await runAction({ fake, eventName: 'workflow_run', payload });

  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.deepEqual(fake.invalid(), []);
  assert.deepEqual(environments(), ['staging']);
});

test('a tag push deploys the tag target', async () => {
  repo.setRef('tags/simple-tag', MASTER);
  const payload = webhookExample('push', (p) => p.ref === 'refs/tags/simple-tag' && !p.deleted);
  const run = await runAction({ fake, eventName: 'push', payload });

  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.deepEqual(environments(), ['production']);
  assert.equal(repo.deployments[0].payload.deliverybot.ref, 'refs/tags/simple-tag');
});

test('deleting a branch or tag deploys nothing and reads nothing', async () => {
  const payload = webhookExample('push', (p) => p.deleted);
  const run = await runAction({ fake, eventName: 'push', payload });

  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.deepEqual(fake.requests, []);
  assert.ok(run.lines.includes('refs/tags/simple-tag was deleted: nothing to deploy.'), run.stdout);
});

/** Pull request #2 of the examples, as GitHub has it: open, from branch `changes`. */
const openedPullRequest = () => {
  const payload = webhookExample('pull_request', (p) => p.action === 'opened');
  repo.setPull(2, { title: payload.pull_request.title, head: { ref: 'changes' } });
  return payload;
};

test('an opened pull request gets its review environment, rendered from the pull request', async () => {
  const payload = openedPullRequest();
  const run = await runAction({ fake, eventName: 'pull_request', payload });

  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.deepEqual(fake.invalid(), []);
  assert.deepEqual(fake.requests.map((r) => `${r.method} ${r.path}`), [
    'GET /repos/Codertocat/Hello-World/contents/.github/deploy.yml',
    'GET /repos/Codertocat/Hello-World/pulls/2',
    'GET /repos/Codertocat/Hello-World/deployments',
    'GET /repos/Codertocat/Hello-World/git/matching-refs/deliverybot/locks/',
    'POST /repos/Codertocat/Hello-World/deployments',
  ]);
  const [deployment] = repo.deployments;
  assert.equal(deployment.environment, 'pr2');
  assert.equal(deployment.sha, PR_HEAD);
  assert.equal(deployment.description, 'Review of Update the README with new information.');
  assert.equal(deployment.transient_environment, true);
  assert.deepEqual(deployment.payload.deliverybot, {
    ref: 'refs/heads/changes',
    event: 'pull_request',
    run_url: 'https://github.com/Codertocat/Hello-World/actions/runs/1658821493',
    pr: 2,
  });
});

test('a pull request event run after its head moved on deploys nothing: superseded', async () => {
  const payload = openedPullRequest();
  repo.setRef('heads/changes', NEWER);
  const run = await runAction({ fake, eventName: 'pull_request', payload });

  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.deepEqual(fake.writes(), []);
  assert.equal(fake.requests.length, 2, 'the config and the pull request');
  assert.deepEqual(JSON.parse(run.outputs.skipped), [{ target: 'review', environment: '', ref: 'refs/heads/changes', sha: PR_HEAD, reason: 'superseded by 1111111' }]);
});

test('a pull request event run after the pull request closed does not bring its environment back', async () => {
  const payload = openedPullRequest();
  repo.setPull(2, { title: payload.pull_request.title, head: { ref: 'changes' }, state: 'closed' });
  const run = await runAction({ fake, eventName: 'pull_request', payload });

  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.deepEqual(fake.writes(), []);
  assert.equal(JSON.parse(run.outputs.skipped)[0].reason, 'pull request #2 is closed');
});

test('with auto_merge, the branch is deployed by name; when it is behind, GitHub merges instead and the run says so', async () => {
  repo.setFile('master', '.github/deploy.yml', CONFIG.replace('  production_environment: false\n', '  production_environment: false\n  auto_merge: true\n'));
  repo.mergeRequired = true;
  const behind = await runAction({ fake, eventName: 'pull_request', payload: openedPullRequest() });

  assert.equal(behind.code, 0, behind.stdout + behind.stderr);
  assert.deepEqual(fake.invalid(), []);
  assert.deepEqual([fake.writes()[0].body.ref, fake.writes()[0].body.auto_merge], ['changes', true]);
  assert.deepEqual(repo.deployments, []);
  const reason =
    'GitHub merged the default branch into the branch instead of deploying it ("Auto-merged master into changes on deployment."); ' +
    'with `auto_merge` the merge commit deploys, on the next event about it: its push, its checks or a schedule (a merge made with the default GITHUB_TOKEN starts no workflow itself)';
  assert.deepEqual(JSON.parse(behind.outputs.skipped).map((s) => s.reason), [reason]);
  assert.ok(behind.commands.some((c) => c.command === 'warning' && c.message === `review: ${reason}`), behind.stdout);

  // Up to date (here: the merge's own run), it deploys the branch.
  repo.mergeRequired = false;
  const merged = await runAction({ fake, eventName: 'pull_request', payload: openedPullRequest() });
  assert.equal(merged.code, 0, merged.stdout + merged.stderr);
  assert.deepEqual(repo.deployments.map((d) => [d.environment, d.ref, d.sha]), [['pr2', 'changes', PR_HEAD]]);
});

test('a pull request from a fork is not deployed automatically', async () => {
  const fork = fake.repo('hubot/Hello-World', { defaultBranch: 'master' });
  const payload = webhookExample('pull_request', (p) => p.action === 'opened');
  payload.pull_request.head.repo = { ...payload.pull_request.head.repo, id: fork.id, full_name: 'hubot/Hello-World' };
  const run = await runAction({ fake, eventName: 'pull_request', payload });

  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.deepEqual(fake.writes(), []);
  assert.match(JSON.parse(run.outputs.skipped)[0].reason, /comes from a fork; its code is not deployed automatically \(set `allow_forks: true`/);
});

test('closing the pull request makes its active review deployments inactive, found over several pages', async () => {
  // 105 deployments of #2's review environment (two pages of 100): most already inactive, three
  // active, one on each page and the newest. (Writes are spaced a second apart, as GitHub asks.)
  const active = new Set([1, 50, 105]);
  const ours = [];
  for (let i = 1; i <= 105; i++) {
    const d = repo.addDeployment({ ref: PR_HEAD, sha: PR_HEAD, environment: 'pr2', transient_environment: true, production_environment: false, payload: { deliverybot: { pr: 2 } } });
    repo.addDeploymentStatus(d.id, { state: active.has(i) ? 'success' : 'inactive', auto_inactive: false });
    ours.push(d.id);
  }
  const other = repo.addDeployment({ ref: PR_HEAD, sha: PR_HEAD, environment: 'pr2', transient_environment: true, payload: { deliverybot: { pr: 3 } } });
  const foreign = repo.addDeployment({ ref: 'master', sha: MASTER, environment: 'pr2', transient_environment: true, payload: {} });

  const payload = webhookExample('pull_request', (p) => p.action === 'closed');
  const run = await runAction({ fake, eventName: 'pull_request', payload });

  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.deepEqual(fake.invalid(), []);
  const latest = (id) => repo.deploymentStatuses.get(id).at(-1)?.state;
  assert.ok(ours.every((id) => latest(id) === 'inactive'), "all of #2's deployments");
  assert.equal(latest(other.id), undefined, "another pull request's deployment is left alone");
  assert.equal(latest(foreign.id), undefined, 'a deployment Deliverybot did not create is left alone');
  assert.equal(fake.writes().length, 3, 'only the active ones are written');
  assert.deepEqual(JSON.parse(run.outputs.inactive).map((d) => d.id).sort((a, b) => a - b), [ours[0], ours[49], ours[104]]);
  const lists = fake.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/deployments'));
  assert.deepEqual(lists.map((r) => r.query.page), ['1', '2']);
  assert.match(run.summary, /Pull request #2 closed: 3 deployments made inactive \(102 already inactive\)/);

  // Closing again writes nothing: they are all inactive now.
  const again = await runAction({ fake, eventName: 'pull_request', payload });
  assert.equal(again.code, 0);
  assert.equal(fake.writes().length, 3);
});

const REVIEW_AFTER_CI = `${CONFIG.replace('  production_environment: false\n', '  production_environment: false\n  required_contexts: [ci]\n')}`;

/** The real `status` example, for a status on the pull request's head (the example lists `changes` at it). */
function statusOnPullRequestHead(state) {
  const payload = webhookExample('status');
  payload.sha = PR_HEAD;
  payload.state = state;
  payload.context = 'ci';
  return payload;
}

test('a status from external CI on a pull request head deploys its review app once its contexts are green', async () => {
  repo.setFile('master', '.github/deploy.yml', REVIEW_AFTER_CI);
  repo.setPull(2, { title: 'Update the README with new information.', head: { ref: 'changes' } });
  repo.addCommitStatus(PR_HEAD, { context: 'ci', state: 'pending' });
  const pending = await runAction({ fake, eventName: 'status', payload: statusOnPullRequestHead('pending') });

  assert.equal(pending.code, 0, pending.stdout + pending.stderr);
  assert.deepEqual(fake.invalid(), []);
  assert.deepEqual(fake.writes(), []);
  assert.deepEqual(fake.requests.slice(0, 2).map((r) => `${r.method} ${r.path}`), [
    'GET /repos/Codertocat/Hello-World/contents/.github/deploy.yml',
    `GET /repos/Codertocat/Hello-World/commits/${PR_HEAD}/pulls`,
  ]);
  assert.deepEqual(JSON.parse(pending.outputs.waiting), [{ target: 'review', environment: 'pr2', ref: 'refs/heads/changes', sha: PR_HEAD, reason: 'waiting for ci' }]);

  repo.addCommitStatus(PR_HEAD, { context: 'ci', state: 'success' });
  const green = await runAction({ fake, eventName: 'status', payload: statusOnPullRequestHead('success') });
  assert.equal(green.code, 0, green.stdout + green.stderr);
  assert.deepEqual(fake.invalid(), []);
  assert.deepEqual(repo.deployments.map((d) => [d.environment, d.sha, d.payload.deliverybot.pr, d.payload.deliverybot.event]), [['pr2', PR_HEAD, 2, 'status']]);
});

test('a completed check suite that names no pull request (one from a fork) has them looked up', async () => {
  repo.setPull(2, { title: 'Update the README with new information.', head: { ref: 'changes' } });
  const payload = webhookExample('check_suite', (p) => p.action === 'completed' && p.check_suite.pull_requests.length > 0);
  payload.check_suite.pull_requests = [];
  const run = await runAction({ fake, eventName: 'check_suite', payload });

  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.deepEqual(fake.invalid(), []);
  assert.ok(fake.requests.some((r) => r.path === `/repos/Codertocat/Hello-World/commits/${PR_HEAD}/pulls`));
  assert.deepEqual(environments(), ['pr2']);
});

test('a schedule evaluates the open pull requests for the review target', async () => {
  repo.setPull(2, { title: 'Update the README with new information.', head: { ref: 'changes' } });
  repo.setRef('heads/draft', NEWER);
  repo.setPull(3, { head: { ref: 'draft' }, draft: true });
  repo.setPull(4, { head: { ref: 'gone' }, state: 'closed' });
  const run = await runAction({ fake, eventName: 'schedule', payload: { schedule: '*/30 * * * *' } });

  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.deepEqual(fake.invalid(), []);
  const list = fake.requests.filter((r) => r.path === '/repos/Codertocat/Hello-World/pulls');
  assert.deepEqual(list.map((r) => r.query), [{ state: 'open', sort: 'updated', direction: 'desc', per_page: '100', page: '1' }]);
  assert.deepEqual(environments(), ['pr2']);
  assert.deepEqual(JSON.parse(run.outputs.skipped).map((s) => s.reason), ['#3 is a draft (set `allow_drafts: true` to deploy drafts)']);
  assert.deepEqual(JSON.parse(run.outputs.waiting).map((w) => `${w.target} ${w.reason}`), ['staging waiting for ci (not reported yet)']);
});

test('closing the pull request also retires review deployments of its head made before the marker', async () => {
  // As the original Deliverybot (or someone by hand) made them: the head branch by name or the head
  // commit, to #2's review environment, transient, without the `deliverybot.pr` marker.
  const original = repo.addDeployment({ ref: 'changes', sha: PR_HEAD, environment: 'pr2', transient_environment: true, payload: { target: 'review' } });
  const byHand = repo.addDeployment({ ref: 'refs/heads/changes', sha: PR_HEAD, environment: 'pr2', transient_environment: true });
  const commit = repo.addDeployment({ ref: PR_HEAD, sha: PR_HEAD, environment: 'pr2', transient_environment: true });
  const kept = [
    repo.addDeployment({ ref: 'changes', sha: PR_HEAD, environment: 'pr2', transient_environment: false }),
    repo.addDeployment({ ref: 'changes', sha: PR_HEAD, environment: 'pr2', transient_environment: true, payload: { deliverybot: { pr: 3 } } }),
    repo.addDeployment({ ref: 'master', sha: MASTER, environment: 'pr2', transient_environment: true }),
    repo.addDeployment({ ref: 'changes', sha: PR_HEAD, environment: 'staging', transient_environment: true }),
  ];
  for (const d of [original, byHand, commit, ...kept]) repo.addDeploymentStatus(d.id, { state: 'success', auto_inactive: false });

  const payload = webhookExample('pull_request', (p) => p.action === 'closed');
  const run = await runAction({ fake, eventName: 'pull_request', payload });

  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.deepEqual(fake.invalid(), []);
  const latest = (id) => repo.deploymentStatuses.get(id).at(-1).state;
  assert.deepEqual([original, byHand, commit].map((d) => latest(d.id)), ['inactive', 'inactive', 'inactive']);
  assert.deepEqual(kept.map((d) => latest(d.id)), ['success', 'success', 'success', 'success'], 'not transient, another pull request\'s, another branch, not a review environment');
  assert.deepEqual(JSON.parse(run.outputs.inactive).map((d) => d.id).sort((a, b) => a - b), [original.id, byHand.id, commit.id]);
  const lists = fake.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/deployments'));
  assert.deepEqual(lists.map((r) => r.query.environment), ['pr2'], 'one list of the review environment, as for marked ones');
});

test('a workflow_dispatch deploys the named target at the given ref (a rollback)', async () => {
  repo.setRef('tags/v1.0.0', NEWER);
  const payload = inHelloWorld(webhookExample('workflow_dispatch'));
  payload.inputs = { target: 'production', ref: 'refs/tags/v1.0.0' };
  const run = await runAction({ fake, eventName: 'workflow_dispatch', payload });

  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.deepEqual(fake.invalid(), []);
  assert.deepEqual(repo.deployments.map((d) => [d.environment, d.sha]), [['production', NEWER]]);
});

test('a workflow_dispatch may force a deploy past its checks when its sender may, with a task of its own', async () => {
  repo.setPermission('Codertocat', 'admin');
  repo.setPermission('octocat', 'write');
  const dispatch = (sender) => {
    const payload = inHelloWorld(webhookExample('workflow_dispatch', (p) => p.sender.login === sender));
    payload.inputs = { target: 'staging', ref: 'master', force: 'true', task: 'deploy:hotfix' };
    return payload;
  };

  const denied = await runAction({ fake, eventName: 'workflow_dispatch', payload: dispatch('octocat') });
  assert.equal(denied.code, 1, denied.stdout + denied.stderr);
  assert.deepEqual(repo.deployments, []);
  assert.match(denied.summary, /@octocat may not force a deploy of staging: that needs the admin role/);

  const run = await runAction({ fake, eventName: 'workflow_dispatch', payload: dispatch('Codertocat') });
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.deepEqual(fake.invalid(), []);
  assert.deepEqual(repo.deployments.map((d) => [d.environment, d.sha, d.task]), [['staging', MASTER, 'deploy:hotfix']]);
  const reads = fake.requests.filter((r) => r.path.includes('/collaborators/')).map((r) => r.path);
  assert.deepEqual(reads, ['/repos/Codertocat/Hello-World/collaborators/octocat/permission', '/repos/Codertocat/Hello-World/collaborators/Codertocat/permission']);
  assert.ok(!fake.requests.some((r) => r.path.endsWith('/status') || r.path.endsWith('/check-runs')), 'the checks are not read');
});

test('a repository_dispatch without force reads no one\'s role', async () => {
  const payload = inHelloWorld(webhookExample('repository_dispatch'));
  payload.client_payload = { target: 'production', ref: 'master', force: false };
  const run = await runAction({ fake, eventName: 'repository_dispatch', payload });

  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.deepEqual(repo.deployments.map((d) => d.environment), ['production']);
  assert.ok(!fake.requests.some((r) => r.path.includes('/collaborators/')));
});

test('a workflow_dispatch gives parameters (JSON or name=value lines) the target takes, or fails naming them', async () => {
  repo.setFile('master', '.github/deploy.yml', `${CONFIG}canary:
  environment: canary
  params:
    region: { type: string, enum: [eu, us], required: true }
    replicas: { type: number, default: 2 }
`);
  const dispatch = (params) => {
    const payload = inHelloWorld(webhookExample('workflow_dispatch'));
    payload.inputs = { target: 'canary', ref: 'master', params };
    return payload;
  };

  const json = await runAction({ fake, eventName: 'workflow_dispatch', payload: dispatch('{"region": "us", "replicas": 3}') });
  assert.equal(json.code, 0, json.stdout + json.stderr);
  const lines = await runAction({ fake, eventName: 'workflow_dispatch', payload: dispatch('region=eu\n') });
  assert.equal(lines.code, 0, lines.stdout + lines.stderr);
  assert.deepEqual(fake.invalid(), []);
  assert.deepEqual(repo.deployments.map((d) => d.payload.params), [{ region: 'us', replicas: 3 }, { region: 'eu', replicas: 2 }]);

  const refused = await runAction({ fake, eventName: 'workflow_dispatch', payload: dispatch('replicas=3') });
  assert.equal(refused.code, 1, refused.stdout + refused.stderr);
  assert.equal(repo.deployments.length, 2, 'nothing more created');
  assert.match(refused.summary, /`canary` needs the parameter `region`; it takes `region` \(one of `eu`, `us`; required\), `replicas` \(a number; default `2`\)/);
});

test('events the rules do not act on do nothing', async () => {
  const payload = webhookExample('check_run', (p) => p.action === 'created');
  const run = await runAction({ fake, eventName: 'check_run', payload });

  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.deepEqual(fake.requests, []);
});

test('a dispatch of a target that needs the admin role: a writer\'s fails naming it, an admin\'s deploys', async () => {
  repo.setFile('master', '.github/deploy.yml', 'production:\n  environment: production\n  permission: admin\n');
  repo.setPermission('writer', 'write');
  repo.setPermission('boss', 'admin');
  const dispatch = (login) => {
    const payload = webhookExample('workflow_dispatch');
    payload.inputs = { target: 'production', ref: 'master' };
    payload.sender = { ...payload.sender, login };
    // The example repository's (the dispatch example comes from another).
    payload.repository = webhookExample('push', (p) => p.ref === 'refs/heads/master').repository;
    return payload;
  };

  const refused = await runAction({ fake, eventName: 'workflow_dispatch', payload: dispatch('writer') });
  assert.equal(refused.code, 1, refused.stdout + refused.stderr);
  assert.match(refused.stdout, /@writer may not deploy production: that needs the admin role/);
  assert.deepEqual(repo.deployments, []);

  const deployed = await runAction({ fake, eventName: 'workflow_dispatch', payload: dispatch('boss') });
  assert.equal(deployed.code, 0, deployed.stdout + deployed.stderr);
  assert.deepEqual(repo.deployments.map((d) => d.environment), ['production']);
});
