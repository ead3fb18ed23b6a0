// `paths:` end to end: the monorepo recipe of docs/recipes.md (twenty services in one deploy.yml), run by the
// built action against the fake GitHub. The request counts the recipe gives come from here.

import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { validate } from '../dist/lib.mjs';
import { runAction } from './support/action.mjs';
import { deployed, HEAD, monorepo, pushed, pushPayload, RECIPE, ROOT, SERVICES, sha } from './support/monorepo.mjs';

let fake;
let repo;
beforeEach(async () => {
  ({ fake, repo } = await monorepo());
});
afterEach(() => fake.close());

/** A push of HEAD (whose parent is `parent`, changing `files`) to main, CI green on it. */
async function push(parent, files) {
  const run = await runAction({ fake, eventName: 'push', payload: pushed(repo, parent, files) });
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.deepEqual(fake.invalid(), []);
  return run;
}

const deploy = (service, commit) => deployed(repo, service, commit);
const count = (part) => fake.requests.filter((r) => r.path.includes(part)).length;
const reasons = (run) => JSON.parse(run.outputs.skipped).map((row) => row.reason);

test('the recipe has twenty services, and is valid', () => {
  assert.equal(SERVICES.length, 20);
  assert.equal(new Set(SERVICES).size, 20);
  assert.deepEqual(validate(RECIPE).problems, []);
});

test('a push touching one service deploys it alone: one comparison shared by the services deployed together', async () => {
  for (const service of SERVICES) deploy(service, ROOT);
  const run = await push(ROOT, ['services/payments/src/charge.ts', 'README.md']);

  assert.deepEqual(repo.deployments.slice(20).map((d) => [d.environment, d.sha, d.payload.target]), [['payments', HEAD, 'payments']]);
  assert.deepEqual(reasons(run), Array(19).fill('none of its files changed since ccccccc'));
  assert.ok(run.lines.includes('payments: services/payments/src/charge.ts changed since ccccccc.'), run.stdout);
  assert.match(run.summary, /\| web \| \[web\]\([^)]+\) \| `ccccccc` \| unchanged \| none of its files changed since ccccccc \|/);
  // The config, main's tip, each service's environment, one comparison; then for payments alone:
  // its existing check, its checks (statuses, check runs), the locks, the create.
  assert.equal(count('/compare/'), 1);
  assert.equal(fake.requests.length, 28);
  assert.equal(fake.writes().length, 1);
});

test('services last deployed at commits of their own are each compared with theirs', async () => {
  let parent = ROOT;
  for (const [i, service] of SERVICES.entries()) {
    const own = sha(100 + i);
    repo.setCommit(own, { parents: [parent], files: [`services/${service}/CHANGE`] });
    deploy(service, own);
    parent = own;
  }
  const run = await push(parent, ['services/payments/src/charge.ts']);

  assert.deepEqual(repo.deployments.slice(20).map((d) => d.environment), ['payments']);
  assert.equal(JSON.parse(run.outputs.skipped).length, 19);
  assert.equal(count('/compare/'), 20);
  assert.equal(fake.requests.length, 47);
});

test('a change to the shared libraries deploys every service; a Markdown file none', async () => {
  for (const service of SERVICES) deploy(service, ROOT);
  await push(ROOT, ['libs/money/round.ts']);
  assert.equal(repo.deployments.length, 40);

  fake.requests.length = 0;
  const next = sha(3);
  repo.setCommit(next, { parents: [HEAD], files: ['services/web/README.md', 'libs/money/README.md'] });
  repo.setRef('heads/main', next);
  const run = await runAction({ fake, eventName: 'push', payload: pushPayload(next) });
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.equal(repo.deployments.length, 40, 'paths_ignore leaves every Markdown file out');
  assert.equal(JSON.parse(run.outputs.skipped).length, 20);
});

test('the first rollout deploys every service, each saying why', async () => {
  const run = await push(ROOT, ['services/payments/src/charge.ts']);
  assert.equal(repo.deployments.length, 20);
  const notices = run.commands.filter((c) => c.command === 'notice').map((c) => c.message);
  assert.equal(notices.length, 20);
  assert.equal(notices[0], 'accounts: deploying without knowing whether its files changed: it has no earlier deployment to compare with.');
  assert.equal(count('/compare/'), 0);
  assert.equal(fake.requests.length, 65);
});

test('a force-push deploys anyway and says why', async () => {
  const rewritten = sha(4);
  repo.setCommit(rewritten, { parents: [ROOT], files: ['services/web/old.ts'] });
  for (const service of SERVICES) deploy(service, rewritten);
  const run = await push(ROOT, ['services/payments/src/charge.ts']);
  assert.equal(repo.deployments.length, 40);
  assert.ok(
    run.lines.some((l) => l.includes('web: deploying without knowing whether its files changed: ccccccc (its last deployment) is not an ancestor of this commit (GitHub says diverged: a force-push, or a deploy of another branch).')),
    run.stdout,
  );
});
