#!/usr/bin/env node
// Jobs a day: how many jobs the Quick start's workflows start on a stated reference day of a busy
// repository, the all-events workflow (every push, status, CI run and a schedule) against the one
// `deliverybot workflow` generates for the same deploy.yml, and proof that the generated one misses no
// event on which Deliverybot deploys.
//
//   node bench/jobs.mjs            prints the Markdown table the README shows (dist/ must be built)
//   node bench/jobs.mjs --json     the measurement as JSON
//
// How it measures, with nothing taken on trust:
// - The generated workflow is the real CLI's output (dist/cli.mjs workflow) for the Quick start's
//   deploy.yml and a CI workflow (tests/fixtures/quickstart/).
// - Each workflow's `on:` and jobs are read with @actions/workflow-parser (GitHub's own parser, the one
//   its language services use); whether an event starts a run is decided from `on:` by GitHub's rules
//   (activity types and their defaults, branch and tag filters with their glob syntax), and whether the
//   run starts a job by evaluating each job's `if:` with @actions/expressions (the evaluator of the same
//   project) against the event's `github` context.
// - Every event is a real webhook payload (@octokit/webhooks-examples) with its fields set: branch,
//   action, state, context, commit.
// - Which events deploy is not argued but observed: the day is replayed against the fake GitHub of the
//   tests (tests/support), the engine (dist/lib.mjs `run()`) running on every event the all-events
//   workflow starts a job for, as GitHub would run it, while the fake's refs, pull requests, check runs
//   and statuses follow the day. An event "deploys" when its run creates a deployment or retires a
//   review environment. Each such event must start a job under the generated workflow; and the day
//   replayed again with only the generated workflow's jobs must end with the same deployments.
//
// A job is billed at least one minute on a private repository (a Deliverybot job takes seconds), so
// billed minutes are jobs. Concurrency is not modelled: a run still pending when a newer one of its
// group is queued is cancelled by GitHub, so both counts are what the triggers queue, an upper bound.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Octokit } from '@octokit/core';
import { build } from 'esbuild';
import { run } from '../dist/lib.mjs';
import { webhookExample } from '../tests/support/action.mjs';
import { startFakeGitHub } from '../tests/support/fake-github.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const FIXTURE = join(ROOT, 'tests/fixtures/quickstart');
/** The commit the generated workflow pins: any full sha does, the measurement does not depend on it. */
export const ACTION_REF = '0123456789abcdef0123456789abcdef01234567';
const REPOSITORY = 'Codertocat/Hello-World';
const DEFAULT_BRANCH = 'main';
const ZERO = '0'.repeat(40);

// ── the workflows ────────────────────────────────────────────────────────────────────────────────

/** The workflow `deliverybot workflow` prints for a config and a directory of workflows. */
export function generateWorkflow({ config = join(FIXTURE, 'deploy.yml'), workflows = join(FIXTURE, 'workflows') } = {}) {
  const cli = spawnSync(process.execPath, [join(ROOT, 'dist/cli.mjs'), 'workflow', '--config', config, '--workflows', workflows, '--action-ref', ACTION_REF], { encoding: 'utf8' });
  if (cli.status !== 0) throw new Error(`deliverybot workflow exited with ${cli.status}: ${cli.stderr}`);
  return cli.stdout;
}

/**
 * @actions/workflow-parser and the expression evaluator it is built on (@actions/expressions, its own
 * dependency, resolved from it), bundled for Node: the parser imports JSON without import attributes
 * (written for bundlers), which Node refuses; esbuild bundles it as it is meant (as tests/workflow.test.mjs).
 */
let parserModule;
async function workflowParser() {
  if (!parserModule) {
    const require = createRequire(import.meta.url);
    const out = join(mkdtempSync(join(tmpdir(), 'deliverybot-jobs-')), 'workflow-parser.cjs');
    const contents = [
      "export * from '@actions/workflow-parser';",
      "export { Evaluator, Lexer, Parser, data } from '@actions/expressions';",
      "export { truthy } from '@actions/expressions/result';",
    ].join('\n');
    const resolveDir = dirname(fileURLToPath(import.meta.resolve('@actions/workflow-parser')));
    await build({ stdin: { contents, resolveDir }, bundle: true, platform: 'node', format: 'cjs', outfile: out, logLevel: 'silent' });
    parserModule = require(out);
  }
  return parserModule;
}

/** A workflow's triggers (`on:`, as GitHub's parser normalises it) and jobs with their `if:` expression. */
export async function parseWorkflow(name, text) {
  const { parseWorkflow: parse, convertWorkflowTemplate, NoOperationTraceWriter } = await workflowParser();
  const parsed = parse({ name, content: text }, new NoOperationTraceWriter());
  const template = await convertWorkflowTemplate(parsed.context, parsed.value);
  const errors = parsed.context.errors.getErrors().map((e) => e.message);
  if (errors.length > 0) throw new Error(`${name}: ${errors.join('; ')}`);
  // The parser writes a job's `if:` as GitHub runs it: `success() && (...)`, or `success()` when none.
  const jobs = template.jobs.map((job) => ({ id: job.id.value, if: job.if?.expr ?? 'success()' }));
  return { name: text.match(/^name:\s*(.+)$/m)?.[1] ?? name, on: template.events, jobs };
}

// ── does an event start a job? ───────────────────────────────────────────────────────────────────

/**
 * A GitHub filter pattern (branches, tags, workflow_run's branches) as a RegExp: `*` matches any
 * characters but `/`, `**` any characters, `?` makes the character before it optional, `+` repeats it,
 * `[...]` is a class, `\` escapes the next character.
 */
export function filterPattern(pattern) {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*' && pattern[i + 1] === '*') { source += '.*'; i++; }
    else if (c === '*') source += '[^/]*';
    else if (c === '?' || c === '+') source += c;
    else if (c === '[') { const end = pattern.indexOf(']', i); source += pattern.slice(i, end + 1); i = end; }
    else if (c === '\\') source += pattern[++i].replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
    else source += c.replace(/[.^${}()|\\/-]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/** Whether `name` passes a list of patterns, GitHub's way: the last pattern that matches decides, `!` excludes. */
export function matchesFilters(name, patterns) {
  let included = false;
  for (const pattern of patterns) {
    const negated = pattern.startsWith('!');
    if (filterPattern(negated ? pattern.slice(1) : pattern).test(name)) included = !negated;
  }
  return included;
}

/** Include and ignore lists (`branches`, `branches-ignore`): a name passes if included and not ignored. */
function passes(name, include, ignore) {
  if (include) return matchesFilters(name, include);
  if (ignore) return !matchesFilters(name, ignore);
  return true;
}

// Activity types an event triggers on when `on:` names none (GitHub's documentation of each event).
const DEFAULT_TYPES = { pull_request: ['opened', 'synchronize', 'reopened'] };

/** Whether GitHub starts a run of a workflow with these triggers for an event. */
export function triggers(on, { name, payload, cron }) {
  if (!Object.hasOwn(on, name)) return false;
  const filter = on[name] ?? {};
  if (name === 'schedule') return filter.some((entry) => entry.cron === cron);
  const types = filter.types ?? DEFAULT_TYPES[name];
  if (types && payload.action !== undefined && !types.includes(payload.action)) return false;
  if (name === 'push') {
    const tag = payload.ref.startsWith('refs/tags/');
    const short = payload.ref.replace(/^refs\/(heads|tags)\//, '');
    const [kind, other] = tag ? ['tags', 'branches'] : ['branches', 'tags'];
    const has = (k) => filter[k] !== undefined || filter[`${k}-ignore`] !== undefined;
    // Filters for only one kind of ref: the other kind starts nothing.
    if (!has(kind)) return !has(other);
    return passes(short, filter[kind], filter[`${kind}-ignore`]);
  }
  if (name === 'pull_request') return passes(payload.pull_request.base.ref, filter.branches, filter['branches-ignore']);
  if (name === 'workflow_run') {
    if (!filter.workflows.includes(payload.workflow.name)) return false;
    return passes(payload.workflow_run.head_branch, filter.branches, filter['branches-ignore']);
  }
  return true;
}

// The status functions of a job's `if:`: a job that needs no other job starts as if all succeeded.
const STATUS_FUNCTIONS = { success: true, always: true, failure: false, cancelled: false };

/**
 * A job's `if:` evaluated against the event's `github` context, with GitHub's expression evaluator.
 * (After parseWorkflow, which loads it.)
 */
export function evaluateIf(expression, { name, payload }) {
  const { Evaluator, Lexer, Parser, data, truthy } = parserModule;
  const functions = new Map(Object.entries(STATUS_FUNCTIONS).map(([fn, value]) => [fn, { name: fn, minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(value) }]));
  const { tokens } = new Lexer(expression).lex();
  const ast = new Parser(tokens, ['github'], [...functions.values()]).parse();
  const github = { event_name: name, event: payload, ref: payload.ref ?? '', repository: REPOSITORY };
  const context = JSON.parse(JSON.stringify({ github }), data.reviver);
  return truthy(new Evaluator(ast, context, functions).evaluate());
}

/** The jobs a workflow starts for an event (their ids). */
export function jobsStarted(workflow, event) {
  if (!triggers(workflow.on, event)) return [];
  return workflow.jobs.filter((job) => evaluateIf(job.if, event)).map((job) => job.id);
}

// ── the reference day ────────────────────────────────────────────────────────────────────────────

const sha = (label) => createHash('sha1').update(`commit ${label}`).digest('hex');
const at = (hours, minutes = 0) => hours * 60 + minutes;
const clock = (time) => `${String(Math.floor(time / 60)).padStart(2, '0')}:${String(time % 60).padStart(2, '0')}`;

/**
 * The reference day, described. `features` pull requests from branches `feature-N`, each opened with
 * its first push, pushed to `pushesPerPull` times in all and merged into main (a merge commit), its
 * branch deleted; `mainPushes` more pushes straight to main; `developPushes` to a branch `develop` that
 * has no pull request; a release tag; `failedCi` CI runs that fail (one on main). Every branch push runs
 * CI (`on: push` and `pull_request`, so a pull request's pushes run it twice), every commit gets an
 * external service's `coverage` status, pending then success; comments on pull requests (plain, and a
 * `/lock` then `/unlock`), comments on issues.
 */
export const REFERENCE_DAY = { features: 6, pushesPerPull: 3, mainPushes: 4, developPushes: 12, tags: ['v1.4.0'], plainComments: 2, issueComments: 4, commands: true };

/** The day's events in order of time, each `{ time, kind, name, payload, apply(repo) }`. */
export function dayEvents(day = REFERENCE_DAY) {
  const events = [];
  const tips = new Map([[DEFAULT_BRANCH, sha('main at dawn')]]);
  const pulls = new Map(); // branch -> { number, head }
  let commits = 0;
  const add = (time, kind, name, payload, apply = () => {}) => events.push({ time, order: events.length, kind, name, payload, apply });

  const ciRun = (time, branch, commit, event, conclusion) => {
    const pull = pulls.get(branch);
    const pullRequests = pull ? [pullRef(pull.number, branch, commit)] : [];
    for (const [action, offset, status] of [['requested', 0, 'queued'], ['in_progress', 1, 'in_progress'], ['completed', 5, 'completed']]) {
      add(time + offset, 'CI runs (workflow_run)', 'workflow_run', workflowRunPayload({ action, branch, commit, event, status, conclusion: status === 'completed' ? conclusion : null, pullRequests }), (repo) =>
        repo.addCheckRun(commit, { name: 'ci', status, conclusion: status === 'completed' ? conclusion : null }));
    }
  };
  const coverage = (time, commit) => {
    for (const [state, offset] of [['pending', 1], ['success', 7]]) {
      add(time + offset, 'external statuses', 'status', null, (repo) => repo.addCommitStatus(commit, { context: 'coverage', state }));
      // Its branches are those whose tip the commit is when it is sent: filled in by the replay.
      events.at(-1).statusOf = { commit, state, context: 'coverage' };
    }
  };
  let failures = 0;
  const push = (time, branch, { fails = false } = {}) => {
    const before = tips.get(branch) ?? ZERO;
    const commit = sha(`${branch} ${++commits}`);
    tips.set(branch, commit);
    add(time, branch === DEFAULT_BRANCH ? 'pushes to main' : 'pushes to other branches', 'push', pushPayload(`refs/heads/${branch}`, before, commit), (repo) => {
      repo.setCommit(commit, { message: `Change ${commits} on ${branch}`, parents: before === ZERO ? [] : [before] });
      repo.setRef(`heads/${branch}`, commit);
    });
    if (fails) failures++;
    ciRun(time, branch, commit, 'push', fails ? 'failure' : 'success');
    coverage(time, commit);
    return commit;
  };

  // Work on develop, all day, every 40 minutes from 09:10; its 5th CI run fails.
  for (let i = 0; i < day.developPushes; i++) push(at(9, 10) + 40 * i, 'develop', { fails: i === 4 });
  // Pushes straight to main; the second's CI fails (staging is blocked until the next one).
  for (let i = 0; i < day.mainPushes; i++) push(at(9, 30) + 120 * i, DEFAULT_BRANCH, { fails: i === 1 });
  // The pull requests, one starting each hour from 09:00.
  for (let n = 1; n <= day.features; n++) {
    const branch = `feature-${n}`;
    const start = at(8 + n, 0);
    for (let p = 0; p < day.pushesPerPull; p++) {
      const time = start + 20 * p;
      const commit = push(time, branch);
      const action = p === 0 ? 'opened' : 'synchronize';
      if (p === 0) pulls.set(branch, { number: n, head: commit });
      pulls.get(branch).head = commit;
      add(time, 'pull requests', 'pull_request', pullPayload(n, action, branch, commit), (repo) => repo.setPull(n, { head: { ref: branch, sha: commit } }));
      ciRun(time, branch, commit, 'pull_request', 'success');
    }
    for (let c = 0; c < day.plainComments; c++) add(start + 10 + 20 * c, 'comments', 'issue_comment', commentPayload(n, 'Looks good to me.', true));
    if (day.commands && n === 2) {
      add(start + 12, 'comments', 'issue_comment', commentPayload(n, '/lock staging while we check the migration', true));
      add(start + 25, 'comments', 'issue_comment', commentPayload(n, '/unlock staging', true));
    }
    // Merged: the pull request closes, main gets the merge commit, the branch is deleted.
    const merged = start + 55;
    const head = pulls.get(branch).head;
    add(merged, 'pull requests', 'pull_request', pullPayload(n, 'closed', branch, head), (repo) => repo.setPull(n, { state: 'closed', merged: true, head: { ref: branch, sha: head } }));
    pulls.delete(branch);
    push(merged, DEFAULT_BRANCH);
    add(merged + 1, 'branch deletions', 'push', { ...pushPayload(`refs/heads/${branch}`, head, ZERO), deleted: true, created: false, head_commit: null }, (repo) => repo.refs.delete(`heads/${branch}`));
    tips.delete(branch);
  }
  for (let i = 0; i < day.issueComments; i++) add(at(10, 15) + 120 * i, 'comments', 'issue_comment', commentPayload(100 + i, 'Can we schedule this for next sprint?', false));
  // The release: a tag on main's last commit, at 17:00.
  const release = [...events].filter((e) => e.name === 'push' && e.payload.ref === `refs/heads/${DEFAULT_BRANCH}`).sort((a, b) => a.time - b.time).at(-1).payload.after;
  for (const tag of day.tags) add(at(17), 'tags', 'push', pushPayload(`refs/tags/${tag}`, ZERO, release), (repo) => repo.setRef(`tags/${tag}`, release));

  events.sort((a, b) => a.time - b.time || a.order - b.order);
  // A status names the branches whose tip its commit is when it is sent.
  const refs = new Map([[DEFAULT_BRANCH, sha('main at dawn')]]);
  for (const event of events) {
    if (event.name === 'push' && event.payload.ref.startsWith('refs/heads/')) {
      const branch = event.payload.ref.slice('refs/heads/'.length);
      if (event.payload.deleted) refs.delete(branch);
      else refs.set(branch, event.payload.after);
    }
    if (event.statusOf) event.payload = statusPayload(event.statusOf, [...refs].filter(([, tip]) => tip === event.statusOf.commit).map(([branch]) => branch));
  }
  return { events, commits, failures, dawn: sha('main at dawn'), day };
}

/** Schedule events of a workflow's `on.schedule` over a day (minute and hour fields; the others `*`). */
export function scheduleEvents(on) {
  const events = [];
  for (const { cron } of on.schedule ?? []) {
    const [minute, hour, ...rest] = cron.trim().split(/\s+/);
    if (rest.some((field) => field !== '*')) throw new Error(`schedule ${cron}: only minute and hour fields are modelled`);
    for (let time = 0; time < 24 * 60; time++) {
      if (cronField(minute, time % 60) && cronField(hour, Math.floor(time / 60))) {
        events.push({ time, order: -1, kind: 'schedule', name: 'schedule', cron, payload: { schedule: cron, repository: repositoryPayload() }, apply: () => {} });
      }
    }
  }
  return events;
}

function cronField(field, value) {
  return field.split(',').some((part) => {
    const [range, step = '1'] = part.split('/');
    const [low, high] = range === '*' ? [0, 59] : range.includes('-') ? range.split('-').map(Number) : [Number(range), part.includes('/') ? 59 : Number(range)];
    return value >= low && value <= high && (value - low) % Number(step) === 0;
  });
}

// ── payloads: real examples with their fields set ────────────────────────────────────────────────

function repositoryPayload() {
  return { ...webhookExample('push').repository, default_branch: DEFAULT_BRANCH, master_branch: DEFAULT_BRANCH };
}

function pushPayload(ref, before, after) {
  const payload = webhookExample('push', (p) => p.ref.startsWith('refs/heads/') && !p.deleted);
  Object.assign(payload, { ref, before, after, created: before === ZERO, deleted: false, forced: false, base_ref: null, compare: '', repository: repositoryPayload() });
  payload.commits = [{ ...payload.head_commit, id: after, tree_id: after }];
  payload.head_commit = payload.commits[0];
  return payload;
}

function pullRef(number, branch, commit) {
  const repo = { id: webhookExample('push').repository.id, url: `https://api.github.com/repos/${REPOSITORY}`, name: 'Hello-World' };
  return { url: `https://api.github.com/repos/${REPOSITORY}/pulls/${number}`, id: number, number, head: { ref: branch, sha: commit, repo }, base: { ref: DEFAULT_BRANCH, sha: ZERO, repo } };
}

function pullPayload(number, action, branch, commit) {
  const payload = webhookExample('pull_request', (p) => p.action === 'opened');
  const repository = repositoryPayload();
  const pull = payload.pull_request;
  Object.assign(pull, { number, state: action === 'closed' ? 'closed' : 'open', merged: action === 'closed', draft: false, title: `Feature ${number}` });
  Object.assign(pull.head, { ref: branch, sha: commit, label: `Codertocat:${branch}`, repo: repository });
  Object.assign(pull.base, { ref: DEFAULT_BRANCH, label: `Codertocat:${DEFAULT_BRANCH}`, repo: repository });
  return { ...payload, action, number, repository };
}

function workflowRunPayload({ action, branch, commit, event, status, conclusion, pullRequests }) {
  const payload = webhookExample('workflow_run', (p) => p.action === 'completed');
  Object.assign(payload.workflow_run, { name: 'CI', event, head_branch: branch, head_sha: commit, status, conclusion, pull_requests: pullRequests });
  payload.workflow_run.head_commit = { ...payload.workflow_run.head_commit, id: commit, tree_id: commit };
  payload.workflow = { ...payload.workflow, name: 'CI', path: '.github/workflows/ci.yml' };
  return { ...payload, action, repository: repositoryPayload() };
}

function statusPayload({ commit, state, context }, branches) {
  const payload = webhookExample('status');
  Object.assign(payload, { sha: commit, state, context, description: null, target_url: null, repository: repositoryPayload() });
  payload.commit = { ...payload.commit, sha: commit };
  payload.branches = branches.map((name) => ({ name, commit: { sha: commit, url: '' }, protected: false }));
  return payload;
}

function commentPayload(number, body, onPull) {
  const payload = webhookExample('issue_comment', (p) => p.action === 'created');
  payload.issue = { ...payload.issue, number, state: 'open' };
  if (onPull) payload.issue.pull_request = { url: `https://api.github.com/repos/${REPOSITORY}/pulls/${number}` };
  else delete payload.issue.pull_request;
  payload.comment = { ...payload.comment, body };
  return { ...payload, repository: repositoryPayload() };
}

// ── the replay: which events deploy ──────────────────────────────────────────────────────────────

// What a deploying run writes: a deployment, or a status (inactive) retiring a review environment.
const DEPLOYING_WRITE = /^\/repos\/[^/]+\/[^/]+\/deployments(\/\d+\/statuses)?$/;

/**
 * Replays the day against a fake GitHub, the engine running (as a job of the given name) on each event
 * for which `jobsFor(event)` names one. Returns the events whose run deployed (with what it wrote), and
 * the deployments at the end of the day.
 */
export async function replay({ config, dawn, events, jobsFor }) {
  const fake = await startFakeGitHub();
  try {
    const repo = fake.repo(REPOSITORY, { defaultBranch: DEFAULT_BRANCH });
    repo.setCommit(dawn, { message: 'Yesterday' });
    repo.setRef(`heads/${DEFAULT_BRANCH}`, dawn);
    repo.setFile(DEFAULT_BRANCH, '.github/deploy.yml', config);
    repo.setPermission(webhookExample('issue_comment').comment.user.login, 'write');
    const executor = new Octokit({ auth: 'test-token', baseUrl: fake.url });
    const deploying = [];
    let runs = 0;
    for (const event of events) {
      event.apply(repo);
      for (const job of jobsFor(event)) {
        runs++;
        const from = fake.requests.length;
        const refName = event.payload.ref?.replace(/^refs\/(heads|tags)\//, '') ?? DEFAULT_BRANCH;
        const result = await run({ eventName: event.name, payload: event.payload, context: { repository: REPOSITORY, job, ref_name: refName, run_id: String(runs) }, executor });
        if (result.failure) throw new Error(`${clock(event.time)} ${describe(event)}: the run failed: ${result.failure}`);
        const writes = fake.requests.slice(from).filter((r) => r.method === 'POST' && DEPLOYING_WRITE.test(r.path) && r.status < 300);
        if (writes.length > 0) deploying.push({ event, writes: writes.length, decisions: result.decisions.filter((d) => d.decision === 'created').map((d) => `${d.environment}@${d.sha.slice(0, 7)}`) });
      }
    }
    const invalid = fake.invalid();
    if (invalid.length > 0) throw new Error(`requests GitHub would refuse: ${invalid.map((r) => `${r.method} ${r.path}`).join(', ')}`);
    const deployments = repo.deployments.map((d) => `${d.environment}@${d.sha.slice(0, 7)}${repo.deploymentStatuses.get(d.id).some((s) => s.state === 'inactive') ? ' (retired)' : ''}`);
    return { runs, deploying, deployments };
  } finally {
    await fake.close();
  }
}

/** An event in words, for messages: `push refs/heads/main`, `workflow_run completed (CI on feature-1)`. */
export function describe({ name, payload, cron }) {
  if (name === 'push') return `push ${payload.ref}${payload.deleted ? ' (deleted)' : ''}`;
  if (name === 'pull_request') return `pull_request ${payload.action} #${payload.number}`;
  if (name === 'workflow_run') return `workflow_run ${payload.action} (${payload.workflow.name} on ${payload.workflow_run.head_branch}, ${payload.workflow_run.conclusion ?? payload.workflow_run.status})`;
  if (name === 'status') return `status ${payload.context} ${payload.state}`;
  if (name === 'issue_comment') return `issue_comment on #${payload.issue.number}: ${payload.comment.body.split(' ')[0]}`;
  if (name === 'schedule') return `schedule ${cron}`;
  return name;
}

// The table's rows, in this order.
const KINDS = ['pushes to main', 'pushes to other branches', 'branch deletions', 'tags', 'pull requests', 'CI runs (workflow_run)', 'external statuses', 'comments', 'schedule'];

// ── the measurement ──────────────────────────────────────────────────────────────────────────────

/**
 * Measures a day: jobs per event kind under each setup (a list of parsed workflows), the events whose
 * run deploys when Deliverybot hears everything the all-events setup starts it for, and whether the
 * generated workflow starts a job for each of them and, replayed alone, ends the day with the same
 * deployments.
 */
export async function measure({
  day = REFERENCE_DAY,
  config = join(FIXTURE, 'deploy.yml'),
  workflows = join(FIXTURE, 'workflows'),
  allEvents = [join(FIXTURE, 'all-events.yml'), join(FIXTURE, 'commands.yml')],
  generatedText = generateWorkflow({ config, workflows }),
} = {}) {
  const setups = {
    allEvents: await Promise.all(allEvents.map((path) => parseWorkflow(path.split('/').at(-1), readFileSync(path, 'utf8')))),
    generated: [await parseWorkflow('deliverybot.yml', generatedText)],
  };
  const built = dayEvents(day);
  const schedules = Object.values(setups).flat().flatMap((workflow) => scheduleEvents(workflow.on));
  const events = [...built.events, ...schedules].sort((a, b) => a.time - b.time || a.order - b.order);
  const jobsFor = (setup) => (event) => setup.flatMap((workflow) => jobsStarted(workflow, event));

  const kinds = new Map();
  for (const event of events) {
    const row = kinds.get(event.kind) ?? { kind: event.kind, events: 0, allEvents: 0, generated: 0, deploying: 0, deployingStarted: 0 };
    row.events++;
    row.allEvents += jobsFor(setups.allEvents)(event).length;
    row.generated += jobsFor(setups.generated)(event).length;
    kinds.set(event.kind, row);
  }
  const configText = readFileSync(config, 'utf8');
  const heard = await replay({ config: configText, dawn: built.dawn, events, jobsFor: jobsFor(setups.allEvents) });
  const missed = [];
  for (const { event } of heard.deploying) {
    const row = kinds.get(event.kind);
    row.deploying++;
    if (jobsFor(setups.generated)(event).includes('deliver')) row.deployingStarted++;
    else missed.push(`${clock(event.time)} ${describe(event)}`);
  }
  const alone = await replay({ config: configText, dawn: built.dawn, events, jobsFor: jobsFor(setups.generated) });
  const rows = [...kinds.values()].sort((a, b) => KINDS.indexOf(a.kind) - KINDS.indexOf(b.kind));
  const total = (key) => rows.reduce((sum, row) => sum + row[key], 0);
  return {
    day: built.day,
    commits: built.commits,
    failures: built.failures,
    generatedText,
    rows,
    totals: { events: events.length, allEvents: total('allEvents'), generated: total('generated'), deploying: total('deploying'), deployingStarted: total('deployingStarted') },
    missed,
    deployments: { allEvents: heard.deployments, generated: alone.deployments },
    deployingEvents: heard.deploying.map(({ event, decisions, writes }) => ({ at: clock(event.time), event: describe(event), created: decisions, writes })),
  };
}

// ── the table ────────────────────────────────────────────────────────────────────────────────────

/** The measurement as the Markdown the README shows. */
export function markdown(m) {
  const { day } = m;
  const rows = m.rows.map((r) => `| ${r.kind} | ${r.events} | ${r.allEvents} | ${r.generated} | ${r.deploying} | ${r.deployingStarted} |`);
  const same = JSON.stringify(m.deployments.allEvents) === JSON.stringify(m.deployments.generated);
  return [
    `| events of the day | events | jobs, all events | jobs, generated | events that deploy or retire | of them, started by the generated |`,
    `|---|---:|---:|---:|---:|---:|`,
    ...rows,
    `| **total** | **${m.totals.events}** | **${m.totals.allEvents}** | **${m.totals.generated}** | **${m.totals.deploying}** | **${m.totals.deployingStarted}** |`,
    `| **billed minutes** (at least 1 a job) | | **${m.totals.allEvents}** | **${m.totals.generated}** | | |`,
    '',
    `The day: ${day.features} pull requests from \`feature-N\` branches, each opened with its first push, pushed ${day.pushesPerPull} times, merged into \`main\` (a merge commit) and its branch deleted; ` +
      `${day.mainPushes} more pushes straight to \`main\`; ${day.developPushes} pushes to \`develop\`, which has no pull request: ${m.commits} pushes over ${day.features + 2} branches, and the tag \`${day.tags.join('`, `')}\`. ` +
      `CI (\`on: [push, pull_request]\`, job \`ci\`) runs on every push and on every push to a pull request (requested, in_progress and completed each), ${m.failures} runs failing (one on \`main\`); ` +
      `an external service posts a \`coverage\` status on every commit, pending then success; ` +
      `${day.features * day.plainComments} comments on pull requests${day.commands ? ', `/lock staging` and `/unlock staging`' : ''} and ${day.issueComments} on issues. ` +
      `"All events" is the workflow below, with the [commands workflow](#pull-request-commands) for comments; an event deploys when Deliverybot's run on it creates a deployment or retires a review environment, ` +
      `observed by running the engine on every event the all-events workflows start. ` +
      (same ? `Replayed with only the generated workflow's jobs, the day ends with the same ${m.deployments.generated.length} deployments.` : `Replayed with only the generated workflow's jobs, the day ends with OTHER deployments.`),
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const m = await measure();
  if (process.argv.includes('--json')) console.log(JSON.stringify(m, null, 2));
  else console.log(markdown(m));
  if (m.missed.length > 0 || JSON.stringify(m.deployments.allEvents) !== JSON.stringify(m.deployments.generated)) {
    console.error(`missed by the generated workflow: ${m.missed.join('; ') || 'none'}; deployments ${JSON.stringify(m.deployments)}`);
    process.exitCode = 1;
  }
}
