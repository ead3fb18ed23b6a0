// `deliverybot plan`: what the engine would do for an event, written nowhere. The engine runs with
// `dry-run: true`; its reads are answered from local facts (facts.mjs), or by the GitHub API with
// --repo and a token. What is printed is the engine's own outcome: its summary text, its decisions
// (with the request each would make), outputs and log. Help text: HELP below; the CLI section of docs/cli.md
// section says the same.

import { readRegularFile } from './builtins.mjs';
import { relative, isAbsolute } from 'node:path';
import { parseArgs } from 'node:util';
import { run, validate } from './lib.mjs';
import { factsResponder, refuseWrites } from './facts.mjs';
import { createClient } from './github.mjs';

export const HELP = `Usage: deliverybot plan --event NAME (--payload FILE | --ref REF --sha SHA [--pr N] | --input NAME=VALUE --sha SHA) [options]

Shows what Deliverybot would do for an event, and writes nothing: the engine runs as a dry run and
its read requests are answered from local facts or, with --repo and a token, by the GitHub API.

Event:
  --event NAME          push, pull_request, status, check_run, workflow_run, workflow_dispatch, ...
  --payload FILE        A webhook payload (JSON), for example a workflow run's $GITHUB_EVENT_PATH.
  --ref REF --sha SHA   Instead of --payload: a push of SHA to REF (refs/heads/main, refs/tags/v1).
  --pr N                With --event pull_request: pull request N, its head SHA on branch REF.
  --input NAME=VALUE    With --event workflow_dispatch or repository_dispatch: an input (target,
                        ref, force, task, params; client_payload for repository_dispatch), over the
                        payload's if there is one. Without --payload, --sha is the commit refs
                        point at. Repeatable.
  --repo OWNER/NAME     The repository (default: the payload's; owner/repo for --ref/--sha).
  --default-branch NAME The default branch, for --ref/--sha (default: main).

Config:
  --config PATH         The deploy.yml to plan with (default: .github/deploy.yml).
  --remote-config       Read it from the repository's default branch instead (online; PATH is its
                        path in the repository).

Facts (offline; default: nothing deployed, no checks reported, nothing locked, every ref at the
event's commit):
  --facts FILE          A facts file: refs, statuses, check_runs, deployments, locks, pulls, commits,
                        permissions, changed.
  --status CTX=STATE    Commit status CTX is STATE (success, pending, failure, error). Repeatable.
  --check NAME=RESULT   Check run NAME ended with RESULT (success, failure, ...) or is queued or
                        in_progress. Repeatable.
  --deployed ENV[@SHA][=STATE]
                        ENV already has a deployment of SHA (default: of any commit), its latest
                        status STATE (success, in_progress, ...). Repeatable, newest first.
  --deployed-by TARGET@SHA
                        TARGET last deployed SHA (to whatever environment it renders), for
                        \`paths:\`. Repeatable.
  --changed PATH,...    The files changed since a target's last deployment, for \`paths:\`.
                        Repeatable.
  --locked ENV[=WHY]    ENV is locked. Repeatable.
  --permission LOGIN=ROLE  LOGIN's role on the repository (read, triage, write, maintain, admin,
                        none; default write). Repeatable.
  --now TIME            The time of the run (RFC 3339, like 2026-12-06T14:20:00Z), which \`soak\`,
                        \`serialize\`, freeze windows and stuck deployments are judged at. Default:
                        now. Freeze windows' time zones come from this machine's tz database
                        ($TZDIR or /usr/share/zoneinfo).

Online: with --repo and GITHUB_TOKEN, the facts are read from the GitHub API (GET requests only) at
GITHUB_API_URL (default https://api.github.com). --offline ignores the token.

Output:
  --json                One JSON object: decisions (with the create request each would make),
                        outputs, failure, summary, log, requests.
  -v, --verbose         Also print the engine's log and each request on stderr.

Exit status: 0 planned (whatever it decided), 1 the run would fail (invalid config or payload, a
target that cannot be deployed), 2 usage error or unreadable file, 3 internal error (a bug).
`;

const OPTIONS = {
  event: { type: 'string' },
  payload: { type: 'string' },
  ref: { type: 'string' },
  sha: { type: 'string' },
  pr: { type: 'string' },
  input: { type: 'string', multiple: true, default: [] },
  repo: { type: 'string' },
  'default-branch': { type: 'string', default: 'main' },
  config: { type: 'string', default: '.github/deploy.yml' },
  'remote-config': { type: 'boolean', default: false },
  facts: { type: 'string' },
  status: { type: 'string', multiple: true, default: [] },
  check: { type: 'string', multiple: true, default: [] },
  deployed: { type: 'string', multiple: true, default: [] },
  'deployed-by': { type: 'string', multiple: true, default: [] },
  changed: { type: 'string', multiple: true, default: [] },
  locked: { type: 'string', multiple: true, default: [] },
  permission: { type: 'string', multiple: true, default: [] },
  now: { type: 'string' },
  offline: { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  verbose: { type: 'boolean', short: 'v', default: false },
  help: { type: 'boolean', short: 'h', default: false },
};

/** A usage error or an unreadable file: exit 2 with the message. */
class UsageError extends Error {}

export async function planCommand(args, { env = process.env, stdout = process.stdout, stderr = process.stderr } = {}) {
  try {
    return await plan(args, env, stdout, stderr);
  } catch (err) {
    if (err instanceof UsageError) {
      stderr.write(`${paint(stderr, 'red', 'deliverybot plan:')} ${err.message}\n`);
      return 2;
    }
    // A bug (a write asked for in a plan, an engine trap): loud, with its own exit status.
    stderr.write(`${paint(stderr, 'red', 'deliverybot plan: internal error:')} ${err.message}\n`);
    return 3;
  }
}

async function plan(args, env, stdout, stderr) {
  let options;
  try {
    ({ values: options } = parseArgs({ args, options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (err) {
    throw new UsageError(`${err.message}\nRun \`deliverybot plan --help\` for the flags.`);
  }
  if (options.help) {
    stdout.write(HELP);
    return 0;
  }

  const payload = eventPayload(options);
  const repository = options.repo ?? payload.repository?.full_name;
  if (!/^[^/\s]+\/[^/\s]+$/.test(repository ?? '')) {
    throw new UsageError(repository ? `--repo must be owner/name, got ${JSON.stringify(repository)}` : 'the payload has no repository.full_name: pass --repo owner/name');
  }
  const token = options.offline ? '' : (env.GITHUB_TOKEN ?? '').trim();
  const online = Boolean(options.repo && token);
  if (options['remote-config'] && !online) throw new UsageError('--remote-config reads from GitHub: it needs --repo and GITHUB_TOKEN');
  const factFlags = ['facts', 'status', 'check', 'deployed', 'deployed-by', 'changed', 'locked', 'permission'].filter((name) => [options[name]].flat().filter(Boolean).length > 0);
  if (online && factFlags.length > 0) throw new UsageError(`--${factFlags[0]} gives facts offline; online they come from GitHub (add --offline to use them)`);

  // The config: the local file (checked first, like `deliverybot validate`), or the repository's.
  const config = { path: options.config };
  if (!options['remote-config']) {
    config.text = readText(options.config, 'config');
    const { problems } = validate(config.text);
    if (problems.length > 0) return invalidConfig(options, problems, stdout, stderr);
    // The engine reads the config through the API, by its path in the repository.
    const local = relative(process.cwd(), options.config);
    config.path = !local.startsWith('..') && !isAbsolute(local) ? local : 'deploy.yml';
  }

  let executor;
  if (online) {
    const apiUrl = env.GITHUB_API_URL || 'https://api.github.com';
    if (!URL.canParse(apiUrl)) throw new UsageError(`GITHUB_API_URL is not a URL: ${JSON.stringify(apiUrl)}`);
    const perform = createClient({ apiUrl, token, userAgent: 'deliverybot-cli' });
    const local = config.text === undefined ? null : factsResponder({ repository, config });
    executor = (method, path, body, request) => {
      refuseWrites(request);
      return local && request.path.includes('/contents/') ? local(request) : perform(request);
    };
  } else {
    const respond = factsResponder({ repository, config, facts: gatherFacts(options, payload) });
    executor = (method, path, body, request) => respond(request);
  }

  const verbose = options.verbose && !options.json;
  const result = await run({
    eventName: options.event,
    payload,
    inputs: { 'dry-run': 'true', config: config.path },
    context: { repository, run_id: '0', server_url: env.GITHUB_SERVER_URL || 'https://github.com', now: runTime(options.now) },
    executor: async (...call) => {
      const reply = await executor(...call);
      if (verbose) stderr.write(`${paint(stderr, 'dim', `${call[0]} ${call[1]} → ${reply.status ?? reply.error}`)}\n`);
      return reply;
    },
    onLog: (line) => report(line, verbose, stderr),
  });

  const { decisions } = result;
  if (options.json) {
    const outputs = Object.fromEntries(Object.entries(result.outputs).map(([k, v]) => [k, /^[[{]/.test(v) ? JSON.parse(v) : v]));
    const json = { event: options.event, repository, online, decisions, outputs, failure: result.failure ?? null, summary: result.summary, log: result.log, requests: result.requests };
    stdout.write(`${JSON.stringify(json, null, 2)}\n`);
  } else {
    stdout.write(render(result.summary, decisions, stdout));
  }
  if (result.failure) {
    if (!options.json) stderr.write(`${paint(stderr, 'red', 'deliverybot plan:')} the run would fail: ${result.failure}\n`);
    return 1;
  }
  return 0;
}

/** `--now` as RFC 3339 UTC (the engine's form), or the clock's time. */
function runTime(text) {
  if (text === undefined) return new Date().toISOString();
  const time = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i.test(text.trim()) ? new Date(text.trim()) : null;
  if (!time || Number.isNaN(time.getTime())) throw new UsageError(`--now must be a time like 2026-12-06T14:20:00Z (RFC 3339, with its offset), got ${JSON.stringify(text)}`);
  return time.toISOString();
}

// ── the event ────────────────────────────────────────────────────────────────────────────────────

const DISPATCHES = { workflow_dispatch: 'inputs', repository_dispatch: 'client_payload' };

function eventPayload(options) {
  if (!options.event) throw new UsageError('--event is required (push, pull_request, ...)');
  const inputs = dispatchInputs(options);
  const described = options.ref !== undefined || options.sha !== undefined || options.pr !== undefined;
  if (options.payload !== undefined) {
    if (described) throw new UsageError('give --payload, or describe the event with --ref/--sha, not both');
    const text = readText(options.payload, 'payload');
    let payload;
    try {
      payload = JSON.parse(text);
      if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) throw new Error('a payload is a JSON object');
    } catch (err) {
      throw new UsageError(`${options.payload} is not a webhook payload: ${err.message}`);
    }
    // The inputs given as flags, over the payload's own.
    if (inputs) payload[DISPATCHES[options.event]] = { ...payload[DISPATCHES[options.event]], ...inputs };
    return payload;
  }
  const [owner, name] = (options.repo ?? 'owner/repo').split('/');
  const repository = { id: 1, name, full_name: `${owner}/${name}`, owner: { login: owner }, default_branch: options['default-branch'] };
  const sender = { login: owner };
  if (inputs) {
    // A dispatch described by its inputs: refs point at --sha, as in a push described by flags.
    if (options.ref !== undefined || options.pr !== undefined) throw new UsageError('a dispatch names its ref as an input: --input ref=REF');
    if (!/^[0-9a-f]{40}$/.test(options.sha ?? '')) throw new UsageError('a dispatch described by --input needs --sha, the full 40-character commit its ref points at');
    const payload = { [DISPATCHES[options.event]]: inputs, repository, sender };
    return options.event === 'workflow_dispatch' ? { ...payload, ref: `refs/heads/${repository.default_branch}` } : { action: 'deploy', ...payload };
  }
  if (!options.ref || !options.sha) throw new UsageError('give --payload FILE, or --ref and --sha to describe the event');
  if (!/^[0-9a-f]{40}$/.test(options.sha)) throw new UsageError(`--sha must be a full 40-character commit sha, got ${JSON.stringify(options.sha)}`);
  switch (options.event) {
    case 'push':
      if (!options.ref.startsWith('refs/')) throw new UsageError(`--ref must be a full ref, like refs/heads/main, got ${JSON.stringify(options.ref)}`);
      return { ref: options.ref, before: '0'.repeat(40), after: options.sha, created: false, deleted: false, forced: false, commits: [], repository, sender };
    case 'pull_request': {
      const number = Number(options.pr);
      if (!Number.isInteger(number) || number < 1) throw new UsageError('--event pull_request needs --pr N (the pull request number)');
      const branch = options.ref.replace(/^refs\/heads\//, '');
      const pullRequest = {
        number,
        state: 'open',
        draft: false,
        merged: false,
        title: `Pull request #${number}`,
        user: sender,
        head: { ref: branch, sha: options.sha, repo: repository },
        base: { ref: repository.default_branch, repo: repository },
      };
      return { action: 'synchronize', number, pull_request: pullRequest, repository, sender };
    }
    default:
      throw new UsageError(`--ref/--sha describe push and pull_request events; for \`${options.event}\` give --payload FILE`);
  }
}

/** The --input flags as an object (`null`: none given); only a dispatch has inputs. */
function dispatchInputs(options) {
  if (options.input.length === 0) return null;
  if (!DISPATCHES[options.event]) throw new UsageError(`--input gives a dispatch's inputs (workflow_dispatch, repository_dispatch), not \`${options.event}\`'s`);
  const inputs = {};
  for (const text of options.input) {
    const at = text.indexOf('=');
    if (at < 1) throw new UsageError(`--input takes NAME=VALUE, like target=production; got ${JSON.stringify(text)}`);
    inputs[text.slice(0, at)] = text.slice(at + 1);
  }
  return inputs;
}

/** The commit the event is about, where its payload says: refs point there unless the facts say otherwise. */
function eventCommit(payload) {
  return [payload.after, payload.pull_request?.head?.sha, payload.sha, payload.check_run?.head_sha, payload.check_suite?.head_sha, payload.workflow_run?.head_sha]
    .find((sha) => typeof sha === 'string' && /^[0-9a-f]{40}$/.test(sha) && !/^0+$/.test(sha));
}

// ── the facts ────────────────────────────────────────────────────────────────────────────────────

function gatherFacts(options, payload) {
  const facts = options.facts ? readFacts(options.facts) : {};
  const pairs = (flag, separator) =>
    options[flag].map((text) => {
      const at = text.indexOf(separator);
      return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
    });
  const merged = {
    ...facts,
    sha: facts.sha ?? eventCommit(payload) ?? options.sha,
    // A pull request event's pull request is as the event has it, unless the facts say otherwise.
    pulls: payload.pull_request?.number ? { [payload.pull_request.number]: payload.pull_request, ...facts.pulls } : facts.pulls,
    statuses: { ...facts.statuses },
    check_runs: { ...facts.check_runs },
    // Deployments say the ref they came from; by default, the default branch.
    deployments: (facts.deployments ?? []).map((d) => ({ ref: `refs/heads/${payload.repository?.default_branch ?? options['default-branch']}`, ...d })),
    locks: { ...facts.locks },
    permissions: { ...facts.permissions },
  };
  for (const [context, state] of pairs('status', '=')) {
    if (!context || !state) throw new UsageError(`--status takes CONTEXT=STATE, like ci=success; got ${JSON.stringify(`${context}${state === undefined ? '' : `=${state}`}`)}`);
    merged.statuses[context] = state;
  }
  for (const [name, result] of pairs('check', '=')) {
    if (!name || !result) throw new UsageError(`--check takes NAME=RESULT, like build=success; got ${JSON.stringify(name)}`);
    merged.check_runs[name] = result;
  }
  const ref = `refs/heads/${payload.repository?.default_branch ?? options['default-branch']}`;
  for (const text of options.deployed) {
    const [where, state] = text.split('=', 2);
    const [environment, sha] = where.split('@', 2);
    if (!environment || state === '') throw new UsageError('--deployed takes ENVIRONMENT, ENVIRONMENT@SHA or ENVIRONMENT@SHA=STATE');
    merged.deployments.push({ environment, ref, ...(sha ? { sha } : {}), ...(state ? { state } : {}) });
  }
  for (const [target, sha] of pairs('deployed-by', '@')) {
    if (!target || !sha) throw new UsageError('--deployed-by takes TARGET@SHA');
    // No environment: the deployment counts in whichever one the target renders.
    merged.deployments.push({ sha, payload: { target } });
  }
  const changed = options.changed.flatMap((list) => list.split(',')).map((path) => path.trim()).filter(Boolean);
  if (changed.length > 0 || facts.changed !== undefined) merged.changed = [...(facts.changed ?? []), ...changed];
  for (const [environment, reason] of pairs('locked', '=')) {
    if (!environment) throw new UsageError('--locked takes ENVIRONMENT or ENVIRONMENT=REASON');
    merged.locks[environment] = { by: 'you', reason: reason ?? '' };
  }
  for (const [login, role] of pairs('permission', '=')) {
    if (!login || !ROLES.includes(role)) throw new UsageError(`--permission takes LOGIN=ROLE, the role one of ${ROLES.join(', ')}; got ${JSON.stringify(login)}`);
    merged.permissions[login] = role;
  }
  return merged;
}

const ROLES = ['read', 'triage', 'write', 'maintain', 'admin', 'none'];

function readFacts(path) {
  let facts;
  try {
    facts = JSON.parse(readText(path, 'facts'));
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`${path} is not JSON: ${err.message}`);
  }
  const bad = factsProblem(facts);
  if (bad) throw new UsageError(`${path}: ${bad} (see "Facts" in docs/cli.md)`);
  return facts;
}

/** What is wrong with a facts file's shape, if anything (docs/cli.md, "Facts"). */
function factsProblem(facts) {
  if (facts === null || typeof facts !== 'object' || Array.isArray(facts)) return 'a facts file is a JSON object';
  const notMap = ['refs', 'statuses', 'check_runs', 'locks', 'pulls', 'commits', 'permissions'].find((k) => facts[k] !== undefined && (facts[k] === null || typeof facts[k] !== 'object' || Array.isArray(facts[k])));
  if (notMap) return `\`${notMap}\` must be an object`;
  const placed = (d) => typeof d?.environment === 'string' || typeof d?.payload?.target === 'string';
  if (facts.deployments !== undefined && !(Array.isArray(facts.deployments) && facts.deployments.every(placed))) {
    return '`deployments` must be a list of objects with an `environment` (or a `payload.target`)';
  }
  if (facts.changed !== undefined && !(Array.isArray(facts.changed) && facts.changed.every((path) => typeof path === 'string'))) return '`changed` must be a list of file paths';
  if (facts.sha !== undefined && !/^[0-9a-f]{40}$/.test(facts.sha)) return '`sha` must be a full commit sha';
  return null;
}

function readText(path, what) {
  try {
    // Regular files only, and no more than GitHub sends in a webhook (25 MB).
    return readRegularFile(path, 25 * 1024 * 1024).toString('utf8');
  } catch (err) {
    throw new UsageError(`cannot read the ${what} ${path}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`);
  }
}

// ── output ───────────────────────────────────────────────────────────────────────────────────────

function invalidConfig(options, problems, stdout, stderr) {
  const path = options.config;
  if (options.json) {
    stdout.write(`${JSON.stringify({ event: options.event, config: path, problems, failure: `${path} is not a valid config` }, null, 2)}\n`);
    return 1;
  }
  for (const { line, column, message } of problems) stderr.write(line === null ? `${path}: ${message}\n` : `${path}:${line}:${column}: ${message}\n`);
  stderr.write(`${paint(stderr, 'red', 'deliverybot plan:')} ${path} has ${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was planned\n`);
  return 1;
}

/** Engine log lines: warnings and errors always (on stderr), the rest with --verbose. */
function report({ level, message, annotation }, verbose, stderr) {
  if (!verbose && level !== 'warning' && level !== 'error') return;
  const where = annotation ? `${annotation.file}:${annotation.line}:${annotation.column}: ` : '';
  const label = level === 'info' ? '' : `${paint(stderr, level === 'error' ? 'red' : level === 'warning' ? 'yellow' : 'dim', level)}: `;
  stderr.write(`${where}${label}${message}\n`);
}

const DECISION_COLOURS = { created: 'green', 'would create': 'green', waiting: 'yellow', soaking: 'yellow', locked: 'yellow', blocked: 'red', failed: 'red', 'not created': 'red' };

/**
 * For a terminal: the summary's text, with the engine's decisions as aligned columns where its
 * Markdown table stands, each followed by the request it would make.
 */
function render(markdown, decisions, stream) {
  const out = [];
  let tableDone = false;
  for (const line of markdown.split('\n')) {
    if (/^#{1,6} /.test(line)) continue; // "### Deliverybot"
    if (line.startsWith('|')) {
      if (!tableDone) out.push(...decisionLines(decisions, stream));
      tableDone = true;
      continue;
    }
    if (line.trim() || (out.length > 0 && out.at(-1) !== '')) out.push(line.replace(/\*\*/g, ''));
  }
  while (out.at(-1) === '') out.pop();
  return `${out.join('\n')}\n`;
}

function decisionLines(decisions, stream) {
  const header = ['target', 'environment', 'commit', 'decision', 'reason'];
  const rows = decisions.map((d) => [d.target, d.environment || '-', d.sha.slice(0, 7), d.decision, d.reason]);
  const widths = header.map((name, i) => Math.max(name.length, ...rows.map((row) => row[i].length)));
  const line = (row, style) =>
    row
      .map((cell, i) => paint(stream, style ?? (i === 3 ? DECISION_COLOURS[cell] ?? 'dim' : null), i === row.length - 1 ? cell : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  const lines = [line(header.map((h) => h.toUpperCase()), 'bold')];
  decisions.forEach((decision, i) => {
    lines.push(line(rows[i]));
    if (decision.request) lines.push(paint(stream, 'dim', `  ${decision.request.method} ${decision.request.path} ${JSON.stringify(decision.request.body)}`));
  });
  return lines;
}

const CODES = { bold: [1, 22], dim: [2, 22], red: [31, 39], green: [32, 39], yellow: [33, 39] };

/** Colour only on a terminal (NO_COLOR turns it off, FORCE_COLOR on). */
export function paint(stream, style, text) {
  const on = process.env.FORCE_COLOR ? process.env.FORCE_COLOR !== '0' : Boolean(stream.isTTY) && !process.env.NO_COLOR;
  if (!on || !style || !CODES[style]) return text;
  return `\x1b[${CODES[style][0]}m${text}\x1b[${CODES[style][1]}m`;
}
