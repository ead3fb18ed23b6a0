// The npm package as a user gets it: `npm pack`, the tarball installed into an empty project that
// cannot see this repository's sources, and every entry point used from there: ESM and CommonJS on
// Node 20 and 24 (run() over a request function and over a real Octokit, the step API, validate, the
// schema), the `deliverybot` bin, a strict TypeScript consumer compiled against the shipped types,
// and attw's check of every entry point under each module resolution.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ACTION_NODE, EXAMPLE_SHA, exampleRepo } from './support/action.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const NODES = [...new Set([process.execPath, ACTION_NODE])];
const CONFIG = 'staging:\n  auto_deploy_on: refs/heads/master\n  environment: staging\n';
let work;
let project;
let packed;

before(() => {
  work = mkdtempSync(join(tmpdir(), 'deliverybot-package-'));
  const npm = (args, cwd) => execFileSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd, encoding: 'utf8', env: { ...process.env, npm_config_cache: join(work, 'cache') } });
  [packed] = JSON.parse(npm(['pack', '--json', '--pack-destination', work], ROOT));
  project = join(work, 'consumer');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
  npm(['install', '--offline', join(work, packed.filename)], project);
  cpSync(join(ROOT, 'examples/push.json'), join(project, 'push.json')); // a real webhook payload
  // Octokit for the consumer, as an application would have it next to the package.
  mkdirSync(join(project, 'node_modules/@octokit'), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules/@octokit/core'), join(project, 'node_modules/@octokit/core'));
  for (const [name, text] of Object.entries(consumers())) writeFileSync(join(project, name), text);
});

after(() => rmSync(work, { recursive: true, force: true }));

function node(binary, args, env = {}) {
  const child = spawn(binary, args, { cwd: project, env: { PATH: `${join(binary, '..')}:${process.env.PATH}`, HOME: project, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

test('the tarball ships what the library and the CLI need: not the action\'s step bundles', (t) => {
  const files = packed.files.map((f) => f.path).sort();
  for (const file of files) assert.match(file, /^(dist\/(cli\.mjs|lib\.(mjs|cjs|d\.mts|d\.cts)|shared-\w+\.mjs|deliverybot\.wasm)|schema\/deploy\.schema\.json|README\.md|LICENSE|package\.json)$/);
  for (const file of ['LICENSE', 'dist/cli.mjs', 'dist/deliverybot.wasm', 'dist/lib.cjs', 'dist/lib.d.cts', 'dist/lib.d.mts', 'dist/lib.mjs']) assert.ok(files.includes(file), file);
  // The chunks the CLI and the library import are all there (the bins and imports below run them).
  assert.ok(files.some((file) => /^dist\/shared-\w+\.mjs$/.test(file)));
  t.diagnostic(`${packed.filename}: ${files.length} files, ${(packed.size / 1024).toFixed(1)} KiB packed, ${(packed.unpackedSize / 1024).toFixed(1)} KiB unpacked`);
  assert.ok(packed.size < 1024 * 1024, 'under 1 MiB');
});

for (const binary of NODES) {
  const version = execFileSync(binary, ['--version'], { encoding: 'utf8' }).trim();
  for (const consumer of ['esm.mjs', 'cjs.cjs']) {
    test(`${consumer === 'esm.mjs' ? 'import' : 'require'} on Node ${version}: run(), the step API, validate and the schema`, async () => {
      const run = await node(binary, [consumer]);
      assert.equal(run.code, 0, run.stderr);
      const seen = JSON.parse(run.stdout);
      assert.deepEqual(seen.exports, ['deliver', 'run', 'schema', 'start', 'validate']);
      assert.equal(seen.deliverIsRun, true);
      // run(): a real push payload, answered by a request function; the deployment is created.
      assert.equal(seen.failure, null);
      assert.equal(seen.calls[0], 'GET /repos/Codertocat/Hello-World/contents/.github/deploy.yml?ref=master');
      assert.equal(seen.calls.at(-1), 'POST /repos/Codertocat/Hello-World/deployments');
      assert.ok(seen.calls.slice(0, -1).every((c) => c.startsWith('GET ')), seen.calls.join('\n'));
      assert.equal(seen.created.ref, EXAMPLE_SHA);
      assert.equal(seen.created.environment, 'staging');
      assert.deepEqual(JSON.parse(seen.outputs.deployments).map((d) => [d.id, d.target]), [[42, 'staging']]);
      // The step API: start, requests, replies, the outcome.
      assert.equal(seen.steps[0], 'GET /repos/Codertocat/Hello-World/contents/.github/deploy.yml');
      assert.match(seen.stepSummary, /dry run: nothing was created/);
      assert.deepEqual(seen.validation, { targets: [], problems: [{ line: 2, column: 15, message: '`auto_merge` must be true or false; this is the number 3' }], warnings: [] });
      assert.equal(seen.schemaTitle, 'Deliverybot deploy.yml');
      assert.equal(seen.schemaFileSame, true);
    });
  }
}

test('run() over a real Octokit, against the fake GitHub API', async () => {
  const { fake, repo } = await exampleRepo();
  try {
    repo.setFile('master', '.github/deploy.yml', CONFIG);
    const run = await node(ACTION_NODE, ['octokit.mjs'], { FAKE_URL: fake.url });
    assert.equal(run.code, 0, run.stderr);
    const seen = JSON.parse(run.stdout);
    assert.equal(seen.failure, null);
    assert.deepEqual(JSON.parse(seen.outputs.deployments).map((d) => d.environment), ['staging']);
    assert.deepEqual(fake.writes().map((w) => `${w.method} ${w.path}`), ['POST /repos/Codertocat/Hello-World/deployments']);
    assert.deepEqual(fake.invalid(), []);
    // A refusal comes back to the engine as GitHub's answer, not as an exception.
    assert.match(seen.refused, /already deployed/);
  } finally {
    await fake.close();
  }
});

test('the deliverybot bin of the installed package', async () => {
  writeFileSync(join(project, 'deploy.yml'), CONFIG);
  const valid = await node(ACTION_NODE, [join(project, 'node_modules/.bin/deliverybot'), 'validate', 'deploy.yml']);
  assert.equal(valid.code, 0, valid.stderr);
  assert.equal(valid.stdout, 'deploy.yml: valid, 1 target: staging\n');
  const plan = await node(ACTION_NODE, [join(project, 'node_modules/.bin/deliverybot'), 'plan', '--config', 'deploy.yml', '--event', 'push', '--payload', 'push.json']);
  assert.equal(plan.code, 0, plan.stderr);
  assert.match(plan.stdout, /^staging +staging +6113728 +would create/m);
  const schema = await node(ACTION_NODE, [join(project, 'node_modules/.bin/deliverybot'), 'schema']);
  assert.equal(JSON.parse(schema.stdout).title, 'Deliverybot deploy.yml');
});

test('every entry point resolves under each resolution mode attw checks, schema.json included', () => {
  // node10 (TypeScript's `moduleResolution: node`, which ignores `exports`), node16 from CommonJS and
  // from ESM, and bundler; --no-definitely-typed: the package's own types, nothing from the registry.
  let report;
  try {
    report = execFileSync(join(ROOT, 'node_modules/.bin/attw'), [join(work, packed.filename), '--format', 'json', '--no-definitely-typed'], { encoding: 'utf8' });
  } catch (err) {
    assert.fail(`attw found problems:\n${err.stdout}${err.stderr}`);
  }
  const { analysis } = JSON.parse(report);
  assert.deepEqual(analysis.problems, []);
  assert.deepEqual(Object.keys(analysis.entrypoints).sort(), ['.', './package.json', './schema.json']);
  for (const [subpath, entry] of Object.entries(analysis.entrypoints)) {
    assert.deepEqual(Object.keys(entry.resolutions).sort(), ['bundler', 'node10', 'node16-cjs', 'node16-esm']);
    for (const [mode, { resolution }] of Object.entries(entry.resolutions)) assert.ok(resolution?.fileName, `${subpath} under ${mode}`);
  }
  const schemaFiles = Object.values(analysis.entrypoints['./schema.json'].resolutions).map(({ resolution }) => resolution.fileName);
  assert.deepEqual([...new Set(schemaFiles)], ['/node_modules/@deliverybot/core/schema/deploy.schema.json']);
});

/** A strict TypeScript consumer's compiler options. */
const STRICT = { strict: true, noEmit: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', lib: ['es2022', 'dom'], types: [], skipLibCheck: false };

test('a strict TypeScript consumer compiles against the shipped types, from ESM and CommonJS', () => {
  writeFileSync(
    join(project, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: STRICT,
      files: ['types.mts', 'types.cts'],
    }),
  );
  try {
    execFileSync(join(ROOT, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json'], { cwd: project, encoding: 'utf8' });
  } catch (err) {
    assert.fail(`tsc failed:\n${err.stdout}${err.stderr}`);
  }
  // And a misuse is caught: the types are not `any`.
  writeFileSync(join(project, 'wrong.mts'), "import { run } from '@deliverybot/core';\nawait run({ eventName: 'push', payload: {}, executor: 42 });\n");
  writeFileSync(join(project, 'tsconfig.wrong.json'), JSON.stringify({ extends: './tsconfig.json', files: ['wrong.mts'] }));
  assert.throws(() => execFileSync(join(ROOT, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.wrong.json'], { cwd: project, encoding: 'utf8' }), (err) => /wrong\.mts\(2,\d+\): error TS2322: Type 'number' is not assignable to type 'OctokitLike \| RequestFunction'/.test(err.stdout));
});

test('the shipped types describe the wire format: the golden files the Rust tests hold the engine to', () => {
  // tests/fixtures/wire/*.json are what the engine's serde derive writes (crates/deliverybot-core,
  // protocol.rs) and what the binding hands JavaScript (crates/deliverybot-wasm/tests/node.rs). As
  // object literals they get TypeScript's excess-property check: a field the types lack fails, as
  // does a field the types require and the engine does not write.
  const wire = (name) => readFileSync(join(ROOT, 'tests/fixtures/wire', name), 'utf8');
  const golden = (steps) => `import type { Step, Validation } from '@deliverybot/core';\nexport const steps: Step[] = ${steps};\nexport const validations: Validation[] = ${wire('validation.json')};\n`;
  writeFileSync(join(project, 'wire.mts'), golden(wire('steps.json')));
  writeFileSync(join(project, 'tsconfig.wire.json'), JSON.stringify({ compilerOptions: STRICT, files: ['wire.mts'] }));
  const tsc = () => execFileSync(join(ROOT, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.wire.json'], { cwd: project, encoding: 'utf8' });
  try {
    tsc();
  } catch (err) {
    assert.fail(`the golden wire files do not fit action/lib.d.ts:\n${err.stdout}${err.stderr}`);
  }
  // And a field the engine would add without the types knowing it is caught.
  const steps = JSON.parse(wire('steps.json'));
  steps[0].next.retries = 3;
  writeFileSync(join(project, 'wire.mts'), golden(JSON.stringify(steps)));
  assert.throws(tsc, (err) => /wire\.mts\(\d+,\d+\): error TS2353: Object literal may only specify known properties, and '"retries"' does not exist in type 'Request'/.test(err.stdout));
});

// ── the consumer projects' files ─────────────────────────────────────────────────────────────────

// One body for ESM and CommonJS: `lib` is the package, `read` reads a file of the project.
function scenario() {
  return `
  const config = ${JSON.stringify(CONFIG)};
  const payload = JSON.parse(read('push.json'));
  const calls = [];
  let created;
  const result = await lib.run({
    eventName: 'push',
    payload,
    context: { run_id: '1' },
    executor: async (method, path, body) => {
      calls.push(method + ' ' + path);
      if (path.includes('/contents/')) return { status: 200, headers: { 'content-type': 'text/plain' }, body: config };
      if (path.includes('/git/ref/')) return { status: 200, body: { ref: 'refs/heads/master', object: { sha: payload.after, type: 'commit' } } };
      if (method === 'POST') {
        created = body;
        return { status: 201, body: { id: 42, url: 'https://api.github.com/repos/Codertocat/Hello-World/deployments/42' } };
      }
      return { status: 200, body: [] };
    },
  });

  const engine = lib.start({ eventName: 'push', payload: JSON.stringify(payload), inputs: { 'dry-run': true } });
  const steps = [];
  let step = engine.step();
  while (step.next.type === 'request') {
    steps.push(step.next.method + ' ' + step.next.path);
    step = engine.step(step.next.path.includes('/contents/') ? { status: 200, body: config } : { status: 200, headers: {}, body: '[]' });
  }
  engine.free();

  console.log(JSON.stringify({
    exports: Object.keys(lib).filter((k) => k !== 'default' && k !== 'module.exports').sort(),
    deliverIsRun: lib.deliver === lib.run,
    failure: result.failure ?? null,
    outputs: result.outputs,
    calls,
    created,
    steps,
    stepSummary: step.next.summary,
    validation: lib.validate('staging:\\n  auto_merge: 3\\n'),
    schemaTitle: lib.schema().title,
    schemaFileSame: JSON.stringify(lib.schema()) === schemaFile(),
  }));
`;
}

function consumers() {
  return {
  'esm.mjs': `import * as lib from '@deliverybot/core';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
const read = (path) => readFileSync(path, 'utf8');
const schemaFile = () => JSON.stringify(JSON.parse(read(createRequire(import.meta.url).resolve('@deliverybot/core/schema.json'))));
${scenario()}`,

  'cjs.cjs': `const lib = require('@deliverybot/core');
const { readFileSync } = require('node:fs');
const read = (path) => readFileSync(path, 'utf8');
const schemaFile = () => JSON.stringify(require('@deliverybot/core/schema.json'));
(async () => {
${scenario()}
})().catch((err) => { console.error(err); process.exitCode = 1; });`,

  'octokit.mjs': `import { run } from '@deliverybot/core';
import { Octokit } from '@octokit/core';
import { readFileSync } from 'node:fs';
const octokit = new Octokit({ auth: 'test-token', baseUrl: process.env.FAKE_URL });
const payload = JSON.parse(readFileSync('push.json', 'utf8'));
const result = await run({ eventName: 'push', payload, executor: octokit });
const again = await run({ eventName: 'push', payload, executor: octokit.request });
console.log(JSON.stringify({ failure: result.failure ?? null, outputs: result.outputs, refused: again.summary }));
`,

  'types.mts': `import { run, deliver, start, validate, schema, type Reply, type Step, type Result, type RequestFunction } from '@deliverybot/core';
import { Octokit } from '@octokit/core';

const payload = { ref: 'refs/heads/main', after: 'a'.repeat(40), repository: { full_name: 'octo/app', default_branch: 'main' } };
const request: RequestFunction = async (method, path, body, req) => {
  const purpose: string = req.purpose;
  return method === 'GET' ? { status: 200, headers: { link: '' }, body: [] } : { error: \`no answer to \${path} (\${purpose}) \${JSON.stringify(body)}\` };
};
const result: Result = await run({ eventName: 'push', payload, inputs: { 'dry-run': true }, executor: request, onLog: (line) => line.level });
const created: string | undefined = result.outputs.deployments;
const failed: string | undefined = result.failure;
await deliver({ eventName: 'push', payload: JSON.stringify(payload), executor: new Octokit({ auth: 't' }) });

const engine = start({ eventName: 'push', payload, context: { repository: 'octo/app', job: 'deliver' } });
let step: Step = engine.step();
while (step.next.type !== 'done') {
  if (step.next.type === 'zone') {
    // A freeze window's time zone: its TZif bytes, or none.
    const zone: Uint8Array | undefined = step.next.name === 'UTC' ? new Uint8Array(0) : undefined;
    step = engine.step({ zone });
    continue;
  }
  const { method, path, query, accept, idempotent } = step.next;
  const reply: Reply = method === 'GET' && idempotent ? { status: 404, body: path + query.length + (accept ?? '') } : { error: 'lost' };
  step = engine.step(reply);
}
const outputs: [string, string][] = step.next.outputs;
const summary: string = step.next.summary;
engine.free();

const { targets, problems } = validate('staging:\\n');
const first: number | null = problems[0]?.line ?? null;
const title = schema()['title'];
export { created, failed, outputs, summary, targets, first, title };
`,

  'types.cts': `import core = require('@deliverybot/core');
const validation: core.Validation = core.validate('production:\\n');
const names: string[] = validation.targets;
const outcome: Promise<core.Result> = core.run({ eventName: 'schedule', payload: '{}', context: { repository: 'octo/app' }, executor: () => ({ status: 200, body: '' }) });
export = { names, outcome };
`,
};
}
