// Deliverybot's benchmark: one command, a table on stdout and a JSON result to compare before and
// after a change.
//
//   node bench/run.mjs [--runs 40] [--out bench/results.json] [--skip-native] [--only cold,sizes,...]
//
// --only runs some sections (sizes, cold, compiled, requests, instantiate, planning) and writes no JSON unless
// --out is given, so a quick before/after of one number does not overwrite the recorded results.
//
// Measures: the size of what runs (dist/), and of the .wasm at each build stage; cold start of the
// action against the floor (a plain node:http script making the same requests), as distributions of
// alternating runs, on Node 24 and Node 20; requests per scenario; engine planning time by number of
// targets and by payload size, inside WebAssembly from Node and natively; WebAssembly instantiate
// time; peak memory. Run scripts/build.sh first (./dev test does).

import { spawn, execFileSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { EXAMPLE_SHA as SHA, exampleRepo, runAction, webhookExample, installedAction } from '../tests/support/action.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { values: options } = parseArgs({
  options: {
    runs: { type: 'string', default: '40' },
    out: { type: 'string' },
    'skip-native': { type: 'boolean', default: false },
    only: { type: 'string' },
  },
});
const SECTIONS = ['sizes', 'cold', 'compiled', 'requests', 'instantiate', 'planning'];
const only = options.only ? options.only.split(',').map((s) => s.trim()) : SECTIONS;
for (const s of only) if (!SECTIONS.includes(s)) throw new Error(`--only: unknown section ${s} (known: ${SECTIONS.join(', ')})`);
const OUT = options.out ?? (options.only ? null : join(ROOT, 'bench/results.json'));
const wanted = (section) => only.includes(section);
const RUNS = Number(options.runs);
const result = { machine: machine(), date: new Date().toISOString() };

// ── sizes ───────────────────────────────────────────────────────────────────────────────────────
function sizes() {
  const dist = readdirSync(join(ROOT, 'dist')).map((name) => {
    const bytes = readFileSync(join(ROOT, 'dist', name));
    return { file: `dist/${name}`, bytes: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  });
  const stage = (label, path) => (existsSync(join(ROOT, path)) ? { stage: label, file: path, bytes: statSync(join(ROOT, path)).size } : null);
  const stages = [
    stage('cargo (opt-level z, LTO, codegen-units 1, panic abort)', 'target/wasm32-unknown-unknown/release/deliverybot_wasm.wasm'),
    stage('wasm-bindgen', 'build/pkg/deliverybot_wasm_bg.wasm'),
    stage('wasm-opt -Oz, debug and producers stripped', 'build/deliverybot.full.wasm'),
    stage('split: the main module (what common events run)', 'dist/deliverybot.wasm'),
    stage('split: the cold module (compiled when a run needs it)', 'dist/deliverybot.cold.wasm'),
  ].filter(Boolean);
  return { dist, total: dist.reduce((n, f) => n + f.bytes, 0), totalGzip: dist.reduce((n, f) => n + f.gzip, 0), stages };
}

// ── cold start ──────────────────────────────────────────────────────────────────────────────────
const CONFIG = 'staging:\n  auto_deploy_on: refs/heads/master\n  environment: staging\n';
// The same target with what configs commonly add: templates, booleans, a list, a payload. A push
// compiles more with it (the template compiler, the core schema's typing of scalars).
const RICH_CONFIG = `staging:
  auto_deploy_on: refs/heads/master
  environment: staging
  description: "Deploy \${{ short_sha }} to staging"
  required_contexts: []
  auto_merge: false
  transient_environment: false
  payload:
    ref: \${{ ref }}
`;

function actionEnv(fake, dir) {
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
    GITHUB_OUTPUT: join(dir, 'output'),
    GITHUB_STATE: join(dir, 'state'),
    GITHUB_STEP_SUMMARY: join(dir, 'summary'),
    INPUT_TOKEN: 'test-token',
    INPUT_CONFIG: '.github/deploy.yml',
    'INPUT_DRY-RUN': 'false',
  };
}

function timeProcess(node, script, env, extraArgs = []) {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(node, [...extraArgs, script], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += c));
    child.on('exit', (code) => (code === 0 ? resolve(performance.now() - start) : reject(new Error(`${script} exited ${code}: ${stderr}`))));
  });
}

/** A fake GitHub with the repository of the push payload and a one-target config, and a work folder. */
async function pushScenario(config = CONFIG) {
  const { fake, repo } = await exampleRepo();
  repo.setFile('master', '.github/deploy.yml', config);
  return { fake, repo, dir: mkdtempSync(join(tmpdir(), 'deliverybot-bench-')) };
}

async function coldStart(node) {
  const { fake, repo, dir } = await pushScenario();
  const env = actionEnv(fake, dir);
  const action = join(installedAction(), 'dist/main.mjs');
  const floor = join(ROOT, 'bench/floor.mjs');
  const floorImport = join(ROOT, 'bench/floor-import.mjs');
  const samples = { action: [], floor: [], floorImport: [] };
  const memory = { action: [], floor: [] };
  try {
    // Warm the fake (its schema validators compile on first use) and the OS file cache, and check
    // that the floors make the very requests the action makes.
    const seen = ({ method, path, query, body, headers: { host, connection, ...headers } }) => JSON.stringify([method, path, query, body, headers]);
    for (let i = 0; i < 3; i++) {
      const sent = [];
      for (const script of [action, floor, floorImport]) {
        fake.requests.length = 0;
        await timeProcess(node, script, env);
        sent.push(fake.requests.map(seen).join('\n'));
        repo.deployments.length = 0;
      }
      if (new Set(sent).size !== 1) throw new Error(`the floor's requests differ from the action's:\n${sent.join('\n--\n')}`);
    }
    for (let i = 0; i < RUNS; i++) {
      // Each script takes each place in the order in turn, so drift in the machine's load and the
      // run before hit all alike.
      const scripts = [['action', action], ['floor', floor], ['floorImport', floorImport]];
      const order = [...scripts.slice(i % 3), ...scripts.slice(0, i % 3)];
      for (const [name, script] of i % 6 >= 3 ? order.reverse() : order) {
        fake.requests.length = 0;
        samples[name].push(await timeProcess(node, script, env));
        if (fake.requests.length !== 4) throw new Error(`${name} made ${fake.requests.length} requests, not 4`);
        repo.deployments.length = 0; // every run creates its deployment
      }
    }
    for (let i = 0; i < 5; i++) {
      for (const [name, script] of [['action', action], ['floor', floor]]) {
        const file = join(dir, 'rss');
        await timeProcess(node, script, { ...env, BENCH_RSS_FILE: file }, ['--import', join(ROOT, 'bench/rss.mjs')]);
        memory[name].push(Number(readFileSync(file, 'utf8')) / 1024);
        repo.deployments.length = 0;
      }
    }
  } finally {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const ratios = samples.action.map((a, i) => a / samples.floor[i]);
  return {
    node: execFileSync(node, ['--version'], { encoding: 'utf8' }).trim(),
    runs: RUNS,
    action_ms: distribution(samples.action),
    floor_ms: distribution(samples.floor),
    floor_with_es_import_ms: distribution(samples.floorImport),
    ratio_of_medians: median(samples.action) / median(samples.floor),
    ratio_per_pair: distribution(ratios),
    peak_rss_mb: { action: median(memory.action), floor: median(memory.floor) },
  };
}

// ── WebAssembly compiled on a push ──────────────────────────────────────────────────────────────
// V8 compiles a WebAssembly function (with Liftoff) the first time it is called, so what a cold start
// pays for is the code a run touches, not the size of the file. V8's own trace counts it.
/** The sections of a WebAssembly module: `{ id, name (custom sections), start, end }`. */
function sections(bytes) {
  const reader = leb128(bytes, 8);
  const found = [];
  while (reader.at < bytes.length) {
    const id = bytes[reader.at++];
    const size = reader.next();
    const start = reader.at;
    let name;
    if (id === 0) {
      const length = reader.next();
      name = Buffer.from(bytes.subarray(reader.at, reader.at + length)).toString();
    }
    found.push({ id, name, start, end: start + size });
    reader.at = start + size;
  }
  return found;
}

function leb128(bytes, at) {
  const reader = {
    at,
    next() {
      let value = 0;
      for (let shift = 0; ; shift += 7) {
        const byte = bytes[reader.at++];
        value += (byte & 0x7f) * 2 ** shift;
        if (byte < 0x80) return value;
      }
    },
  };
  return reader;
}

function codeSection(bytes) {
  const code = sections(bytes).find((section) => section.id === 10);
  if (!code) throw new Error('no code section');
  return { functions: leb128(bytes, code.start).next(), bytes: code.end - code.start, body: bytes.subarray(code.start, code.end) };
}

/** Function names by index, from the module's `name` section. */
function functionNames(bytes) {
  const names = new Map();
  const section = sections(bytes).find((s) => s.id === 0 && s.name === 'name');
  if (!section) return names;
  const reader = leb128(bytes, section.start);
  reader.at += 1 + 'name'.length; // the section's own name
  while (reader.at < section.end) {
    const kind = bytes[reader.at++];
    const end = reader.next() + reader.at;
    if (kind === 1) {
      for (let count = reader.next(); count > 0; count--) {
        const index = reader.next();
        const length = reader.next();
        names.set(index, Buffer.from(bytes.subarray(reader.at, reader.at + length)).toString());
        reader.at += length;
      }
    }
    reader.at = end;
  }
  return names;
}

// Where the code a push compiles comes from, by the (demangled) function names of the build's named
// twin of the module: the first pattern a name matches. A generic instantiated for another crate's
// type counts where the pattern list puts it first (a BTreeMap of JSON values counts as JSON).
const ORIGINS = [
  ['YAML parser (saphyr-parser)', /saphyr_parser|vec_deque/],
  ['JSON (serde, serde_json, derived impls)', /serde|itoa|zmij/],
  ['BTreeMap', /btree/],
  ['allocator (the arena, dlmalloc past it) and vector growth', /dlmalloc|deliverybot_wasm::arena|__rdl_|__rust_|finish_grow|raw_vec/],
  ['engine: config, templates, YAML tree', /deliverybot_core::(config|template|yaml)/],
  ['engine: the rest', /deliverybot/],
  ['wasm-bindgen and the exports', /wasm_bindgen|wbindgen|externref|^engine_|^validate$|multivalue/],
  ['standard library: iterators, strings, formatting', /\b(core|alloc|std)(\[[0-9a-f]+\])?::/],
  ['other crates', /./],
];

/**
 * Compiled bytes and functions by origin, or null when the named twin does not hold `code`, the
 * shipped module's code section.
 */
function byOrigin(compiled, code) {
  const twin = join(ROOT, 'build/deliverybot.named.wasm');
  if (!existsSync(twin)) return null;
  const named = readFileSync(twin);
  // The twin must hold the very same code (only names added), or its indices mean nothing.
  if (!codeSection(named).body.equals(code)) return null;
  const names = functionNames(named);
  const origins = ORIGINS.map(([origin]) => ({ origin, functions: 0, bytes: 0 }));
  const unnamed = { origin: 'unnamed', functions: 0, bytes: 0 };
  for (const { index, bytes } of compiled) {
    const name = names.get(index);
    const row = name === undefined ? unnamed : origins[ORIGINS.findIndex(([, pattern]) => pattern.test(name))];
    row.functions += 1;
    row.bytes += bytes;
  }
  return [...origins, unnamed].filter((row) => row.functions > 0).sort((a, b) => b.bytes - a.bytes);
}

async function compiledOnAPush(node, config = CONFIG) {
  const { fake, dir } = await pushScenario(config);
  try {
    // Asynchronously: the fake GitHub answers from this process's event loop. Into a file: V8 prints
    // its trace with C stdio, which drops what it cannot write at once to a non-blocking pipe.
    const traceFile = join(dir, 'trace');
    const fd = openSync(traceFile, 'w');
    try {
      await new Promise((resolve, reject) => {
        const child = spawn(node, ['--trace-wasm-compilation-times', join(installedAction(), 'dist/main.mjs')], {
          env: actionEnv(fake, dir),
          stdio: ['ignore', fd, 'inherit'],
        });
        child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`the traced push exited ${code}`))));
      });
    } finally {
      closeSync(fd);
    }
    const out = readFileSync(traceFile, 'utf8');
    const compiled = [...out.matchAll(/#(\d+) using Liftoff[^;]*; bodysize (\d+)/g)].map((m) => ({ index: Number(m[1]), bytes: Number(m[2]) }));
    if (fake.requests.length !== 4 || compiled.length === 0) throw new Error(`the traced push made ${fake.requests.length} requests and ${compiled.length} compiles`);
    // The action's stdout went to the same file: a push must not need the cold module.
    if (out.includes('deliverybot.cold.wasm')) throw new Error('the traced push compiled the cold module (scripts/split.mjs)');
    const module = codeSection(readFileSync(join(ROOT, 'dist/deliverybot.wasm')));
    return {
      node: execFileSync(node, ['--version'], { encoding: 'utf8' }).trim(),
      functions: compiled.length,
      bytes: compiled.reduce((sum, f) => sum + f.bytes, 0),
      module_functions: module.functions,
      module_code_bytes: module.bytes,
      by_origin: byOrigin(compiled, module.body),
    };
  } finally {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
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
    const outcome = await runAction({ fake, ...run });
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
  // Through the npm library's start(), as a tool would: JSON text in and out of WebAssembly included.
  const { start } = await import(join(ROOT, 'dist/lib.mjs'));
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
        engine.free();
        return requests;
      }
      requests++;
      if (next.path.endsWith('/contents/.github/deploy.yml')) reply = { status: 200, headers: {}, body: configText };
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

async function instantiate(node) {
  const script = `
    const { readFileSync } = await import('node:fs');
    const glue = await import(${JSON.stringify(join(ROOT, 'build/pkg/deliverybot_wasm.js'))});
    glue.coldImports.load = () => { throw new Error('not needed to instantiate'); };
    const bytes = readFileSync(${JSON.stringify(join(ROOT, 'dist/deliverybot.wasm'))});
    const t = performance.now();
    glue.initSync({ module: bytes });
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
if (wanted('sizes')) {
  result.sizes = sizes();
  console.log(`\nBundle (dist/): ${kb(result.sizes.total)} (${kb(result.sizes.totalGzip)} gzipped)`);
  for (const f of result.sizes.dist) console.log(`  ${f.file.padEnd(28)} ${kb(f.bytes).padStart(10)} ${kb(f.gzip).padStart(10)} gz`);
  console.log('  .wasm by build stage:');
  for (const s of result.sizes.stages) console.log(`    ${s.stage.padEnd(56)} ${kb(s.bytes).padStart(10)}`);
}

if (wanted('cold')) {
  result.cold_start = [];
  for (const node of nodes()) {
    const r = await coldStart(node);
    result.cold_start.push(r);
    console.log(`\nCold start to outcome, ${r.node}, ${r.runs} alternating runs (push, one target: 4 requests)`);
    console.log(`  action  median ${fmt(r.action_ms.median)} ms  (p10 ${fmt(r.action_ms.p10)}, p90 ${fmt(r.action_ms.p90)})`);
    console.log(`  floor   median ${fmt(r.floor_ms.median)} ms  (p10 ${fmt(r.floor_ms.p10)}, p90 ${fmt(r.floor_ms.p90)})`);
    console.log(`  floor written with \`import http from 'node:http'\`: median ${fmt(r.floor_with_es_import_ms.median)} ms`);
    console.log(`  ratio   ${fmt(r.ratio_of_medians, 2)}× of medians; per pair p10 ${fmt(r.ratio_per_pair.p10, 2)}×, median ${fmt(r.ratio_per_pair.median, 2)}×, p90 ${fmt(r.ratio_per_pair.p90, 2)}×`);
    console.log(`  peak RSS  action ${fmt(r.peak_rss_mb.action)} MB, floor ${fmt(r.peak_rss_mb.floor)} MB`);
  }
}

if (wanted('compiled')) {
  result.compiled = [];
  for (const node of nodes()) {
    const r = await compiledOnAPush(node);
    const rich = await compiledOnAPush(node, RICH_CONFIG);
    result.compiled.push({ ...r, rich_config: { functions: rich.functions, bytes: rich.bytes } });
    console.log(`\nWebAssembly compiled on a push, ${r.node}: ${r.functions} of ${r.module_functions} functions, ${kb(r.bytes)} of ${kb(r.module_code_bytes)} of code`);
    if (r.by_origin) for (const row of r.by_origin) console.log(`  ${row.origin.padEnd(52)} ${kb(row.bytes).padStart(9)}  ${String(row.functions).padStart(4)} functions`);
    else console.log('  (by origin: build/deliverybot.named.wasm is missing or not this dist/; run scripts/build.sh)');
    console.log(`  with a config that adds templates, booleans, a list and a payload: ${rich.functions} functions, ${kb(rich.bytes)}`);
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
    console.log(`\nWebAssembly compile + instantiate, ${r.node}: median ${fmt(r.ms.median, 2)} ms (p90 ${fmt(r.ms.p90, 2)})`);
  }
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

if (OUT) {
  writeFileSync(OUT, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\nWrote ${OUT}`);
}
