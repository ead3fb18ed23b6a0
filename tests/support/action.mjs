// Runs the built action (dist/) the way a GitHub runner does: a child `node` process started from a
// folder that holds only action.yml and dist/ (no node_modules), with the GITHUB_* environment, the
// inputs as INPUT_* variables (defaults taken from action.yml), and the runner's files for outputs,
// state and the job summary.

import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { startFakeGitHub } from './fake-github.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const NODE24 = join(ROOT, '.tools/node24/bin/node');

/** The Node that runs the action: Node 24 as on GitHub's runners, when scripts/setup.sh fetched it. */
export const ACTION_NODE = process.env.DELIVERYBOT_TEST_NODE ?? (existsSync(NODE24) ? NODE24 : process.execPath);

let installed;
/** A copy of the action as the runner downloads it: action.yml and dist/, nothing else. */
export function installedAction() {
  if (!installed) {
    installed = mkdtempSync(join(tmpdir(), 'deliverybot-action-'));
    cpSync(join(ROOT, 'action.yml'), join(installed, 'action.yml'));
    cpSync(join(ROOT, 'dist'), join(installed, 'dist'), { recursive: true });
  }
  return installed;
}

const metadata = parseYaml(readFileSync(join(ROOT, 'action.yml'), 'utf8'));

/**
 * Runs one step of the action. `phase` is `main` or `post` (give the post step the `state` the
 * main step saved, and the `jobStatus` the job ended with; `action`, another copy of the action).
 * Returns the exit code, the printed lines, the outputs, state and summary written, and the
 * workflow commands seen.
 */
export async function runAction({
  fake,
  eventName,
  payload,
  inputs = {},
  env = {},
  token = 'test-token',
  phase = 'main',
  state = {},
  jobStatus = 'success',
  action = installedAction(),
}) {
  const work = mkdtempSync(join(tmpdir(), 'deliverybot-run-'));
  const files = {
    event: join(work, 'event.json'),
    output: join(work, 'output'),
    state: join(work, 'state'),
    summary: join(work, 'summary.md'),
  };
  writeFileSync(files.event, typeof payload === 'string' || payload instanceof Uint8Array ? payload : JSON.stringify(payload));
  for (const name of ['output', 'state', 'summary']) writeFileSync(files[name], '');

  const childEnv = {
    PATH: process.env.PATH,
    HOME: work,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: eventName,
    GITHUB_EVENT_PATH: files.event,
    GITHUB_REPOSITORY: payload?.repository?.full_name ?? 'Codertocat/Hello-World',
    GITHUB_RUN_ID: '1658821493',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_ACTOR: payload?.sender?.login ?? 'Codertocat',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: fake.url,
    GITHUB_WORKSPACE: work,
    GITHUB_OUTPUT: files.output,
    GITHUB_STATE: files.state,
    GITHUB_STEP_SUMMARY: files.summary,
    RUNNER_TEMP: work,
  };
  for (const [name, spec] of Object.entries(metadata.inputs)) {
    // The runner evaluates the expressions of defaults; these two are the ones action.yml uses.
    const fallback = String(spec.default ?? '').replace('${{ github.token }}', token).replace('${{ job.status }}', jobStatus);
    const value = name in inputs ? inputs[name] : fallback;
    childEnv[`INPUT_${name.toUpperCase()}`] = value;
  }
  for (const [name, value] of Object.entries(state)) childEnv[`STATE_${name}`] = value;
  Object.assign(childEnv, env);

  const script = join(action, metadata.runs[phase]);
  const child = spawn(ACTION_NODE, [script], { cwd: work, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const code = await new Promise((resolve) => child.on('close', resolve));

  const lines = stdout.split('\n').filter(Boolean);
  return {
    code,
    stdout,
    stderr,
    lines,
    commands: lines.filter((l) => l.startsWith('::')).map(parseCommand),
    outputs: readKeyValues(files.output),
    state: readKeyValues(files.state),
    summary: readFileSync(files.summary, 'utf8'),
  };
}

/** Reads `name<<delimiter` blocks as the runner does. */
function readKeyValues(file) {
  const values = {};
  const lines = readFileSync(file, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<=]+)<<(.+)$/.exec(lines[i]);
    if (!match) continue;
    const [, name, delimiter] = match;
    const value = [];
    for (i++; lines[i] !== delimiter; i++) {
      if (i >= lines.length) throw new Error(`unterminated value for ${name} in ${file}`);
      value.push(lines[i]);
    }
    values[name] = value.join('\n');
  }
  return values;
}

function unescape(text) {
  return text.replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
}

/** `::error file=x,line=1,col=2::message` → `{ command: 'error', properties: {...}, message }`. */
function parseCommand(line) {
  const match = /^::([a-z-]+)(?: ([^:]*))?::(.*)$/.exec(line);
  if (!match) return { command: null, message: line };
  const properties = {};
  for (const pair of (match[2] ?? '').split(',').filter(Boolean)) {
    const [key, value] = pair.split('=');
    properties[key] = unescape(value ?? '');
  }
  return { command: match[1], properties, message: unescape(match[3]) };
}

/** Real webhook payloads from @octokit/webhooks-examples. */
const examples = JSON.parse(
  readFileSync(join(ROOT, 'node_modules/@octokit/webhooks-examples/api.github.com/index.json'), 'utf8'),
);

export function webhookExamples(name) {
  const entry = examples.find((e) => e.name === name);
  if (!entry) throw new Error(`no webhook examples for ${name}`);
  return entry.examples.map((example) => structuredClone(example));
}

/** The first real example of `name` that satisfies `where`, as a fresh copy to adjust. */
export function webhookExample(name, where = () => true) {
  const found = webhookExamples(name).find(where);
  if (!found) throw new Error(`no ${name} example matches`);
  return found;
}

/** The commit of the examples' push to master. */
export const EXAMPLE_SHA = '6113728f27ae82c7b1a177c8d03f9e96e0adf246';

/**
 * A fresh fake GitHub holding the examples' repository (Codertocat/Hello-World, default branch
 * master), with master at `master`. Close it with `fake.close()`.
 */
export async function exampleRepo({ master = EXAMPLE_SHA } = {}) {
  const fake = await startFakeGitHub();
  const repo = fake.repo('Codertocat/Hello-World', { defaultBranch: 'master' });
  repo.setRef('heads/master', master);
  return { fake, repo };
}
