// Pull request commands end to end: the real issue_comment payload (with the issue.pull_request
// object GitHub adds on pull requests) drives the built action against the fake API.

import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { EXAMPLE_SHA as MASTER, exampleRepo, runAction, webhookExample } from './support/action.mjs';
import { run } from '../dist/lib.mjs';
import { factsResponder } from '../action/facts.mjs';

const HEAD = 'ec26c3e57ca3a959ca5aad62de7213c562f8c821';

const CONFIG = `
staging:
  auto_deploy_on: refs/heads/master
  environment: staging
review:
  auto_deploy_on: pr
  environment: pr\${{ pr }}
production:
  auto_deploy_on: refs/heads/*
  environment: production
  required_contexts: [deliverybot/promotion]
`;

let fake;
let repo;
beforeEach(async () => {
  ({ fake, repo } = await exampleRepo());
  repo.setRef('heads/changes', HEAD);
  repo.setPull(1, { head: { ref: 'changes', sha: HEAD }, title: 'Update the README' });
  repo.setFile('master', '.github/deploy.yml', CONFIG);
  repo.setPermission('Codertocat', 'write');
  repo.setPermission('hubot', 'read');
});
afterEach(() => fake.close());

/** The real issue_comment example, on pull request #1, with `body` by `login`. */
function comment(body, { login = 'Codertocat', action = 'created', pullRequest = true } = {}) {
  const payload = webhookExample('issue_comment', (p) => p.action === action);
  payload.comment.body = body;
  payload.comment.user = { ...payload.comment.user, login };
  if (pullRequest) {
    payload.issue.pull_request = {
      url: 'https://api.github.com/repos/Codertocat/Hello-World/pulls/1',
      html_url: 'https://github.com/Codertocat/Hello-World/pull/1',
      diff_url: 'https://github.com/Codertocat/Hello-World/pull/1.diff',
      patch_url: 'https://github.com/Codertocat/Hello-World/pull/1.patch',
      merged_at: null,
    };
  }
  return payload;
}

const replies = () => fake.writes().filter((r) => r.operationId === 'issues/create-comment').map((r) => r.body.body);

test('/deploy by a writer: 👀, the pull request head deployed, one reply with the link', async () => {
  const run = await runAction({ fake, eventName: 'issue_comment', payload: comment('/deploy review') });

  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.deepEqual(fake.invalid(), []);
  assert.equal(fake.writes()[0].operationId, 'reactions/create-for-issue-comment');
  assert.equal(fake.writes()[0].body.content, 'eyes');
  assert.deepEqual(repo.deployments.map((d) => [d.environment, d.sha]), [['pr1', HEAD]]);
  assert.deepEqual(replies(), [
    `@Codertocat 🚀 Deploying \`ec26c3e\` to [pr1](https://github.com/Codertocat/Hello-World/deployments/pr1) (deployment ${repo.deployments[0].id}).`,
  ]);
});

test('/deploy by a reader: a polite reply, nothing deployed', async () => {
  const run = await runAction({ fake, eventName: 'issue_comment', payload: comment('/deploy review', { login: 'hubot' }) });

  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.deepEqual(repo.deployments, []);
  assert.deepEqual(replies(), ['@hubot Sorry @hubot, `/deploy` needs the **write** role on this repository (you have read). Ask someone who has it.']);
});

test('/deploy of an unknown target lists the valid ones', async () => {
  const run = await runAction({ fake, eventName: 'issue_comment', payload: comment('/deploy prod') });

  assert.equal(run.code, 0, run.stdout + run.stderr);
  // The name is not repeated: a reply quotes a comment at most by its command word.
  assert.deepEqual(replies(), ['@Codertocat There is no target of that name. The targets are `staging`, `review`, `production`.']);
});

test('a comment on a plain issue, an edited comment, and a command not at the start: nothing at all', async () => {
  for (const payload of [
    comment('/deploy review', { pullRequest: false }),
    comment('/deploy review', { action: 'edited' }),
    comment('Could someone /deploy review?'),
  ]) {
    const run = await runAction({ fake, eventName: 'issue_comment', payload });
    assert.equal(run.code, 0, run.stdout + run.stderr);
  }
  assert.deepEqual(fake.requests, []);
});

test('/lock stops the next push from deploying; /unlock lets the one after it through', async () => {
  const push = () => webhookExample('push', (p) => p.ref === 'refs/heads/master' && !p.deleted);

  const lock = await runAction({ fake, eventName: 'issue_comment', payload: comment('/lock staging database migration') });
  assert.equal(lock.code, 0, lock.stdout + lock.stderr);
  assert.deepEqual(replies(), ['@Codertocat 🔒 Locked **staging**: no deployment reaches it until `/unlock staging`.']);
  assert.ok(repo.refs.has('deliverybot/locks/staging'), 'a visible ref holds the lock');

  const blocked = await runAction({ fake, eventName: 'push', payload: push() });
  assert.equal(blocked.code, 0, blocked.stdout + blocked.stderr);
  assert.deepEqual(repo.deployments, []);
  assert.match(JSON.parse(blocked.outputs.skipped)[0].reason, /^staging is locked by @Codertocat since .+ \(from #1\): database migration$/);

  const unlock = await runAction({ fake, eventName: 'issue_comment', payload: comment('/unlock staging') });
  assert.equal(unlock.code, 0, unlock.stdout + unlock.stderr);

  const deployed = await runAction({ fake, eventName: 'push', payload: push() });
  assert.equal(deployed.code, 0, deployed.stdout + deployed.stderr);
  assert.deepEqual(repo.deployments.map((d) => d.environment), ['staging']);
  assert.deepEqual(fake.invalid(), []);
});

test('a lock holds its environment in every spelling, beyond ASCII too', async () => {
  const push = () => webhookExample('push', (p) => p.ref === 'refs/heads/master' && !p.deleted);
  const deploysTo = (environment) => repo.setFile('master', '.github/deploy.yml', `region:\n  auto_deploy_on: refs/heads/master\n  environment: ${environment}\n`);
  // As the config spells it; as /lock is typed; as a later config spells it; as /unlock is typed.
  for (const [spelled, typed, deployed, unlocked] of [
    ['Île-de-France', 'ÎLE-DE-FRANCE', 'île-de-france', 'Île-De-France'],
    ['ÉTÉ', 'été', 'Été', 'éTÉ'],
    ['Straße', 'STRAẞE', 'straße', 'STRAßE'],
    ['İstanbul', 'İSTANBUL', 'i\u0307stanbul', 'İstanBUL'],
  ]) {
    deploysTo(spelled);
    const lock = await runAction({ fake, eventName: 'issue_comment', payload: comment(`/lock ${typed} heat wave`) });
    assert.equal(lock.code, 0, lock.stdout + lock.stderr);
    assert.equal(replies().at(-1), `@Codertocat 🔒 Locked **${spelled}**: no deployment reaches it until \`/unlock ${spelled}\`.`);

    for (const environment of [spelled, deployed]) {
      deploysTo(environment);
      const blocked = await runAction({ fake, eventName: 'push', payload: push() });
      assert.equal(blocked.code, 0, blocked.stdout + blocked.stderr);
      assert.deepEqual(repo.deployments, [], `a lock on ${typed} holds ${environment}`);
      assert.match(JSON.parse(blocked.outputs.skipped)[0].reason, new RegExp(`^${environment} is locked by @Codertocat since .+: heat wave$`));
    }

    const unlock = await runAction({ fake, eventName: 'issue_comment', payload: comment(`/unlock ${unlocked}`) });
    assert.equal(unlock.code, 0, unlock.stdout + unlock.stderr);
    assert.equal(replies().at(-1), `@Codertocat 🔓 Unlocked **${deployed}**.`);
    assert.deepEqual([...repo.refs.keys()].filter((name) => name.startsWith('deliverybot/')), []);
  }
  const deployed = await runAction({ fake, eventName: 'push', payload: push() });
  assert.equal(deployed.code, 0, deployed.stdout + deployed.stderr);
  assert.deepEqual(repo.deployments.map((d) => d.environment), ['i\u0307stanbul']);
  assert.deepEqual(fake.invalid(), []);
});

test("`deliverybot plan`'s offline locks hold their environment in every spelling, by the engine's rule", async () => {
  // What `plan --locked ENV` runs: the engine over the facts (action/facts.mjs), without GitHub.
  const payload = webhookExample('push', (p) => p.ref === 'refs/heads/master' && !p.deleted);
  const plan = async (locked, environment) => {
    const config = { path: 'deploy.yml', text: `region:\n  auto_deploy_on: refs/heads/master\n  environment: ${environment}\n` };
    const respond = factsResponder({ repository: 'Codertocat/Hello-World', config, facts: { sha: payload.after, locks: { [locked]: 'heat wave' } } });
    const result = await run({ eventName: 'push', payload, inputs: { 'dry-run': 'true', config: config.path }, executor: (method, path, body, request) => respond(request) });
    assert.equal(result.failure, undefined, JSON.stringify(result));
    return result.decisions.map((d) => d.decision);
  };
  for (const [locked, environment] of [
    ['Île-de-France', 'ÎLE-DE-FRANCE'],
    ['ÉTÉ', 'été'],
    ['Straße', 'STRAẞE'],
    ['İSTANBUL', 'İstanbul'],
    ['ΟΔΟΣ', 'οδος'],
  ]) {
    assert.deepEqual(await plan(locked, environment), ['locked'], `a lock on ${locked} holds ${environment}`);
    assert.deepEqual(await plan(environment, locked), ['locked'], `a lock on ${environment} holds ${locked}`);
  }
  for (const [locked, environment] of [['Straße', 'STRASSE'], ['İstanbul', 'istanbul'], ['Île-de-France', 'Ile-de-France']]) {
    assert.deepEqual(await plan(locked, environment), ['would create'], `${locked} and ${environment} are two environments`);
  }
});

test('two /lock at once: exactly one wins, the other is told who holds it', async () => {
  repo.setPermission('Monalisa', 'admin');
  const [a, b] = await Promise.all([
    runAction({ fake, eventName: 'issue_comment', payload: comment('/lock production first') }),
    runAction({ fake, eventName: 'issue_comment', payload: comment('/lock production second', { login: 'Monalisa' }) }),
  ]);

  assert.equal(a.code + b.code, 0, a.stdout + b.stdout);
  const texts = replies();
  assert.equal(texts.filter((t) => t.includes('🔒 Locked **production**')).length, 1, texts.join('\n'));
  assert.equal(texts.filter((t) => /\*\*production\*\* is already locked by @\u200D(Codertocat|Monalisa)/.test(t)).length, 1, texts.join('\n'));
});

test('/promote marks the head, and the next status event deploys it to production', async () => {
  const promote = await runAction({ fake, eventName: 'issue_comment', payload: comment('/promote production') });
  assert.equal(promote.code, 0, promote.stdout + promote.stderr);
  assert.match(replies()[0], /^@Codertocat ✅ Promoted `ec26c3e`/);
  assert.ok((repo.statuses.get(HEAD) ?? []).some((s) => s.context === 'deliverybot/promotion' && s.state === 'success'));
  assert.deepEqual(repo.deployments, []);

  // The next status event on the head (here: another check reporting) re-evaluates it.
  const status = webhookExample('status');
  status.sha = HEAD;
  status.branches = [{ name: 'changes', commit: { sha: HEAD, url: '' }, protected: false }];
  const run = await runAction({ fake, eventName: 'status', payload: status });
  assert.equal(run.code, 0, run.stdout + run.stderr);
  // (The status names no pull request: #1, whose head it is, is looked up, and its review app deploys too.)
  assert.deepEqual(repo.deployments.map((d) => [d.environment, d.sha]), [['production', HEAD], ['pr1', HEAD]]);
});

test('a re-run by someone else of a command\'s run does nothing: the command is its author\'s', async () => {
  // The runner re-runs with the first run's actor (GITHUB_ACTOR: the comment's author) and says who
  // re-ran it in GITHUB_TRIGGERING_ACTOR.
  const payload = comment('/deploy review');
  payload.sender = { ...payload.sender, login: 'Codertocat' };
  const rerun = await runAction({ fake, eventName: 'issue_comment', payload, env: { GITHUB_TRIGGERING_ACTOR: 'hubot' } });
  assert.equal(rerun.code, 0, rerun.stdout + rerun.stderr);
  assert.deepEqual(fake.requests, [], 'not a request, not even the reaction');
  assert.match(rerun.summary, /@hubot re-ran the run of @Codertocat's command: a command acts once, for whoever wrote it; nothing was done\./);

  const own = await runAction({ fake, eventName: 'issue_comment', payload, env: { GITHUB_TRIGGERING_ACTOR: 'Codertocat' } });
  assert.equal(own.code, 0, own.stdout + own.stderr);
  assert.deepEqual(repo.deployments.map((d) => d.environment), ['pr1']);
});

test('/help answers anyone with the commands and the targets', async () => {
  const run = await runAction({ fake, eventName: 'issue_comment', payload: comment('/help', { login: 'hubot' }) });

  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.match(replies()[0], /`\/deploy <target> \[--force\] \[name=value \.\.\.\]`[\s\S]*Targets: `staging`, `review`, `production`\./);
});

test('a comment carrying a legacy ##[command] cannot inject a workflow command into the log', async () => {
  const run = await runAction({ fake, eventName: 'issue_comment', payload: comment('/help ##[set-output name=pwned;]1 ##[stop-commands]x', { login: 'hubot' }) });

  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.equal(run.outputs.pwned, undefined);
  // Every line that holds `##[` is printed while command processing is paused.
  let paused = null;
  for (const line of run.lines) {
    const stop = /^::stop-commands::(.+)$/.exec(line);
    if (stop) paused = stop[1];
    else if (paused && line === `::${paused}::`) paused = null;
    else if (line.includes('##[')) assert.ok(paused, `unguarded: ${line}`);
  }
});

test('markup in a command is not repeated under the token: not to a writer, not to a reader, not in the summary', async () => {
  const hostile = '![x](http://evil) @org/team [link](http://x)';
  const runs = [];
  for (const [body, login] of [[`/deploy ${hostile}`, 'Codertocat'], [`/deploy ${hostile}`, 'hubot'], [`/lock ${hostile}`, 'hubot'], [`/lock --now ${hostile}`, 'hubot']]) {
    const run = await runAction({ fake, eventName: 'issue_comment', payload: comment(body, { login }) });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    runs.push(run);
  }

  assert.deepEqual(replies(), [
    '@Codertocat `/deploy` takes one target: `/deploy <target> [--force]`. `/help` lists the commands.',
    '@hubot `/deploy` takes one target: `/deploy <target> [--force]`. `/help` lists the commands.',
    '@hubot Sorry @hubot, `/lock` needs the **write** role on this repository (you have read). Ask someone who has it.',
    '@hubot `/lock` takes no flags. `/help` lists the commands.',
  ]);
  assert.deepEqual(repo.deployments, []);
  assert.equal(repo.refs.has('deliverybot/locks/staging'), false);
  // The job summary shows who asked what, as code: nothing in it renders.
  assert.match(runs[0].summary, /^@Codertocat: `\/deploy !\[x\]\(http:\/\/evil\) @org\/team \[link\]\(http:\/\/x\)`$/m);
});

test('/deploy with parameters: typed by the target, defaults filled in, in the payload as data', async () => {
  repo.setFile('master', '.github/deploy.yml', `${CONFIG}canary:
  environment: canary
  params:
    region: { type: string, enum: [eu, us], required: true }
    replicas: { type: number, default: 2 }
    note:
`);
  const run = await runAction({ fake, eventName: 'issue_comment', payload: comment('/deploy canary region=eu note="ship it \\"now\\" ${{ secrets.X }}"') });

  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.deepEqual(fake.invalid(), []);
  assert.deepEqual(repo.deployments.map((d) => [d.environment, d.sha]), [['canary', HEAD]]);
  assert.deepEqual(repo.deployments[0].payload.params, { region: 'eu', replicas: 2, note: 'ship it "now" ${{ secrets.X }}' });
});

test('/deploy with parameters the target does not take: the reply says what it takes, nothing is created', async () => {
  repo.setFile('master', '.github/deploy.yml', `${CONFIG}canary:
  environment: canary
  params:
    region: { type: string, enum: [eu, us], required: true }
`);
  const run = await runAction({ fake, eventName: 'issue_comment', payload: comment('/deploy canary region=asia') });

  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.deepEqual(repo.deployments, []);
  assert.deepEqual(replies(), ['@Codertocat Not deployed: the parameter `region` of `canary` must be one of `eu`, `us`; it takes `region` (one of `eu`, `us`; required).']);
});

test('/deploy to a target that declares no parameters takes any, as text', async () => {
  const run = await runAction({ fake, eventName: 'issue_comment', payload: comment("/deploy review replicas=3 note='two words'") });

  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.deepEqual(repo.deployments[0].payload.params, { replicas: '3', note: 'two words' });
});
