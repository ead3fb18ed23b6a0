// The `deliverybot` CLI as a user runs it: the built bin (dist/cli.mjs) as a child process. `plan` on
// real payloads with facts from flags, a facts file or the (fake) GitHub API; `schema`; and the
// error paths, each with its exit status and its message on stderr. (`validate`: config.test.mjs.)

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ACTION_NODE, EXAMPLE_SHA as SHA, exampleRepo, runAction, webhookExample } from './support/action.mjs';
import { factsResponder } from '../action/facts.mjs';
import { startProxy } from './support/proxy.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'dist/cli.mjs');
const OTHER = 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e';
const EXAMPLE = ['--config', 'examples/deploy.yml', '--event', 'push', '--payload', 'examples/push.json'];

/** Runs the bin; asynchronous, so a fake GitHub API in this process can answer it. */
function cli(args, { cwd = ROOT, env = {}, timeout } = {}) {
  const childEnv = { PATH: process.env.PATH, HOME: tmpdir(), ...env };
  const child = spawn(ACTION_NODE, [CLI, ...args], { cwd, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'], timeout });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

async function planJson(args, options) {
  const run = await cli(['plan', '--json', ...args], options);
  assert.equal(run.code, 0, run.stderr);
  return JSON.parse(run.stdout);
}

function tempFile(name, content) {
  const dir = mkdtempSync(join(tmpdir(), 'deliverybot-cli-'));
  writeFileSync(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
  return join(dir, name);
}

// The create requests the example would make, as the engine renders them.
const MARKER = { event: 'push', ref: 'refs/heads/master', run_url: 'https://github.com/Codertocat/Hello-World/actions/runs/0' };
const STAGING_BODY = {
  auto_merge: false,
  description: 'Staging rollout',
  environment: 'staging',
  payload: { deliverybot: MARKER, target: 'staging' },
  ref: SHA,
  required_contexts: [],
  task: 'deploy',
};
const PREVIEW_BODY = {
  auto_merge: false,
  description: 'Deploy master (6113728)',
  environment: 'preview',
  payload: { deliverybot: MARKER, target: 'preview' },
  production_environment: false,
  ref: SHA,
  required_contexts: [],
  task: 'deploy',
  transient_environment: true,
};

const decisions = (plan) => plan.decisions.map((d) => `${d.target} ${d.environment} ${d.decision}: ${d.reason}`);

// ── plan: the README's example ───────────────────────────────────────────────────────────────────

test('the README example plans the example push on a fresh machine: dist/ and the example files only', async () => {
  const fresh = mkdtempSync(join(tmpdir(), 'deliverybot-fresh-'));
  cpSync(join(ROOT, 'dist'), join(fresh, 'dist'), { recursive: true });
  mkdirSync(join(fresh, 'examples'));
  for (const file of ['deploy.yml', 'push.json']) cpSync(join(ROOT, 'examples', file), join(fresh, 'examples', file));
  const run = await cli(['plan', ...EXAMPLE], { cwd: fresh });
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stderr, '');
  assert.equal(
    run.stdout,
    [
      'Push to `master` at `6113728` (dry run: nothing was created): 0 deployments created.',
      '',
      'TARGET   ENVIRONMENT  COMMIT   DECISION      REASON',
      'staging  staging      6113728  would create  would create (dry run)',
      `  POST /repos/Codertocat/Hello-World/deployments ${JSON.stringify(STAGING_BODY)}`,
      'preview  preview      6113728  would create  would create (dry run)',
      `  POST /repos/Codertocat/Hello-World/deployments ${JSON.stringify(PREVIEW_BODY)}`,
      '',
      '1 other target is not deployed by this event.',
      '',
    ].join('\n'),
  );
});

test('the example push file is the real push payload from @octokit/webhooks-examples', () => {
  const expected = webhookExample('push', (p) => p.ref === 'refs/heads/master' && !p.deleted);
  assert.deepEqual(JSON.parse(readFileSync(join(ROOT, 'examples/push.json'), 'utf8')), expected);
});

test('colour only on a terminal: none when piped, some with FORCE_COLOR, none with NO_COLOR', async () => {
  const piped = await cli(['plan', ...EXAMPLE]);
  assert.doesNotMatch(piped.stdout, /\x1b\[/);
  const forced = await cli(['plan', ...EXAMPLE], { env: { FORCE_COLOR: '1' } });
  assert.match(forced.stdout, /\x1b\[32mwould create/);
  assert.equal(forced.stdout.replace(/\x1b\[\d+m/g, ''), piped.stdout);
  const refused = await cli(['plan', '--bogus'], { env: { NO_COLOR: '1' } });
  assert.doesNotMatch(refused.stderr, /\x1b\[/);
});

// ── plan: --json and the facts ───────────────────────────────────────────────────────────────────

test('--json gives the decisions, the outputs as JSON, the log and the requests, all reads', async () => {
  const plan = await planJson(EXAMPLE);
  assert.deepEqual(Object.keys(plan), ['event', 'repository', 'online', 'decisions', 'outputs', 'failure', 'summary', 'log', 'requests']);
  assert.equal(plan.event, 'push');
  assert.equal(plan.repository, 'Codertocat/Hello-World');
  assert.equal(plan.online, false);
  assert.equal(plan.failure, null);
  assert.deepEqual(plan.decisions[0], {
    target: 'staging',
    environment: 'staging',
    ref: 'refs/heads/master',
    sha: SHA,
    decision: 'would create',
    reason: 'would create (dry run)',
    request: { method: 'POST', path: '/repos/Codertocat/Hello-World/deployments', body: STAGING_BODY },
  });
  assert.deepEqual(plan.outputs.deployments, []);
  assert.deepEqual(plan.outputs.skipped, []);
  assert.match(plan.summary, /^### Deliverybot/);
  assert.ok(plan.log.some((line) => line.message === 'staging: refs/heads/master matches.'));
  assert.ok(plan.requests.length > 0);
  assert.ok(plan.requests.every((r) => r.method === 'GET' && r.status === 200), JSON.stringify(plan.requests));
  assert.equal(plan.requests[0].path, '/repos/Codertocat/Hello-World/contents/examples/deploy.yml');
});

test('a described push: --ref and --sha, with checks, deployments and locks from flags', async () => {
  const tag = ['--config', 'examples/deploy.yml', '--event', 'push', '--ref', 'refs/tags/v1.0.0', '--sha', SHA];
  assert.deepEqual(decisions(await planJson(tag)), ['production production waiting: waiting for ci (not reported yet)']);
  assert.deepEqual(decisions(await planJson([...tag, '--status', 'ci=pending'])), ['production production waiting: waiting for ci']);
  assert.deepEqual(decisions(await planJson([...tag, '--status', 'ci=success'])), ['production production would create: would create (dry run)']);
  assert.deepEqual(decisions(await planJson([...tag, '--check', 'ci=failure'])), ['production production blocked: blocked by ci']);
  assert.deepEqual(decisions(await planJson([...tag, '--check', 'ci=in_progress'])), ['production production waiting: waiting for ci']);

  const master = ['--config', 'examples/deploy.yml', '--event', 'push', '--ref', 'refs/heads/master', '--sha', SHA, '--repo', 'octo/app'];
  const plan = await planJson([...master, '--deployed', 'staging', '--deployed', `preview@${OTHER}`]);
  assert.equal(plan.repository, 'octo/app');
  assert.deepEqual(decisions(plan), ['staging staging already deployed: already deployed (deployment 1)', 'preview preview would create: would create (dry run)']);
  assert.deepEqual(plan.outputs.skipped, [{ target: 'staging', environment: 'staging', ref: 'refs/heads/master', sha: SHA, reason: 'already deployed (deployment 1)' }]);
  const locked = await planJson([...master, '--locked', 'preview=incident 42']);
  assert.deepEqual(locked.decisions.map((d) => d.decision), ['would create', 'locked']);
  assert.match(locked.decisions[1].reason, /incident 42/);
});

test('a described pull request: --event pull_request --pr N', async () => {
  const plan = await planJson(['--config', 'examples/original/review-apps.yml', '--event', 'pull_request', '--pr', '7', '--ref', 'feature/x', '--sha', SHA]);
  assert.deepEqual(decisions(plan), ['review pr7 would create: would create (dry run)']);
});

test('a dispatch described by --input: force under the sender\'s role (--permission), a task of its own', async () => {
  const dispatch = ['--config', 'examples/deploy.yml', '--event', 'workflow_dispatch', '--input', 'target=production', '--input', 'ref=v1.0.0', '--sha', SHA];
  assert.deepEqual(decisions(await planJson(dispatch)), ['production production waiting: waiting for ci (not reported yet)']);

  const forced = [...dispatch, '--input', 'force=true', '--input', 'task=deploy:hotfix'];
  // The sender (the repository's owner) has write unless told otherwise: force needs admin.
  const denied = await cli(['plan', '--json', ...forced]);
  assert.equal(denied.code, 1, denied.stderr);
  assert.match(JSON.parse(denied.stdout).failure, /@owner may not force a deploy of production: that needs the admin role .* and @owner has write$/);
  const plan = await planJson([...forced, '--permission', 'owner=admin']);
  assert.deepEqual(decisions(plan), ['production production would create: would create (dry run)']);
  assert.equal(plan.decisions[0].request.body.task, 'deploy:hotfix');
  assert.deepEqual(plan.decisions[0].request.body.required_contexts, []);
  assert.deepEqual(plan.requests.filter((r) => r.path.includes('collaborators')).map((r) => r.path), ['/repos/owner/repo/collaborators/owner/permission']);

  // A real payload, its inputs from flags: the sender is the payload's.
  const example = webhookExample('workflow_dispatch');
  example.repository = webhookExample('push').repository;
  const payload = tempFile('dispatch.json', example);
  const real = ['--config', 'examples/deploy.yml', '--event', 'workflow_dispatch', '--payload', payload, '--input', 'target=staging', '--input', 'force=true'];
  const facts = tempFile('facts.json', { sha: SHA, permissions: { [example.sender.login]: 'admin' } });
  assert.deepEqual(decisions(await planJson([...real, '--facts', facts])), ['staging staging would create: would create (dry run)']);

  // Parameters: a target that declares none takes any, as text.
  const params = await planJson([...dispatch, '--status', 'ci=success', '--input', 'params=region=eu note="two words"']);
  assert.deepEqual(params.decisions[0].request.body.payload.params, { region: 'eu', note: 'two words' });
});

test('a facts file: refs, statuses, deployments (a real status event, superseded or deployed)', async () => {
  const status = webhookExample('status');
  status.branches = [{ name: 'master', commit: { sha: status.sha } }];
  const payload = tempFile('status.json', status);
  const base = ['--config', 'examples/deploy.yml', '--event', 'status', '--payload', payload];

  const tip = await planJson(base);
  assert.deepEqual(decisions(tip), ['staging staging would create: would create (dry run)', 'preview preview would create: would create (dry run)']);

  const moved = tempFile('facts.json', { refs: { 'heads/master': OTHER } });
  assert.deepEqual(decisions(await planJson([...base, '--facts', moved])).map((d) => d.split(': ')[1]), ['superseded by f95f852', 'superseded by f95f852']);

  const facts = tempFile('facts.json', { statuses: { ci: 'success' }, deployments: [{ environment: 'staging', sha: status.sha }] });
  const plan = await planJson([...base, '--facts', facts]);
  assert.deepEqual(decisions(plan), ['staging staging already deployed: already deployed (deployment 1)', 'preview preview would create: would create (dry run)']);
});

test('paths: the files changed are facts (--changed, --deployed-by, or the facts file)', async () => {
  const config = tempFile('deploy.yml', "web:\n  auto_deploy_on: refs/heads/main\n  paths: ['web/**']\napi:\n  auto_deploy_on: refs/heads/main\n  environment: api\n  paths: ['api/**']\n");
  const push = ['--config', config, '--event', 'push', '--ref', 'refs/heads/main', '--sha', SHA];
  const first = await planJson(push);
  assert.deepEqual(first.decisions.map((d) => d.decision), ['would create', 'would create'], 'nothing deployed yet');
  assert.ok(first.log.some((l) => l.message === 'web: deploying without knowing whether its files changed: it has no earlier deployment to compare with.'));

  const since = [...push, '--deployed-by', `web@${OTHER}`, '--deployed-by', `api@${OTHER}`];
  assert.deepEqual(decisions(await planJson([...since, '--changed', 'api/main.go,README.md'])), [
    'web production unchanged: none of its files changed since f95f852',
    'api api would create: would create (dry run)',
  ]);
  const facts = tempFile('facts.json', { deployments: [{ sha: OTHER, payload: { target: 'web' } }, { environment: 'api', sha: OTHER, payload: { target: 'api' } }], changed: ['web/x'] });
  assert.deepEqual(decisions(await planJson([...push, '--facts', facts])).map((d) => d.split(': ')[0]), ['web production would create', 'api api unchanged']);
  // Without the files changed, nothing can be compared: each deploys, saying so.
  const unknown = await planJson(since);
  assert.deepEqual(unknown.decisions.map((d) => d.decision), ['would create', 'would create']);
  assert.ok(unknown.log.some((l) => l.message.endsWith('could not be compared: GitHub answered 404: Not Found (no changed files in the facts: give --changed).')), JSON.stringify(unknown.log));

  const bad = await cli(['plan', ...push, '--facts', tempFile('facts.json', { changed: 'web/x' })]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /`changed` must be a list of file paths/);
  assert.match((await cli(['plan', ...push, '--deployed-by', 'web'])).stderr, /--deployed-by takes TARGET@SHA/);
});

test('--verbose prints the engine log and each request on stderr', async () => {
  const run = await cli(['plan', ...EXAMPLE, '--verbose']);
  assert.equal(run.code, 0);
  assert.match(run.stderr, /^GET \/repos\/Codertocat\/Hello-World\/contents\/examples\/deploy\.yml\?ref=master → 200$/m);
  assert.match(run.stderr, /^staging: dry run, would create the deployment of 6113728 to staging\.$/m);
});

// ── plan: online, against the (fake) GitHub API ──────────────────────────────────────────────────

test('online behind a proxy (https_proxy, HTTP_PROXY, NO_PROXY): every request goes through it', async () => {
  const { fake, repo } = await exampleRepo();
  // The API is given a name that does not resolve: only the proxy knows where it is.
  const proxy = await startProxy({ hosts: { 'github.test': '127.0.0.1' } });
  try {
    repo.addDeployment({ ref: 'master', sha: SHA, environment: 'staging' });
    const api = `http://github.test:${new URL(fake.url).port}`;
    const env = { GITHUB_TOKEN: 'test-token', GITHUB_API_URL: api, HTTP_PROXY: proxy.url, https_proxy: 'http://127.0.0.1:9', NO_PROXY: '.example.com' };
    const plan = await planJson(['--event', 'push', '--payload', 'examples/push.json', '--repo', 'Codertocat/Hello-World', '--config', 'examples/deploy.yml'], { env });
    assert.deepEqual(plan.decisions.map((d) => `${d.target} ${d.decision}`), ['staging already deployed', 'preview would create']);
    assert.ok(fake.requests.length > 0);
    assert.deepEqual(proxy.passed.map(({ method, target }) => `${method} ${new URL(target).origin}${new URL(target).pathname}`), fake.requests.map((r) => `${r.method} ${api}${r.path}`));
  } finally {
    await proxy.close();
    await fake.close();
  }
});

test('online (--repo and GITHUB_TOKEN): facts from the API, reads only, the local config unless --remote-config', async () => {
  const { fake, repo } = await exampleRepo();
  try {
    repo.addDeployment({ ref: 'master', sha: SHA, environment: 'staging' });
    repo.setFile('master', '.github/deploy.yml', 'remote:\n  auto_deploy_on: refs/heads/master\n  environment: remote\n');
    const env = { GITHUB_TOKEN: 'test-token', GITHUB_API_URL: fake.url };
    const online = ['--event', 'push', '--payload', 'examples/push.json', '--repo', 'Codertocat/Hello-World'];

    const local = await planJson([...online, '--config', 'examples/deploy.yml'], { env });
    assert.equal(local.online, true);
    assert.deepEqual(local.decisions.map((d) => `${d.target} ${d.decision}`), ['staging already deployed', 'preview would create']);
    const remote = await planJson([...online, '--remote-config'], { env });
    assert.deepEqual(decisions(remote), ['remote remote would create: would create (dry run)']);
    assert.deepEqual(fake.writes(), []);
    assert.deepEqual(fake.invalid(), []);
    assert.ok(fake.requests.some((r) => r.path === '/repos/Codertocat/Hello-World/deployments'));
    // The config file is read from GitHub only with --remote-config.
    assert.equal(fake.requests.filter((r) => r.path.includes('/contents/')).length, 1);

    const offline = await planJson([...online, '--config', 'examples/deploy.yml', '--offline'], { env });
    assert.equal(offline.online, false);
    const refused = await cli(['plan', ...online, '--remote-config'], { env: { ...env, GITHUB_TOKEN: 'wrong' } });
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /GitHub answered 401/);
  } finally {
    await fake.close();
  }
});

test('a write reaching the facts responder is refused loudly', () => {
  const respond = factsResponder({ repository: 'octo/app', config: { path: 'deploy.yml', text: '' } });
  assert.equal(respond({ method: 'GET', path: '/repos/octo/app/contents/deploy.yml', query: [] }).status, 200);
  assert.throws(
    () => respond({ method: 'POST', path: '/repos/octo/app/deployments', query: [], body: {}, purpose: 'create the staging deployment' }),
    /asked to write \(POST \/repos\/octo\/app\/deployments: create the staging deployment\) during a plan; nothing was sent/,
  );
});

// ── plan: errors ─────────────────────────────────────────────────────────────────────────────────

const ERRORS = [
  ['an unknown flag', ['--bogus'], 2, /Unknown option '--bogus'/],
  ['no event', ['--payload', 'examples/push.json'], 2, /--event is required/],
  ['no payload', ['--event', 'push'], 2, /give --payload FILE, or --ref and --sha/],
  ['a missing payload file', ['--event', 'push', '--payload', 'nope.json'], 2, /cannot read the payload nope\.json: no such file/],
  ['a payload that is not JSON', ['--event', 'push', '--payload', 'examples/deploy.yml'], 2, /examples\/deploy\.yml is not a webhook payload: .*JSON/],
  ['a payload and --ref', ['--event', 'push', '--payload', 'examples/push.json', '--ref', 'refs/heads/x', '--sha', SHA], 2, /not both/],
  ['a short sha', ['--event', 'push', '--ref', 'refs/heads/main', '--sha', 'abc123'], 2, /--sha must be a full 40-character commit sha/],
  ['a ref that is not full', ['--event', 'push', '--ref', 'main', '--sha', SHA], 2, /--ref must be a full ref/],
  ['a pull request without --pr', ['--event', 'pull_request', '--ref', 'x', '--sha', SHA], 2, /needs --pr N/],
  ['a described event of another kind', ['--event', 'status', '--ref', 'refs/heads/x', '--sha', SHA], 2, /for `status` give --payload FILE/],
  ['a missing config', ['--event', 'push', '--payload', 'examples/push.json', '--config', 'nope.yml'], 2, /cannot read the config nope\.yml: no such file/],
  ['a missing facts file', [...EXAMPLE, '--facts', 'nope.json'], 2, /cannot read the facts nope\.json/],
  ['a malformed --status', [...EXAMPLE, '--status', 'ci'], 2, /--status takes CONTEXT=STATE/],
  ['--remote-config offline', [...EXAMPLE, '--remote-config'], 2, /--remote-config reads from GitHub: it needs --repo and GITHUB_TOKEN/],
  ['a bad --repo', [...EXAMPLE, '--repo', 'nope'], 2, /--repo must be owner\/name/],
  ['--input on an event that is no dispatch', [...EXAMPLE, '--input', 'force=true'], 2, /--input gives a dispatch's inputs .*not `push`'s/],
  ['a malformed --input', ['--event', 'workflow_dispatch', '--input', 'force', '--sha', SHA], 2, /--input takes NAME=VALUE/],
  ['a described dispatch without --sha', ['--event', 'workflow_dispatch', '--input', 'target=staging'], 2, /a dispatch described by --input needs --sha/],
  ['a described dispatch with --ref', ['--event', 'repository_dispatch', '--input', 'target=staging', '--ref', 'refs/heads/x', '--sha', SHA], 2, /--input ref=REF/],
  ['a malformed --permission', [...EXAMPLE, '--permission', 'octocat=owner'], 2, /--permission takes LOGIN=ROLE/],
];

for (const [what, args, code, message] of ERRORS) {
  test(`plan with ${what}: exit ${code}, the reason on stderr`, async () => {
    const run = await cli(['plan', ...args]);
    assert.equal(run.code, code, run.stderr);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, message);
  });
}

test('plan with a facts file of the wrong shape, or facts flags online: exit 2', async () => {
  const bad = tempFile('facts.json', { deployments: [{ sha: SHA }] });
  const run = await cli(['plan', ...EXAMPLE, '--facts', bad]);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /`deployments` must be a list of objects with an `environment`/);
  const online = await cli(['plan', ...EXAMPLE, '--repo', 'Codertocat/Hello-World', '--status', 'ci=success'], { env: { GITHUB_TOKEN: 'x' } });
  assert.equal(online.code, 2);
  assert.match(online.stderr, /--status gives facts offline/);
});

test('plan with an invalid config: exit 1, every problem at its position, nothing planned', async () => {
  const args = ['--event', 'push', '--payload', 'examples/push.json', '--config', 'tests/fixtures/configs/wrong-types.yml'];
  const run = await cli(['plan', ...args]);
  assert.equal(run.code, 1);
  assert.equal(run.stdout, '');
  assert.match(run.stderr, /^tests\/fixtures\/configs\/wrong-types\.yml:2:15: `auto_merge` must be true or false; this is the string "no"$/m);
  assert.match(run.stderr, /has 4 problems; nothing was planned/);
  const json = await cli(['plan', '--json', ...args]);
  assert.equal(json.code, 1);
  assert.deepEqual(JSON.parse(json.stdout).problems[0], { line: 2, column: 15, message: '`auto_merge` must be true or false; this is the string "no"' });
});

test('plan with a payload the event cannot have: exit 1 with the engine\'s reason', async () => {
  const payload = tempFile('push.json', { ref: 'refs/heads/master', repository: { full_name: 'octo/app', default_branch: 'main' } });
  const run = await cli(['plan', '--config', 'examples/deploy.yml', '--event', 'push', '--payload', payload]);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /the run would fail: the `push` event payload cannot be read: missing field `after` at line 1 column \d+/);
  const json = await cli(['plan', '--json', '--config', 'examples/deploy.yml', '--event', 'push', '--payload', payload]);
  assert.equal(json.code, 1);
  assert.match(JSON.parse(json.stdout).failure, /missing field `after` at line 1 column \d+/);
});

// ── schema, help ─────────────────────────────────────────────────────────────────────────────────

test('schema prints the JSON Schema of deploy.yml', async () => {
  const run = await cli(['schema']);
  assert.equal(run.code, 0);
  assert.deepEqual(JSON.parse(run.stdout), JSON.parse(readFileSync(join(ROOT, 'schema/deploy.schema.json'), 'utf8')));
  const extra = await cli(['schema', 'extra']);
  assert.equal(extra.code, 2);
  assert.match(extra.stderr, /deliverybot schema: unexpected extra/);
});

test('--version prints package.json\'s version, which the CLI\'s and the action\'s user agents carry', async () => {
  const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const run = await cli(['--version']);
  assert.equal(run.code, 0);
  assert.equal(run.stdout, `${version}\n`);
  // Built in: a copy of dist/cli.mjs and its chunks with no package.json anywhere above says the same.
  const bare = mkdtempSync(join(tmpdir(), 'deliverybot-cli-'));
  cpSync(join(ROOT, 'dist'), bare, { recursive: true });
  assert.equal(execFileSync(ACTION_NODE, [join(bare, 'cli.mjs'), '--version'], { encoding: 'utf8' }), `${version}\n`);

  const { fake, repo } = await exampleRepo();
  try {
    repo.setFile('master', '.github/deploy.yml', 'staging:\n  auto_deploy_on: refs/heads/master\n');
    await planJson([...EXAMPLE, '--repo', 'Codertocat/Hello-World'], { env: { GITHUB_TOKEN: 'test-token', GITHUB_API_URL: fake.url } });
    const { code } = await runAction({ fake, eventName: 'push', payload: JSON.parse(readFileSync(join(ROOT, 'examples/push.json'), 'utf8')), inputs: { 'dry-run': true } });
    assert.equal(code, 0);
    const agents = new Set(fake.requests.map((r) => r.headers['user-agent']));
    assert.deepEqual([...agents].sort(), [`deliverybot-action/${version}`, `deliverybot-cli/${version}`]);
  } finally {
    await fake.close();
  }
});

test('every command has --help; no command or an unknown one is a usage error', async () => {
  for (const command of ['validate', 'plan', 'schema', 'workflow']) {
    const run = await cli([command, '--help']);
    assert.equal(run.code, 0, command);
    assert.match(run.stdout, new RegExp(`^Usage: deliverybot ${command}`));
  }
  const help = await cli(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /plan +Show what Deliverybot would do/);
  assert.match(help.stdout, /workflow +Print the \.github\/workflows\/deliverybot\.yml that the config needs/);
  assert.equal((await cli([])).code, 2);
  const unknown = await cli(['deploy']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown command `deploy`/);
});

test('validate and plan read regular files only, and no further than the limit', async () => {
  // A FIFO with no writer would wait forever; /dev/zero never ends. Each is refused before a read.
  const dir = mkdtempSync(join(tmpdir(), 'deliverybot-cli-'));
  const fifo = join(dir, 'deploy.yml');
  execFileSync('mkfifo', [fifo]);
  const special = [['/dev/zero', 'a character device'], [fifo, 'a FIFO'], [dir, 'a directory']];
  for (const [path, kind] of special) {
    const run = await cli(['validate', path], { timeout: 20_000 });
    assert.equal(run.code, 2, `${path}: ${run.stderr}`);
    assert.equal(run.stderr, `deliverybot validate: cannot read ${path}: not a regular file (${kind})\n`);
    const plan = await cli(['plan', '--event', 'push', '--payload', path, '--config', 'examples/deploy.yml'], { timeout: 20_000 });
    assert.equal(plan.code, 2, `${path}: ${plan.stderr}`);
    assert.match(plan.stderr, new RegExp(`cannot read the payload ${path}: not a regular file \\(${kind}\\)`));
  }

  // 1 MiB is read; a byte more is over the limit, said as a problem of the file.
  const line = 'staging:\n  environment: staging\n';
  const atLimit = tempFile('deploy.yml', line + '#'.repeat(1024 * 1024 - line.length - 1) + '\n');
  const ok = await cli(['validate', atLimit]);
  assert.equal(ok.code, 0, ok.stderr);
  const over = tempFile('deploy.yml', line + '#'.repeat(1024 * 1024 - line.length) + '\n');
  const big = await cli(['validate', over]);
  assert.equal(big.code, 1);
  assert.equal(big.stderr, `${over}: the file is larger than 1048576 bytes, the limit (1 MiB)\n${over}: 1 problem\n`);
});
