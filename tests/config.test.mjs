// The deploy.yml language end to end: the CLI's `validate`, the JSON Schema editors use, and the
// action failing on a bad config (every problem annotated, nothing created) or rendering templates.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import { parse as parseYaml } from 'yaml';
import { ACTION_NODE, EXAMPLE_SHA as SHA, exampleRepo, runAction, webhookExample } from './support/action.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = `${ROOT}dist/cli.mjs`;
const FIXTURES = 'tests/fixtures/configs';

function cli(...args) {
  const run = spawnSync(ACTION_NODE, [CLI, ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

const examples = [
  ...readdirSync(`${ROOT}examples`).filter((f) => f.endsWith('.yml')).map((f) => `examples/${f}`),
  ...readdirSync(`${ROOT}examples/original`).map((f) => `examples/original/${f}`),
];

// Every invalid fixture, with what `deliverybot validate` says of it (positions are exact).
const INVALID = {
  'wrong-types': [
    '2:15: `auto_merge` must be true or false; this is the string "no"',
    '3:22: `required_contexts` must be a list of check names, like `[ci, security]`; this is the string "ci"',
    '4:26: `transient_environment` must be true or false; this is the number 1',
    '5:12: `payload` must be a map, like `payload: { region: eu }`; this is a list',
  ],
  'bad-ref': [
    '2:19: `auto_deploy_on` is a full ref (like `refs/heads/main`) or `pr`; `main` would never match',
    '4:19: `auto_deploy_on` is a full ref (like `refs/tags/v*`) or `pr`; `v*` would never match',
  ],
  'pull-refs': [
    "3:19: `auto_deploy_on: refs/pull/*` would select pull requests' refs (`refs/pull/<number>/head` and `/merge`), forks' and drafts' too; use `auto_deploy_on: pr`, which follows `allow_forks` and `allow_drafts`",
    "5:19: `auto_deploy_on: refs/*` would select pull requests' refs (`refs/pull/<number>/head` and `/merge`), forks' and drafts' too; use `auto_deploy_on: pr`, which follows `allow_forks` and `allow_drafts`; for branches or tags, `refs/heads/*` or `refs/tags/*`",
    '7:19: `auto_deploy_on: refs/heads/../pull/7/head` is not a ref: git refs have no `..`, no empty part and no part that starts with `.`, and a request for it would read another ref',
  ],
  'not-a-map': ['1:1: a config is a map of target names to targets, like `staging: { environment: staging }`; this is a list'],
  'bad-template': [
    '3:19: in `${{ prr }}`: unknown variable `prr`; did you mean `pr`?',
    '4:16: `${{` is not closed: end the expression with `}}`',
  ],
  duplicate: ['3:1: `staging` is set twice in this map'],
  'misspelt-safeguard': [
    '4:3: unknown key `requried_contexts` in target `production`; did you mean `required_contexts`? A misspelt `required_contexts` is an error, not a warning: ignoring it would deploy without the protection it asks for',
    '5:3: unknown key `permision` in target `production`; did you mean `permission`? A misspelt `permission` is an error, not a warning: ignoring it would deploy without the protection it asks for',
    '8:7: unknown key `required_context` in a `deployments` entry; did you mean `required_contexts`? A misspelt `required_contexts` is an error, not a warning: ignoring it would deploy without the protection it asks for',
  ],
  'alias-bomb': ['6:29: the config expands to more than 1000000 values (through YAML aliases); it is refused'],
  'bad-paths': [
    "3:31: `paths` pattern `/abs/**`: paths start from the repository's root without a `/`: `docs/**`, not `/docs/**`",
    '3:43: `paths` pattern `v[0-9`: `[` is not closed by a `]`',
    "5:10: `paths` has only `!` patterns, which take files out of none, so no change would deploy the target; list the files that should (like `['services/web/**']`), and leave files out with `!` after them or with `paths_ignore`",
    "6:17: `paths_ignore` must be a list of file patterns, like `['services/web/**']`; this is the string \"**/*.md\"",
  ],
};

// Fixtures the original Deliverybot accepted (unknown keys, more than one legacy `deployments`
// entry): valid, what they hold that is ignored a warning of the engine's.
const ACCEPTED = ['unknown-keys', 'legacy-many'];

test('the fixtures listed are all the fixtures there are', () => {
  assert.deepEqual(readdirSync(`${ROOT}${FIXTURES}`).map((f) => f.replace(/\.yml$/, '')).sort(), [...Object.keys(INVALID), ...ACCEPTED].sort());
});

for (const name of ACCEPTED) {
  test(`deliverybot validate accepts ${name}.yml, as the original did`, () => {
    const run = cli('validate', `${FIXTURES}/${name}.yml`);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /: valid, \d+ targets?/);
    // What is ignored is said, each at its place.
    assert.match(run.stderr, new RegExp(`^${FIXTURES}/${name}\\.yml:\\d+:\\d+: warning: `, 'm'));
  });
}

for (const path of examples) {
  test(`deliverybot validate accepts ${path}`, () => {
    const run = cli('validate', path);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`^${path}: valid, \\d+ targets?`));
    assert.equal(run.stderr, '');
  });
}

for (const [name, expected] of Object.entries(INVALID)) {
  test(`deliverybot validate reports every problem of ${name}.yml at its position`, () => {
    const path = `${FIXTURES}/${name}.yml`;
    const started = Date.now();
    const run = cli('validate', path);
    assert.equal(run.code, 1);
    assert.equal(run.stdout, '');
    const problems = `${expected.length} problem${expected.length === 1 ? '' : 's'}`;
    assert.equal(run.stderr, [...expected.map((line) => `${path}:${line}`), `${path}: ${problems}`, ''].join('\n'));
    assert.ok(Date.now() - started < 5000, 'refused quickly');
  });
}

test('deliverybot validate: a missing file, a bad flag and help', () => {
  const missing = cli('validate', 'nope.yml');
  assert.equal(missing.code, 2);
  assert.equal(missing.stderr, 'deliverybot validate: cannot read nope.yml: no such file\n');
  const flag = cli('validate', '--strict', 'examples/deploy.yml');
  assert.equal(flag.code, 2);
  assert.match(flag.stderr, /^deliverybot validate: unexpected --strict/);
  const help = cli('--help');
  assert.equal(help.code, 0);
  assert.match(help.stdout, /validate \[path\]/);
  const unknown = cli('deploy');
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown command `deploy`/);
});

// The schema editors use (yaml-language-server), generated from the Rust types: draft-07, as
// SchemaStore asks, checked by Ajv's draft-07 class in strict mode (unknown keywords and formats fail).
const schema = JSON.parse(readFileSync(`${ROOT}schema/deploy.schema.json`, 'utf8'));
const checkSchema = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema);

test('the JSON Schema is one SchemaStore can list: draft-07, its $id the URL of the README\'s modeline', () => {
  assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
  assert.match(schema.$id, /^https:\/\/raw\.githubusercontent\.com\/deliverybot\/deliverybot\/v1\/schema\/deploy\.schema\.json$/);
  for (const file of ['README.md', 'docs/configuration.md']) {
    const text = readFileSync(`${ROOT}${file}`, 'utf8');
    assert.deepEqual([...text.matchAll(/yaml-language-server: \$schema=(\S+)/g)].map((m) => m[1]), [schema.$id], file);
  }
});

test('the JSON Schema\'s defaults and examples are valid where they stand, its descriptions one line each', () => {
  const ajv = new Ajv({ strict: true, allowUnionTypes: true });
  for (const example of schema.examples) assert.ok(checkSchema(example), JSON.stringify(checkSchema.errors));
  let checked = 0;
  for (const [name, definition] of Object.entries(schema.definitions)) {
    for (const [key, property] of Object.entries(definition.properties ?? {})) {
      const check = ajv.compile({ ...property, definitions: schema.definitions });
      for (const value of [...('default' in property ? [property.default] : []), ...(property.examples ?? [])]) {
        assert.ok(check(value), `${name}.${key}: ${JSON.stringify(value)}: ${JSON.stringify(check.errors)}`);
        checked++;
      }
    }
  }
  assert.ok(checked >= 20, `${checked} defaults and examples`);
  const descriptions = JSON.stringify(schema).match(/"description":"(?:[^"\\]|\\.)*"/g);
  assert.ok(descriptions.length > 20);
  for (const description of descriptions) assert.doesNotMatch(description, /\\n/);
});

for (const path of examples) {
  test(`the JSON Schema accepts ${path}`, () => {
    const config = parseYaml(readFileSync(`${ROOT}${path}`, 'utf8'), { merge: true });
    assert.ok(checkSchema(config), JSON.stringify(checkSchema.errors));
  });
}

for (const name of ['unknown-keys', 'misspelt-safeguard', 'wrong-types', 'bad-ref', 'legacy-many', 'not-a-map']) {
  test(`the JSON Schema rejects ${name}.yml`, () => {
    const config = parseYaml(readFileSync(`${ROOT}${FIXTURES}/${name}.yml`, 'utf8'));
    assert.equal(checkSchema(config), false);
  });
}

test('the JSON Schema leaves templates to Deliverybot: bad-template.yml is well-formed for it', () => {
  assert.ok(checkSchema(parseYaml(readFileSync(`${ROOT}${FIXTURES}/bad-template.yml`, 'utf8'))));
});

// The action.
const push = () => webhookExample('push', (p) => p.ref === 'refs/heads/master' && !p.deleted);

async function withFake(fn) {
  const { fake, repo } = await exampleRepo();
  try {
    await fn(fake, repo);
  } finally {
    await fake.close();
  }
}

test('an invalid config fails the step with an annotation for each problem, and creates nothing', () =>
  withFake(async (fake, repo) => {
    repo.setFile('master', '.github/deploy.yml', readFileSync(`${ROOT}${FIXTURES}/wrong-types.yml`, 'utf8'));
    const run = await runAction({ fake, eventName: 'push', payload: push() });

    assert.equal(run.code, 1);
    assert.deepEqual(fake.writes(), []);
    const annotations = run.commands.filter((c) => c.command === 'error' && c.properties.file);
    assert.deepEqual(
      annotations.map((c) => [c.properties.file, c.properties.line, c.properties.col, c.message]),
      INVALID['wrong-types'].map((line) => {
        const [, l, c, message] = /^(\d+):(\d+): (.*)$/.exec(line);
        return ['.github/deploy.yml', l, c, `.github/deploy.yml:${l}:${c}: ${message}`];
      }),
    );
    assert.ok(run.commands.some((c) => c.command === 'error' && c.message === '.github/deploy.yml has 4 problems; nothing was deployed.'));
    for (const line of INVALID['wrong-types']) assert.ok(run.summary.includes(`.github/deploy.yml:${line}`), run.summary);
  }));

test('templates render on a push: branch, commit message (read only because it is used), defaults', () =>
  withFake(async (fake, repo) => {
    repo.setCommit(SHA, { message: 'Fix <script> & "quotes"\n\nwith a body', author: { name: 'Monalisa Octocat' } });
    repo.setFile(
      'master',
      '.github/deploy.yml',
      [
        'staging:',
        '  auto_deploy_on: refs/heads/*',
        '  environment: ${{ branch }}-staging',
        '  description: ${{ commit.message }}',
        '  payload:',
        '    pr: ${{ pr || \'none\' }}',
        '    author: ${{ commit.author.name }}',
        '    ${{ repo }}: ${{ short_sha }}',
        '',
      ].join('\n'),
    );
    const run = await runAction({ fake, eventName: 'push', payload: push() });

    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.deepEqual(fake.invalid(), []);
    assert.deepEqual(fake.requests.map((r) => `${r.method} ${r.operationId}`), [
      'GET repos/get-content',
      'GET git/get-ref',
      'GET repos/get-commit',
      'GET repos/list-deployments',
      'GET git/list-matching-refs',
      'POST repos/create-deployment',
    ]);
    const [deployment] = repo.deployments;
    assert.equal(deployment.environment, 'master-staging');
    assert.equal(deployment.description, 'Fix <script> & "quotes"\n\nwith a body', 'no HTML escaping');
    assert.equal(deployment.payload.pr, 'none');
    assert.equal(deployment.payload.author, 'Monalisa Octocat');
    assert.equal(deployment.payload['Hello-World'], '6113728');
  }));

test('a template with no value for this event fails its target at its position; the others deploy', () =>
  withFake(async (fake, repo) => {
    repo.setFile('master', '.github/deploy.yml', 'review:\n  auto_deploy_on: refs/heads/master\n  environment: pr${{ pr }}\nstaging:\n  auto_deploy_on: refs/heads/master\n  environment: staging\n');
    const run = await runAction({ fake, eventName: 'push', payload: push() });

    assert.equal(run.code, 1);
    assert.deepEqual(repo.deployments.map((d) => d.environment), ['staging']);
    const error = run.commands.find((c) => c.command === 'error' && c.properties.file);
    assert.deepEqual(error.properties, { file: '.github/deploy.yml', line: '3', col: '18' });
    assert.match(error.message, /`pr` has no value on this `push` event; give a default, like `\$\{\{ pr \|\| 'none' \}\}`/);
  }));
