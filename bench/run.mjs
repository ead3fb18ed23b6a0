// Deliverybot's benchmark: one command, a table on stdout and a JSON result to compare before and
// after a change.
//
//   node bench/run.mjs [--runs 60] [--dist DIR]... [--peers DIR] [--out FILE] [--skip-native] [--only cold,sizes,...]
//
// --only runs some sections (sizes, cold, requests, compiled, instantiate, planning, monorepo) and writes no JSON unless
// --out is given, so a quick before/after of one number does not overwrite the recorded results.
// --dist times another build of the action (default: dist/), so that a before and an after can be
// measured on one machine: copy the other build's dist/ somewhere and pass that folder. Given more
// than once, the cold-start section runs every build interleaved with the others (the fairest
// comparison on a machine whose load drifts); the other sections measure the first. `NAME=DIR`
// names a build in the tables (`--dist after=dist --dist before=/tmp/old-dist`).
// --peers is the folder with the runnable files of the peer actions (default: ../shared/peers from
// the repository's root); without it, the cold-start section says so and times Deliverybot alone.
//
// Measures: the size of what runs (dist/), and of the .wasm at each build stage; cold start of the
// action and of two deployment actions in common use (bobheadxi/deployments, chrnorm/deployment-action),
// each against its floor (a plain node:http script making that tool's own requests), as
// distributions of interleaved runs, on Node 24 and Node 20; requests per scenario; the engine code a
// push compiles (Node 24); engine planning
// time by number of targets and by payload size, inside WebAssembly from Node and natively; the
// library's first call; peak memory; the monorepo recipe of docs/recipes.md (twenty services, a push that
// touches one): its requests, the action's step end to end, and the engine's time inside
// WebAssembly. Run scripts/build.sh first (./dev test does).

import { spawn, execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { EXAMPLE_SHA as SHA, exampleRepo, runAction, webhookExample } from '../tests/support/action.mjs';
import { deployed, HEAD, monorepo as monorepoRepo, pushed, RECIPE, ROOT as FIRST_COMMIT, SERVICES } from '../tests/support/monorepo.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { values: options } = parseArgs({
  options: {
    runs: { type: 'string', default: '60' },
    dist: { type: 'string', multiple: true, default: [join(ROOT, 'dist')] },
    peers: { type: 'string', default: join(ROOT, '../shared/peers') },
    out: { type: 'string' },
    'skip-native': { type: 'boolean', default: false },
    only: { type: 'string' },
  },
});
const SECTIONS = ['sizes', 'cold', 'requests', 'compiled', 'instantiate', 'planning', 'monorepo'];
const only = options.only ? options.only.split(',').map((s) => s.trim()) : SECTIONS;
for (const s of only) if (!SECTIONS.includes(s)) throw new Error(`--only: unknown section ${s} (known: ${SECTIONS.join(', ')})`);
const OUT = options.out ?? (options.only ? null : join(ROOT, 'bench/results.json'));
const wanted = (section) => only.includes(section);
const RUNS = Number(options.runs);
const NAMES = new Map();
const DISTS = options.dist.map((given) => {
  const [, name, dir] = /^(?:([\w.-]+)=)?(.+)$/.exec(given);
  const dist = resolve(dir);
  if (name) NAMES.set(dist, name);
  return dist;
});
const DIST = DISTS[0];
const PEERS = resolve(options.peers);
const label = (dist) => NAMES.get(dist) ?? (dist === join(ROOT, 'dist') ? 'dist/' : dist);
/** Each build as the runner downloads the action: action.yml and the build, nothing else. */
const ACTIONS = DISTS.map((dist) => {
  if (!existsSync(join(dist, 'main.mjs'))) throw new Error(`--dist ${dist}: no main.mjs there (run scripts/build.sh first)`);
  const action = mkdtempSync(join(tmpdir(), 'deliverybot-bench-action-'));
  cpSync(join(ROOT, 'action.yml'), join(action, 'action.yml'));
  cpSync(dist, join(action, 'dist'), { recursive: true });
  process.on('exit', () => rmSync(action, { recursive: true, force: true }));
  return action;
});
const ACTION = ACTIONS[0];
const result = { machine: machine(), date: new Date().toISOString(), dist: DISTS.map(label) };

// ── sizes ───────────────────────────────────────────────────────────────────────────────────────
function sizes() {
  const dist = readdirSync(DIST).map((name) => {
    const bytes = readFileSync(join(DIST, name));
    return { file: `dist/${name}`, bytes: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  });
  const bytes = (name) => dist.find((f) => f.file === `dist/${name}`)?.bytes ?? 0;
  // A step runs main.mjs (one bundle, no imports of its own) and the engine's module.
  const step = bytes('main.mjs') + bytes('deliverybot.wasm');
  // The build stages are this checkout's own: only when it is the build measured.
  const stage = (label, path) => (existsSync(join(ROOT, path)) ? { stage: label, file: path, bytes: statSync(join(ROOT, path)).size } : null);
  const stages = DIST !== join(ROOT, 'dist') ? [] : [
    stage('cargo (opt-level z, LTO, codegen-units 1, panic abort)', 'target/wasm32-unknown-unknown/release/deliverybot_wasm.wasm'),
    stage('wasm-bindgen', 'build/pkg/deliverybot_wasm_bg.wasm'),
    stage('wasm-opt -Oz, debug and producers stripped', 'dist/deliverybot.wasm'),
  ].filter(Boolean);
  return { dist, total: dist.reduce((n, f) => n + f.bytes, 0), totalGzip: dist.reduce((n, f) => n + f.gzip, 0), step, stages };
}

// ── cold start ──────────────────────────────────────────────────────────────────────────────────
const CONFIG = 'staging:\n  auto_deploy_on: refs/heads/master\n  environment: staging\n';
const BUDGET = { ratio: 1.5, stepBytes: 600 * 1000 };

/** The runner's environment for a push (the tools read a few more GITHUB_* variables than Deliverybot). */
function runnerEnv(fake, dir) {
  const payload = webhookExample('push', (p) => p.ref === 'refs/heads/master' && !p.deleted);
  writeFileSync(join(dir, 'event.json'), JSON.stringify(payload));
  for (const f of ['output', 'state', 'summary']) writeFileSync(join(dir, f), '');
  return {
    PATH: process.env.PATH,
    GITHUB_EVENT_NAME: 'push',
    GITHUB_EVENT_PATH: join(dir, 'event.json'),
    GITHUB_REPOSITORY: 'Codertocat/Hello-World',
    GITHUB_RUN_ID: '1',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: fake.url,
    GITHUB_SHA: SHA,
    GITHUB_REF: 'refs/heads/master',
    GITHUB_ACTOR: 'Codertocat',
    GITHUB_OUTPUT: join(dir, 'output'),
    GITHUB_STATE: join(dir, 'state'),
    GITHUB_STEP_SUMMARY: join(dir, 'summary'),
  };
}

/** The INPUT_* variables the runner sets for an action: `inputs`, and action.yml's defaults for the rest. */
function inputEnv(actionYml, inputs) {
  const env = {};
  for (const [name, spec] of Object.entries(parseYaml(readFileSync(actionYml, 'utf8')).inputs ?? {})) {
    const value = name in inputs ? inputs[name] : String(spec.default ?? '').replace('${{ github.token }}', 'test-token');
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  }
  return env;
}

/**
 * The tools timed, each with its floor (bench/floor.mjs with the tool's name) and the inputs that make
 * it create one deployment of the push's commit. Deliverybot is always there; the peers when their
 * folder is.
 */
function tools(fake) {
  const floor = join(ROOT, 'bench/floor.mjs');
  // Every build of Deliverybot makes the same requests: they share one floor.
  const list = DISTS.map((dist, i) => ({
    name: DISTS.length === 1 ? 'deliverybot' : `deliverybot (${label(dist)})`,
    floorName: 'deliverybot floor',
    script: join(ACTIONS[i], 'dist/main.mjs'),
    // The version the build puts in the action's user agent, which the floor sends too.
    floor: [floor, 'deliverybot', JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version],
    inputs: inputEnv(join(ACTIONS[i], 'action.yml'), { token: 'test-token', config: '.github/deploy.yml', 'dry-run': 'false' }),
  }));
  const peers = [
    ['bobheadxi/deployments', 'bobheadxi-deployments', 'bobheadxi', { step: 'start', token: 'test-token', env: 'production', ref: SHA }],
    ['chrnorm/deployment-action', 'chrnorm-deployment-action', 'chrnorm', { token: 'test-token', environment: 'production', ref: SHA, 'github-base-url': fake.url }],
  ];
  for (const [name, folder, floorName, inputs] of peers) {
    const dir = join(PEERS, folder);
    if (!existsSync(join(dir, 'action.yml'))) continue;
    const main = parseYaml(readFileSync(join(dir, 'action.yml'), 'utf8')).runs.main;
    list.push({ name, floorName: `${name} floor`, script: join(dir, main), floor: [floor, floorName], inputs: inputEnv(join(dir, 'action.yml'), inputs) });
  }
  return list;
}

function timeProcess(node, args, env) {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(node, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += c));
    child.on('exit', (code) => (code === 0 ? resolve(performance.now() - start) : reject(new Error(`${args.join(' ')} exited ${code}: ${stderr}`))));
  });
}

/** A request as the fake saw it, to compare a tool's with its floor's: ids and key order aside. */
function seen({ method, path, query, body, headers: { host, connection, ...headers } }) {
  const sorted = (value) =>
    Array.isArray(value) ? value.map(sorted)
    : value && typeof value === 'object' ? Object.fromEntries(Object.keys(value).sort().map((k) => [k, sorted(value[k])]))
    : value;
  return JSON.stringify([method, path.replace(/\/deployments\/\d+\//, '/deployments/{id}/'), sorted(query), sorted(body), sorted(headers)]);
}

async function coldStart(node) {
  const { fake, repo } = await exampleRepo();
  // GitHub ignores body fields it does not know, and the peers send a few.
  fake.unknownBodyFields = 'ignore';
  repo.setFile('master', '.github/deploy.yml', CONFIG);
  const dir = mkdtempSync(join(tmpdir(), 'deliverybot-bench-'));
  const base = runnerEnv(fake, dir);
  const list = tools(fake);
  // Each tool and its floor, and Deliverybot's floor written with an ES import.
  const runs = [];
  for (const tool of list) {
    runs.push({ key: tool.name, tool: tool.name, args: [tool.script], env: { ...base, ...tool.inputs } });
    if (!runs.some((run) => run.key === tool.floorName)) runs.push({ key: tool.floorName, tool: tool.name, args: tool.floor, env: { ...base, ...tool.inputs } });
  }
  runs.push({ key: 'deliverybot floor (ES import)', tool: list[0].name, args: [join(ROOT, 'bench/floor-import.mjs')], env: { ...base, ...list[0].inputs } });
  const samples = Object.fromEntries(runs.map((r) => [r.key, []]));
  const requests = {};
  const memory = { action: [], floor: [] };
  const once = async (run) => {
    fake.requests.length = 0;
    const ms = await timeProcess(node, run.args, run.env);
    const sent = fake.requests.map(seen);
    repo.deployments.length = 0; // every run creates its deployment
    return { ms, sent };
  };
  try {
    // Warm the fake (its schema validators compile on first use) and the OS file cache, and check
    // that each floor makes the very requests its tool makes.
    for (let i = 0; i < 3; i++) {
      for (const tool of list) {
        const made = (await once(runs.find((r) => r.key === tool.name))).sent;
        const floor = (await once(runs.find((r) => r.key === tool.floorName))).sent;
        if (made.join('\n') !== floor.join('\n')) throw new Error(`the floor's requests differ from ${tool.name}'s:\n${made.join('\n')}\n--\n${floor.join('\n')}`);
        requests[tool.name] = made.length;
      }
    }
    for (let i = 0; i < RUNS; i++) {
      // Each script takes each place in the order in turn, so drift in the machine's load and the
      // run before hit all alike.
      const order = [...runs.slice(i % runs.length), ...runs.slice(0, i % runs.length)];
      for (const run of Math.floor(i / runs.length) % 2 === 1 ? order.reverse() : order) {
        const { ms, sent } = await once(run);
        if (sent.length !== requests[run.tool]) throw new Error(`${run.key} made ${sent.length} requests, not ${requests[run.tool]}`);
        samples[run.key].push(ms);
      }
    }
    const deliverybot = runs.filter((r) => r.key.startsWith('deliverybot')).slice(0, 2);
    for (let i = 0; i < 5; i++) {
      for (const [name, run] of [['action', deliverybot[0]], ['floor', deliverybot[1]]]) {
        const file = join(dir, 'rss');
        await timeProcess(node, ['--import', join(ROOT, 'bench/rss.mjs'), ...run.args], { ...run.env, BENCH_RSS_FILE: file });
        memory[name].push(Number(readFileSync(file, 'utf8')) / 1024);
        repo.deployments.length = 0;
      }
    }
  } finally {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const toolRows = list.map((tool) => {
    const own = samples[tool.name];
    const floor = samples[tool.floorName];
    return {
      tool: tool.name,
      requests: requests[tool.name],
      ms: distribution(own),
      floor_ms: distribution(floor),
      ratio_of_medians: median(own) / median(floor),
      ratio_per_pair: distribution(own.map((t, i) => t / floor[i])),
    };
  });
  return {
    node: execFileSync(node, ['--version'], { encoding: 'utf8' }).trim(),
    runs: RUNS,
    peers: list.slice(DISTS.length).map((tool) => tool.name),
    tools: toolRows,
    floor_with_es_import_ms: distribution(samples['deliverybot floor (ES import)']),
    peak_rss_mb: { action: median(memory.action), floor: median(memory.floor) },
  };
}

// ── requests per scenario ───────────────────────────────────────────────────────────────────────
async function requestsPerScenario() {
  const push = webhookExample('push', (p) => p.ref === 'refs/heads/master' && !p.deleted);
  const scenarios = [
    ['push, one matching target', { eventName: 'push', payload: push }, CONFIG],
    ['push, dry run', { eventName: 'push', payload: push, inputs: { 'dry-run': 'true' } }, CONFIG],
    ['push, no matching target', { eventName: 'push', payload: { ...push, ref: 'refs/heads/other' } }, CONFIG],
    ['push, no config', { eventName: 'push', payload: push }, null],
    ['deployment status', { eventName: 'deployment', inputs: { state: 'success' } }, null],
  ];
  const rows = [];
  for (const [name, run, config] of scenarios) {
    const { fake, repo } = await exampleRepo();
    if (config) repo.setFile('master', '.github/deploy.yml', config);
    if (run.eventName === 'deployment') {
      const payload = webhookExample('deployment');
      payload.deployment.id = repo.addDeployment({ ref: 'master', sha: SHA }).id;
      run.payload = payload;
    }
    const outcome = await runAction({ fake, ...run, action: ACTION });
    rows.push({ scenario: name, requests: fake.requests.length, writes: fake.writes().length, exit: outcome.code });
    await fake.close();
  }
  return rows;
}

// ── engine planning, inside WebAssembly and natively ────────────────────────────────────────────
function config(targets, matching) {
  let text = '';
  for (let i = 0; i < targets; i++) {
    text += `target-${i}:\n  auto_deploy_on: ${i < matching ? 'refs/heads/main' : `refs/heads/t${i}`}\n  environment: env-${i}\n`;
  }
  return text;
}

function pushEvent(commits) {
  const commit = {
    id: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
    message: 'Update the thing that needed updating, with a message of a realistic length',
    author: { name: 'Octo Cat', email: 'octocat@example.com', username: 'octocat' },
    added: ['src/a.rs'], removed: [], modified: ['src/b.rs', 'src/c.rs', 'README.md'],
    url: 'https://github.com/octo/app/commit/a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
    timestamp: '2026-11-26T10:00:00Z', distinct: true, tree_id: 'f1e2d3c4b5a6978800112233445566778899aabb',
  };
  return JSON.stringify({
    ref: 'refs/heads/main', after: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678', deleted: false,
    repository: { full_name: 'octo/app', default_branch: 'main' }, sender: { login: 'octocat' },
    commits: Array.from({ length: commits }, () => commit),
  });
}

async function wasmPlanning() {
  // Through the npm library's start(), as a tool would: the values in and out of WebAssembly included.
  const { start } = await import(join(ACTION, 'dist/lib.mjs'));
  const context = { repository: 'octo/app', run_id: '42', server_url: 'https://github.com', actor: 'octocat' };
  const run = (configText, event) => {
    const engine = start({ eventName: 'push', payload: event, context });
    let reply;
    let requests = 0;
    let id = 0;
    for (;;) {
      const { next } = engine.step(reply);
      if (next.type === 'done') {
        if (next.failure) throw new Error(next.failure);
        if (id === 0) throw new Error(`every workload creates a deployment: ${next.summary}`);
        engine.free();
        return requests;
      }
      // The benchmark's configs have no freeze window: a zone asked for is answered as unknown.
      if (next.type === 'zone') {
        reply = { zone: undefined };
        continue;
      }
      requests++;
      if (next.path.endsWith('/contents/.github/deploy.yml')) reply = { status: 200, headers: {}, body: configText };
      // The branch still points at the pushed commit: the push is not superseded.
      else if (next.path.endsWith('/git/ref/heads/main')) reply = { status: 200, headers: {}, body: JSON.stringify({ ref: 'refs/heads/main', object: { type: 'commit', sha: JSON.parse(event).after } }) };
      else if (next.method === 'POST') reply = { status: 201, headers: {}, body: `{"id":${++id},"url":"https://api.github.com/repos/octo/app/deployments/${id}"}` };
      else reply = { status: 200, headers: {}, body: '[]' };
    }
  };
  const measure = (configText, event) => {
    const requests = run(configText, event);
    const samples = [];
    const started = performance.now();
    while (samples.length < 5 || (samples.length < 50 && performance.now() - started < 2000)) {
      const t = performance.now();
      run(configText, event);
      samples.push(performance.now() - t);
    }
    return { ms: median(samples), requests };
  };
  const rows = [];
  const small = pushEvent(1);
  for (const targets of [10, 100, 1000, 10000]) {
    for (const [workload, matching] of [['one-matches', 1], ['all-match', targets]]) {
      rows.push({ workload, targets, payload_bytes: small.length, ...measure(config(targets, matching), small) });
    }
  }
  for (const commits of [10, 100, 1000, 10000]) {
    const event = pushEvent(commits);
    rows.push({ workload: 'payload', targets: 1, payload_bytes: event.length, ...measure(config(1, 1), event) });
  }
  return rows;
}

function nativePlanning() {
  const out = execFileSync('cargo', ['run', '--quiet', '--profile', 'native', '-p', 'deliverybot-core', '--example', 'plan'], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(out);
}

// ── the monorepo recipe ─────────────────────────────────────────────────────────────────────────
/**
 * The monorepo recipe (docs/recipes.md), every service last deployed at one commit, and a push that touches
 * one service: the requests and the step's time end to end against the fake (a fresh fake each run),
 * and the engine's own time for the same run inside WebAssembly, through the library, GitHub's
 * answers canned (what the fake answers, cut to the fields the engine reads).
 */
async function monorepoPush() {
  const CHANGED = 'services/payments/src/charge.ts';
  const steps = [];
  let requests;
  let writes;
  for (let i = 0; i < Math.max(5, Math.min(RUNS, 20)); i++) {
    const { fake, repo } = await monorepoRepo();
    for (const service of SERVICES) deployed(repo, service, FIRST_COMMIT);
    const payload = pushed(repo, FIRST_COMMIT, [CHANGED]);
    const started = performance.now();
    const outcome = await runAction({ fake, eventName: 'push', payload, action: ACTION });
    steps.push(performance.now() - started);
    if (outcome.code !== 0 || repo.deployments.length !== SERVICES.length + 1) throw new Error(`the monorepo push did not deploy one service: ${outcome.stdout}`);
    [requests, writes] = [fake.requests.length, fake.writes().length];
    await fake.close();
  }

  const { start } = await import(join(ACTION, 'dist/lib.mjs'));
  const context = { repository: 'Codertocat/Hello-World', run_id: '42', server_url: 'https://github.com', actor: 'Codertocat' };
  const event = JSON.stringify({ ref: 'refs/heads/main', after: HEAD, deleted: false, repository: { full_name: 'Codertocat/Hello-World', default_branch: 'main' }, sender: { login: 'Codertocat' } });
  const json = (body) => ({ status: 200, headers: {}, body: JSON.stringify(body) });
  const answer = (next) => {
    const query = Object.fromEntries(next.query ?? []);
    if (next.path.endsWith('/contents/.github/deploy.yml')) return { status: 200, headers: {}, body: RECIPE };
    if (next.path.endsWith('/git/ref/heads/main')) return json({ ref: 'refs/heads/main', object: { sha: HEAD, type: 'commit' } });
    if (next.method === 'POST') return { status: 201, headers: {}, body: '{"id":7,"url":"https://api.github.com/repos/Codertocat/Hello-World/deployments/7"}' };
    if (next.path.endsWith('/deployments') && query.sha) return json([]);
    if (next.path.endsWith('/deployments')) return json([{ id: 1, sha: FIRST_COMMIT, task: 'deploy', environment: query.environment, payload: { target: query.environment } }]);
    if (next.path.includes('/compare/')) return json({ status: 'ahead', files: [{ filename: CHANGED, status: 'modified' }] });
    if (next.path.endsWith('/status')) return json({ state: 'success', statuses: [{ context: 'ci', state: 'success' }] });
    if (next.path.endsWith('/check-runs')) return json({ total_count: 0, check_runs: [] });
    return json([]);
  };
  const plan = () => {
    const engine = start({ eventName: 'push', payload: event, context });
    let reply;
    let made = 0;
    for (;;) {
      const { next } = engine.step(reply);
      if (next.type === 'done') {
        engine.free();
        if (next.failure) throw new Error(next.failure);
        return made;
      }
      if (next.type === 'zone') {
        reply = { zone: undefined };
        continue;
      }
      made++;
      reply = answer(next);
    }
  };
  const engineRequests = plan();
  if (engineRequests !== requests) throw new Error(`the engine made ${engineRequests} requests on canned answers, ${requests} against the fake`);
  const samples = [];
  const began = performance.now();
  while (samples.length < 20 || (samples.length < 200 && performance.now() - began < 3000)) {
    const t = performance.now();
    plan();
    samples.push(performance.now() - t);
  }
  return { services: SERVICES.length, requests, writes, step_ms: distribution(steps), engine_ms: distribution(samples) };
}

/**
 * The engine code a push compiles, and what that costs. V8 compiles each WebAssembly function
 * whole, the first time it is called: V8's own trace of each function it compiles during one push
 * through the library (replies canned), against the module's code; then the same push timed in
 * fresh processes, first with the module just compiled and again with its code compiled already.
 */
function compiledOnPush(node) {
  const trace = execFileSync(node, ['--trace-wasm-compilation-times', '--input-type=module', '-e', pushScript(1)], { encoding: 'utf8' });
  const bodies = [...trace.matchAll(/^Compiled function \S+ using \w+, .* bodysize (\d+)/gm)].map((m) => Number(m[1]));
  if (bodies.length === 0) throw new Error(`no compilation traced (has V8's --trace-wasm-compilation-times changed?):\n${trace}`);
  const runs = Array.from({ length: 15 }, () => JSON.parse(execFileSync(node, ['--input-type=module', '-e', pushScript(2)], { encoding: 'utf8' })));
  return {
    node: execFileSync(node, ['--version'], { encoding: 'utf8' }).trim(),
    functions: bodies.length,
    bytes: bodies.reduce((a, b) => a + b, 0),
    module: codeOf(readFileSync(join(ACTION, 'dist/deliverybot.wasm'))),
    first_ms: distribution(runs.map((r) => r[0])),
    second_ms: distribution(runs.map((r) => r[1])),
  };
}

/** A script that makes the cold-start push through the library `times` times and prints each one's milliseconds. */
function pushScript(times) {
  return `
    const { start } = await import(${JSON.stringify(join(ACTION, 'dist/lib.mjs'))});
    const payload = ${JSON.stringify(JSON.stringify(webhookExample('push', (p) => p.ref === 'refs/heads/master' && !p.deleted)))};
    const push = () => {
      const t = performance.now();
      const engine = start({ eventName: 'push', payload, context: { repository: 'Codertocat/Hello-World', run_id: '1' }, inputs: { config: '.github/deploy.yml' } });
      let reply;
      for (;;) {
        const { next } = engine.step(reply);
        if (next.type === 'done') {
          if (next.outputs[0][1] === '[]') throw new Error('nothing was created: ' + next.summary);
          return performance.now() - t;
        }
        if (next.path.endsWith('/contents/.github/deploy.yml')) reply = { status: 200, headers: {}, body: ${JSON.stringify(CONFIG)} };
        else if (next.path.endsWith('/git/ref/heads/master')) reply = { status: 200, headers: {}, body: '{"ref":"refs/heads/master","object":{"type":"commit","sha":"${SHA}"}}' };
        else if (next.method === 'POST') reply = { status: 201, headers: {}, body: '{"id":1,"url":"https://api.github.com/repos/Codertocat/Hello-World/deployments/1"}' };
        else reply = { status: 200, headers: {}, body: '[]' };
      }
    };
    console.log(JSON.stringify(Array.from({ length: ${times} }, push)));`;
}

/** A WebAssembly module's functions and the bytes of their bodies (its code section). */
function codeOf(wasm) {
  let at = 8;
  const leb = () => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = wasm[at++];
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
    }
  };
  while (at < wasm.length) {
    const id = wasm[at++];
    const size = leb();
    const end = at + size;
    if (id === 10) {
      const functions = leb();
      let bytes = 0;
      for (let i = 0; i < functions; i++) {
        const body = leb();
        bytes += body;
        at += body;
      }
      return { functions, bytes };
    }
    at = end;
  }
  throw new Error('no code section');
}

/** The library's first call in a fresh process: import, compile and instantiate the engine, validate a config. */
async function instantiate(node) {
  const script = `
    const t = performance.now();
    const { validate } = await import(${JSON.stringify(join(ACTION, 'dist/lib.mjs'))});
    validate('staging:\\n  environment: staging\\n');
    console.log(performance.now() - t);`;
  const samples = [];
  for (let i = 0; i < 15; i++) {
    samples.push(Number(execFileSync(node, ['--input-type=module', '-e', script], { encoding: 'utf8' })));
  }
  return { node: execFileSync(node, ['--version'], { encoding: 'utf8' }).trim(), ms: distribution(samples) };
}

// ── statistics and printing ─────────────────────────────────────────────────────────────────────
function median(values) {
  return quantile(values, 0.5);
}

function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  return sorted[low] + (sorted[Math.ceil(at)] - sorted[low]) * (at - low);
}

function distribution(values) {
  return { p10: quantile(values, 0.1), median: median(values), p90: quantile(values, 0.9), min: Math.min(...values), max: Math.max(...values) };
}

function machine() {
  return { cpus: cpus().length, model: cpus()[0]?.model, platform: `${process.platform} ${process.arch}` };
}

const fmt = (n, digits = 1) => n.toFixed(digits);
const kb = (bytes) => `${fmt(bytes / 1024)} KB`;

function nodes() {
  const found = [];
  const node24 = join(ROOT, '.tools/node24/bin/node');
  if (existsSync(node24)) found.push(node24);
  if (process.versions.node.startsWith('20.')) found.push(process.execPath);
  return found;
}

// ── main ────────────────────────────────────────────────────────────────────────────────────────
console.log(`Build: ${result.dist}`);
if (wanted('sizes')) {
  result.sizes = sizes();
  console.log(`\nBundle (${label(DIST)}): ${kb(result.sizes.total)} (${kb(result.sizes.totalGzip)} gzipped)`);
  for (const f of result.sizes.dist) console.log(`  ${f.file.padEnd(28)} ${kb(f.bytes).padStart(10)} ${kb(f.gzip).padStart(10)} gz`);
  const within = result.sizes.step <= BUDGET.stepBytes ? 'within' : 'OVER';
  console.log(`  what a step loads (main.mjs + deliverybot.wasm): ${fmt(result.sizes.step / 1000)} kB, ${within} the budget of ${BUDGET.stepBytes / 1000} kB`);
  if (result.sizes.stages.length > 0) console.log('  .wasm by build stage:');
  for (const s of result.sizes.stages) console.log(`    ${s.stage.padEnd(56)} ${kb(s.bytes).padStart(10)}`);
}

if (wanted('cold')) {
  result.cold_start = [];
  if (!existsSync(PEERS)) console.log(`\nNo peer actions at ${PEERS} (--peers): the cold-start section times Deliverybot alone.`);
  for (const node of nodes()) {
    const r = await coldStart(node);
    result.cold_start.push(r);
    const W = Math.max(26, ...r.tools.map((t) => t.tool.length));
    console.log(`\nCold start to outcome, ${r.node}, ${r.runs} interleaved runs of each (a push: create one deployment)`);
    console.log(`  ${'tool'.padEnd(W)} ${'requests'.padStart(8)} ${'median'.padStart(9)} ${'floor'.padStart(9)}  time / floor: of medians, per run p10 / median / p90`);
    for (const t of r.tools) {
      console.log(
        `  ${t.tool.padEnd(W)} ${String(t.requests).padStart(8)} ${fmt(t.ms.median).padStart(6)} ms ${fmt(t.floor_ms.median).padStart(6)} ms  ${fmt(t.ratio_of_medians, 2)}×; ${fmt(t.ratio_per_pair.p10, 2)}× / ${fmt(t.ratio_per_pair.median, 2)}× / ${fmt(t.ratio_per_pair.p90, 2)}×`,
      );
    }
    const [ours, peers] = [r.tools[0], r.tools.slice(DISTS.length)];
    const ahead = peers.every((p) => ours.ratio_of_medians < p.ratio_of_medians);
    console.log(`  budget (${ours.tool}): at most ${BUDGET.ratio}× the floor${peers.length ? ' and ahead of the peers' : ''}: ${ours.ratio_of_medians <= BUDGET.ratio && ahead ? 'met' : 'NOT met'}`);
    console.log(`  Deliverybot's floor written with \`import http from 'node:http'\`: median ${fmt(r.floor_with_es_import_ms.median)} ms`);
    console.log(`  peak RSS  action ${fmt(r.peak_rss_mb.action)} MB, floor ${fmt(r.peak_rss_mb.floor)} MB`);
  }
}

if (wanted('requests')) {
  result.requests = await requestsPerScenario();
  console.log('\nRequests per scenario');
  for (const r of result.requests) console.log(`  ${r.scenario.padEnd(28)} ${String(r.requests).padStart(3)} requests, ${r.writes} writes`);
}

if (wanted('instantiate')) {
  result.instantiate = [];
  for (const node of nodes()) {
    const r = await instantiate(node);
    result.instantiate.push(r);
    console.log(`\nThe library's first call (import, compile and instantiate the engine, validate), ${r.node}: median ${fmt(r.ms.median, 2)} ms (p90 ${fmt(r.ms.p90, 2)})`);
  }
}

if (wanted('compiled')) {
  const node = nodes()[0];
  const r = compiledOnPush(node);
  result.compiled = r;
  console.log(`\nEngine code compiled on a push (${r.node}): ${r.functions} of ${r.module.functions} functions, ${kb(r.bytes)} of ${kb(r.module.bytes)}`);
  console.log(`  the engine's part of a push (library, replies canned): ${fmt(r.first_ms.median, 2)} ms in a fresh process (the module and the code the push runs compiled), ${fmt(r.second_ms.median, 2)} ms for the same push again (medians)`);
}

if (wanted('planning')) {
  result.planning = { wasm: await wasmPlanning(), native: options['skip-native'] ? [] : nativePlanning() };
  console.log('\nEngine time for a push, replies canned (median ms)');
  console.log(`  ${'workload'.padEnd(12)} ${'targets'.padStart(7)} ${'payload'.padStart(10)} ${'requests'.padStart(8)} ${'wasm'.padStart(9)} ${'native'.padStart(9)}`);
  result.planning.wasm.forEach((w, i) => {
    const n = result.planning.native[i];
    console.log(`  ${w.workload.padEnd(12)} ${String(w.targets).padStart(7)} ${kb(w.payload_bytes).padStart(10)} ${String(w.requests).padStart(8)} ${fmt(w.ms, 3).padStart(9)} ${(n ? fmt(n.ms, 3) : '-').padStart(9)}`);
  });
}

if (wanted('monorepo')) {
  const r = await monorepoPush();
  result.monorepo = r;
  console.log(`\nThe monorepo recipe (docs/recipes.md): ${r.services} services, a push that touches one (every service last deployed at one commit)`);
  console.log(`  requests            ${r.requests} (${r.writes} write)`);
  console.log(`  the step, end to end against the fake: median ${fmt(r.step_ms.median)} ms (p10 ${fmt(r.step_ms.p10)}, p90 ${fmt(r.step_ms.p90)})`);
  console.log(`  the engine, inside WebAssembly, answers canned: median ${fmt(r.engine_ms.median, 3)} ms (p10 ${fmt(r.engine_ms.p10, 3)}, p90 ${fmt(r.engine_ms.p90, 3)})`);
}

if (OUT) {
  writeFileSync(OUT, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\nWrote ${OUT}`);
}
