// bench/jobs.mjs, the measurement behind the Quick start's table: its reading of `on:` and of a job's
// `if:` held against the generator's own output, a small day on which the generated workflow must start
// a job for every event that deploys and no more jobs than the all-events workflow, a generated workflow
// with a trigger removed caught missing deploys, and the README showing the fixtures and the table the
// script prints for the reference day.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ACTION_REF, FIXTURE, REFERENCE_DAY, generateWorkflow, jobsStarted, markdown, matchesFilters, measure, parseWorkflow, triggers } from '../bench/jobs.mjs';
import { webhookExample } from './support/action.mjs';

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const COMMANDS = readFileSync(new URL('../docs/commands.md', import.meta.url), 'utf8');
const fixture = (path) => readFileSync(join(FIXTURE, path), 'utf8');

/** The generated workflow for a config (and a CI workflow), parsed. */
async function generatedFor(config, ci = fixture('workflows/ci.yml')) {
  const dir = mkdtempSync(join(tmpdir(), 'deliverybot-jobs-'));
  mkdirSync(join(dir, 'workflows'));
  writeFileSync(join(dir, 'deploy.yml'), config);
  writeFileSync(join(dir, 'workflows/ci.yml'), ci);
  return parseWorkflow('deliverybot.yml', generateWorkflow({ config: join(dir, 'deploy.yml'), workflows: join(dir, 'workflows') }));
}

const push = (ref, fields = {}) => ({ name: 'push', payload: { ...webhookExample('push', (p) => !p.deleted), ref, ...fields } });
const status = (state, context) => ({ name: 'status', payload: { ...webhookExample('status'), state, context } });
const checkRun = (conclusion, name) => {
  const payload = webhookExample('check_run', (p) => p.action === 'completed');
  return { name: 'check_run', payload: { ...payload, check_run: { ...payload.check_run, conclusion, name } } };
};
const comment = (body, onPull) => {
  const payload = webhookExample('issue_comment', (p) => p.action === 'created');
  if (onPull) payload.issue.pull_request = { url: 'https://api.github.com/repos/Codertocat/Hello-World/pulls/1' };
  else delete payload.issue.pull_request;
  return { name: 'issue_comment', payload: { ...payload, comment: { ...payload.comment, body } } };
};
const workflowRun = (action, workflow, branch) => {
  const payload = webhookExample('workflow_run', (p) => p.action === 'completed');
  return { name: 'workflow_run', payload: { ...payload, action, workflow: { ...payload.workflow, name: workflow }, workflow_run: { ...payload.workflow_run, head_branch: branch } } };
};
const pullRequest = (action) => ({ name: 'pull_request', payload: { ...webhookExample('pull_request', (p) => p.action === 'opened'), action } });

test('GitHub\'s filter patterns: * stops at a slash, ** does not, ! excludes, the last match decides', () => {
  assert.ok(matchesFilters('main', ['main']));
  assert.ok(!matchesFilters('maint', ['main']));
  assert.ok(matchesFilters('v1.4.0', ['v**']) && matchesFilters('v1/hotfix', ['v**']));
  assert.ok(matchesFilters('release-1', ['release-*']) && !matchesFilters('release-1/a', ['release-*']));
  assert.ok(!matchesFilters('release-old', ['release-*', '!release-old']));
  assert.ok(matchesFilters('release-old', ['!release-old', 'release-*']));
  assert.ok(matchesFilters('v1.0', ['v1.?0']) && matchesFilters('v10', ['v1.?0']) && !matchesFilters('v1x0', ['v1.?0']));
  // A filter the script does not model is refused, not read as no filter.
  assert.throws(() => triggers({ push: { paths: ['src/**'] } }, push('refs/heads/main')), /on\.push\.paths is not modelled/);
});

test('the generator\'s patterns, escapes included, let through exactly the refs its targets deploy', async () => {
  const workflow = await generatedFor('rel:\n  auto_deploy_on: refs/heads/release+1/*\nt:\n  auto_deploy_on: refs/tags/v[1]*\n');
  const started = (event) => jobsStarted(workflow, event).length > 0;
  assert.ok(started(push('refs/heads/release+1/a/b')));
  assert.ok(!started(push('refs/heads/release1/a')), '+ is the character, not a repetition');
  assert.ok(!started(push('refs/heads/main')));
  assert.ok(started(push('refs/tags/v[1]-rc')));
  assert.ok(!started(push('refs/tags/v1.0.0')), '[1] is the characters, not a class');
  assert.ok(!started(push('refs/heads/release+1/a', { deleted: true })), 'a deletion starts no job');
});

test('the generator\'s job conditions, evaluated: only a status or check run that can deploy, only commands on pull requests', async () => {
  // The fixture of tests/workflow.test.mjs: a workflow CI makes `test`, `ci/external` and `security/scan` come from outside.
  const workflow = await parseWorkflow('deliverybot.yml', readFileSync(new URL('fixtures/workflow/deliverybot.yml', import.meta.url), 'utf8'));
  const jobs = (event) => jobsStarted(workflow, event);
  assert.deepEqual(jobs(status('success', 'ci/external')), ['deliver']);
  assert.deepEqual(jobs(status('pending', 'ci/external')), []);
  assert.deepEqual(jobs(status('failure', 'ci/external')), []);
  assert.deepEqual(jobs(status('success', 'coverage')), []);
  assert.deepEqual(jobs(checkRun('success', 'security/scan')), ['deliver']);
  assert.deepEqual(jobs(checkRun('neutral', 'ci/external')), ['deliver']);
  assert.deepEqual(jobs(checkRun('failure', 'security/scan')), []);
  assert.deepEqual(jobs(checkRun('success', 'lint')), []);
  assert.deepEqual(jobs(comment('/deploy review', true)), ['command']);
  assert.deepEqual(jobs(comment('/deploy review', false)), []);
  assert.deepEqual(jobs(comment('Looks good', true)), []);
  assert.deepEqual(jobs(push('refs/heads/main')), ['deliver']);
  assert.deepEqual(jobs(push('refs/heads/main', { deleted: true })), []);
  assert.deepEqual(jobs(push('refs/heads/develop')), []);
  // Activity types and workflow names: a requested run, another workflow, a label.
  assert.deepEqual(jobs(workflowRun('completed', 'CI', 'main')), ['deliver']);
  assert.deepEqual(jobs(workflowRun('requested', 'CI', 'main')), []);
  assert.deepEqual(jobs(workflowRun('completed', 'Docs', 'main')), []);
  assert.deepEqual(jobs(workflowRun('completed', 'CI', 'develop')), []);
  assert.deepEqual(jobs(pullRequest('closed')), ['deliver']);
  assert.deepEqual(jobs(pullRequest('labeled')), []);
});

test('the all-events workflow: every push, status and CI completion, pull requests of its types only', async () => {
  const workflow = await parseWorkflow('all-events.yml', fixture('all-events.yml'));
  const jobs = (event) => jobsStarted(workflow, event);
  assert.deepEqual(jobs(push('refs/heads/develop', { deleted: true })), ['deliver']);
  assert.deepEqual(jobs(status('pending', 'coverage')), ['deliver']);
  assert.deepEqual(jobs(workflowRun('completed', 'CI', 'feature')), ['deliver']);
  assert.deepEqual(jobs(workflowRun('in_progress', 'CI', 'main')), []);
  assert.deepEqual(jobs(pullRequest('labeled')), []);
  assert.deepEqual(jobs(comment('/deploy review', true)), [], 'comments are the commands workflow\'s');
  assert.deepEqual(jobsStarted(await parseWorkflow('commands.yml', fixture('commands.yml')), comment('/lock staging', true)), ['command']);
});

const SMALL_DAY = { features: 1, pushesPerPull: 2, mainPushes: 2, developPushes: 2, tags: ['v0.1.0'], plainComments: 1, issueComments: 1, commands: true };

test('on a small day the generated workflow starts a job for every event that deploys, and fewer jobs', async () => {
  const m = await measure({ day: SMALL_DAY });
  assert.deepEqual(m.missed, []);
  assert.deepEqual(m.deployments.generated, m.deployments.allEvents);
  assert.ok(m.totals.generated < m.totals.allEvents, `${m.totals.generated} jobs generated, ${m.totals.allEvents} all events`);
  // Not vacuous: the day deploys staging after CI, a review environment, production on the tag, and retires.
  const environments = m.deployingEvents.flatMap((e) => e.created.map((d) => d.split('@')[0]));
  assert.deepEqual([...new Set(environments)].sort(), ['pr1', 'production', 'staging']);
  assert.ok(m.deployingEvents.some((e) => e.event.startsWith('workflow_run completed') && e.created.some((d) => d.startsWith('staging@'))), JSON.stringify(m.deployingEvents));
  assert.ok(m.deployingEvents.some((e) => e.event === 'pull_request closed #1' && e.writes > 0));
  assert.equal(m.totals.deploying, m.totals.deployingStarted);
});

test('a generated workflow without a trigger it needs is caught: the deploys it misses are named', async () => {
  const generated = generateWorkflow();
  const withoutCi = generated.replace(/ {2}workflow_run:.*\n( {4}.*\n)+/, '');
  assert.notEqual(withoutCi, generated);
  const m = await measure({ day: SMALL_DAY, generatedText: withoutCi });
  assert.ok(m.missed.length > 0);
  assert.match(m.missed[0], /^\d\d:\d\d workflow_run completed \(CI on main, success\)$/);
  assert.notDeepEqual(m.deployments.generated, m.deployments.allEvents);
});

/** The ```yaml blocks of the README's Quick start, out of their list item's indentation. */
function quickStartBlocks() {
  const section = README.slice(README.indexOf('## Quick start'), README.indexOf('\n## ', README.indexOf('## Quick start') + 1));
  return [...section.matchAll(/^( *)```yaml\n([\s\S]*?)^ *```$/gm)].map(([, indent, body]) => body.split('\n').map((line) => line.slice(indent.length)).join('\n'));
}

test('the README\'s Quick start shows the fixtures, the generated workflow and the measured table', async () => {
  const [deploy, generated, allEvents] = quickStartBlocks();
  assert.equal(deploy, fixture('deploy.yml'));
  assert.equal(generated, `# .github/workflows/deliverybot.yml\n${generateWorkflow().replaceAll(ACTION_REF, '<sha>')}`);
  assert.equal(allEvents, fixture('all-events.yml'));
  assert.ok(COMMANDS.includes(fixture('commands.yml')), 'the commands workflow is docs/commands.md\'s, which the Quick start links to');
  assert.ok(README.includes('[commands workflow](docs/commands.md)'));
  const m = await measure({ day: REFERENCE_DAY });
  assert.deepEqual(m.missed, []);
  assert.ok(README.includes(markdown(m)), `the README's table is not the script's; run node bench/jobs.mjs:\n${markdown(m)}`);
});
