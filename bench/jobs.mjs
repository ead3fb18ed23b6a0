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
//   action, state, context, commit (the day: bench/jobs-day.mjs).
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
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Octokit } from '@octokit/core';
import { build } from 'esbuild';
import { run } from '../dist/lib.mjs';
import { webhookExample } from '../tests/support/action.mjs';
import { startFakeGitHub } from '../tests/support/fake-github.mjs';
import { DEFAULT_BRANCH, REFERENCE_DAY, REPOSITORY, clock, dayEvents, scheduleEvents } from './jobs-day.mjs';

export { REFERENCE_DAY };

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const FIXTURE = join(ROOT, 'tests/fixtures/quickstart');
/** The commit the generated workflow pins: any full sha does, the measurement does not depend on it. */
export const ACTION_REF = '0123456789abcdef0123456789abcdef01234567';

// ── the workflows ────────────────────────────────────────────────────────────────────────────────

/**
 * The workflow `deliverybot workflow` prints for a config and a directory of workflows, run as a user
 * runs it: in a repository where they are `.github/deploy.yml` and `.github/workflows/`.
 */
export function generateWorkflow({ config = join(FIXTURE, 'deploy.yml'), workflows = join(FIXTURE, 'workflows') } = {}) {
  const repository = mkdtempSync(join(tmpdir(), 'deliverybot-jobs-'));
  cpSync(config, join(repository, '.github/deploy.yml'));
  cpSync(workflows, join(repository, '.github/workflows'), { recursive: true });
  const args = ['workflow', '--config', '.github/deploy.yml', '--workflows', '.github/workflows', '--action-ref', ACTION_REF];
  const cli = spawnSync(process.execPath, [join(ROOT, 'dist/cli.mjs'), ...args], { cwd: repository, encoding: 'utf8' });
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
  return { on: template.events, jobs };
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

// The filters modelled, by event; another (`paths`, say) is refused rather than read as no filter.
const MODELLED_FILTERS = {
  push: ['branches', 'branches-ignore', 'tags', 'tags-ignore'],
  pull_request: ['types', 'branches', 'branches-ignore'],
  workflow_run: ['workflows', 'types', 'branches', 'branches-ignore'],
  workflow_dispatch: ['inputs'],
};

/** Whether GitHub starts a run of a workflow with these triggers for an event. */
export function triggers(on, { name, payload, cron }) {
  if (!Object.hasOwn(on, name)) return false;
  const filter = on[name] ?? {};
  if (name === 'schedule') return filter.some((entry) => entry.cron === cron);
  const unmodelled = Object.keys(filter).filter((key) => !(MODELLED_FILTERS[name] ?? ['types']).includes(key));
  if (unmodelled.length > 0) throw new Error(`on.${name}.${unmodelled[0]} is not modelled`);
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
  const completed = built.events.filter((e) => e.name === 'workflow_run' && e.payload.action === 'completed').map((e) => e.payload.workflow_run);
  const pushes = built.events.filter((e) => e.name === 'push' && e.payload.ref.startsWith('refs/heads/') && !e.payload.deleted);
  return {
    day: built.day,
    commits: built.commits,
    pushes: pushes.length,
    schedules: [...new Set(schedules.map((e) => e.cron))].map((cron) => ({ cron, runs: schedules.filter((e) => e.cron === cron).length })),
    branches: new Set(pushes.map((e) => e.payload.ref)).size,
    ci: { runs: completed.length, failures: completed.filter((r) => r.conclusion === 'failure').length, failuresOnMain: completed.filter((r) => r.conclusion === 'failure' && r.head_branch === DEFAULT_BRANCH).length },
    generatedText,
    rows,
    totals: { events: events.length, allEvents: total('allEvents'), generated: total('generated'), deploying: total('deploying'), deployingStarted: total('deployingStarted') },
    missed,
    deployments: { allEvents: heard.deployments, generated: alone.deployments },
    deployingEvents: heard.deploying.map(({ event, decisions, writes }) => ({ at: clock(event.time), event: describe(event), created: decisions, writes })),
  };
}

// ── the table ────────────────────────────────────────────────────────────────────────────────────

/** The measurement as the Markdown the README shows: the day, the table, what the replay found. */
export function markdown(m) {
  const { day, ci } = m;
  const plural = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
  const same = JSON.stringify(m.deployments.allEvents) === JSON.stringify(m.deployments.generated);
  return [
    `- **Pushes**: ${m.pushes} over ${m.branches} branches. ${plural(day.features, 'pull request')} from \`feature-N\` branches, ${day.pushesPerPull} pushes each (the first opens it), each merged into \`main\` (a push of its merge commit) and its branch deleted; ${plural(day.mainPushes, 'more push', 'more pushes')} straight to \`main\`; ${day.developPushes} to \`develop\`, which has no pull request. The tag \`${day.tags.join('`, `')}\` on \`main\`.`,
    `- **CI** (\`on: [push, pull_request]\`, its job \`ci\` the check staging waits for): a run for every push to a branch and every push to a pull request, ${ci.runs} in all, ${ci.failures} failing (${ci.failuresOnMain} on \`main\`), each sending \`requested\`, \`in_progress\` and \`completed\`.`,
    `- **An external service** (code coverage) posts a \`coverage\` status on each of the ${m.commits} commits: pending, then success.`,
    `- **Comments**: ${day.features * day.plainComments} on pull requests${day.commands ? ', `/lock staging` and `/unlock staging`' : ''}, ${day.issueComments} on issues.`,
    ...m.schedules.map(({ cron, runs }) => `- **Schedule**: the all-events workflow's \`${cron}\`, ${runs} runs.`),
    '',
    `| events of the day | events | jobs, all events | jobs, generated | events that deploy or retire | of them, started by the generated |`,
    `|---|---:|---:|---:|---:|---:|`,
    ...m.rows.map((r) => `| ${r.kind} | ${r.events} | ${r.allEvents} | ${r.generated} | ${r.deploying} | ${r.deployingStarted} |`),
    `| **total** | **${m.totals.events}** | **${m.totals.allEvents}** | **${m.totals.generated}** | **${m.totals.deploying}** | **${m.totals.deployingStarted}** |`,
    `| **billed minutes** (at least 1 a job) | | **${m.totals.allEvents}** | **${m.totals.generated}** | | |`,
    '',
    `Replayed with the generated workflow's jobs only, the day ends with ${same ? 'the same' : 'OTHER'} ${plural(m.deployments.generated.length, 'deployment')} (the ${m.deployments.generated.filter((d) => d.endsWith('(retired)')).length} to review environments retired when their pull requests closed).`,
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
