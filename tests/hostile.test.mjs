// Hostile input end to end: what someone outside the repository controls (a comment, a title, a
// branch name) reaches the built action, and the action must treat it as data. Each workflow
// command printed is read the way the GitHub runner reads a step's output (support/runner-commands.mjs).

import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { exampleRepo, runAction, webhookExample } from './support/action.mjs';
import { runnerCommands } from './support/runner-commands.mjs';
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';

let fake;
let repo;
beforeEach(async () => {
  ({ fake, repo } = await exampleRepo());
  repo.setFile('master', '.github/deploy.yml', 'review:\n  auto_deploy_on: pr\n  environment: pr${{ pr }}\n');
  repo.setPermission('hubot', 'read');
});
afterEach(() => fake.close());

function comment(body, login = 'hubot') {
  const payload = webhookExample('issue_comment', (p) => p.action === 'created');
  payload.comment.body = body;
  payload.comment.user = { ...payload.comment.user, login };
  payload.issue.pull_request = { url: 'https://api.github.com/repos/Codertocat/Hello-World/pulls/1', merged_at: null };
  return payload;
}

/** What the runner acts on in a run's output, the pause's own token as `token`. */
function acted(run) {
  const token = /^::stop-commands::(\S+)$/m.exec(run.stdout)?.[1];
  return runnerCommands(run.stdout).map(({ name }) => (name === token ? 'token' : name));
}

const hex = (ch) => `U+${ch.codePointAt(0).toString(16).toUpperCase().padStart(4, '0')}`;

// The engine logs a command's first line (up to `\n`): a `\r` inside it ends a line for the runner,
// and then a character the runner trims comes before a workflow command. (Every such character, one
// by one: runner.test.mjs; here the ones where JavaScript's rules differ from the runner's.)
const hiding = [
  ...['\u0085', '\u2028', '\u3000'].map((space) => [`\r and ${hex(space)}`, `\r${space}::save-state name=deployment::666`]),
  ['\r', '\r::add-mask::pwned'],
  ['\r and the older ##[ form', '\r##[set-env name=NODE_OPTIONS;]--require=/tmp/x'],
];

for (const [what, hidden] of hiding) {
  test(`a command after ${JSON.stringify(what).slice(1, -1)} in a comment is not acted on`, async () => {
    const firstLine = `/deploy review${hidden}`;
    assert.equal(runnerCommands(firstLine).length, 1, 'printed as it is, the runner would act on it');

    const run = await runAction({ fake, eventName: 'issue_comment', payload: comment(`${firstLine}\n::add-mask::second line, not logged`) });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.ok(run.stdout.includes(hidden), 'the comment is in the log, as it was written');
    const commands = acted(run);
    assert.equal(commands.filter((name) => name === 'add-mask').length, 1, 'only the token\'s mask');
    for (const name of commands) assert.ok(['add-mask', 'debug', 'notice', 'warning', 'error', 'stop-commands', 'token'].includes(name), name);
    assert.ok(commands.includes('token'), 'commands resume after the comment');
    assert.deepEqual(run.state, {});
  });
}

// Names and titles reach templates: a branch name may hold any character from U+0080 on (git refuses
// only ASCII's control characters, space and `~^:?*[\`), a pull request's title any at all. Rendered
// into an environment or a task, one that ends a line, or another control character, fails that
// target at its template, and the target creates nothing; shell syntax is left as data.
const push = (ref) => ({ ...webhookExample('push', (p) => p.ref === 'refs/heads/master' && !p.deleted), ref });

test('a branch named with U+0085 NEXT LINE fails the target whose environment renders it; nothing is created for it', async () => {
  repo.setFile('master', '.github/deploy.yml', 'preview:\n  auto_deploy_on: refs/heads/*\n  environment: preview-${{ branch }}\nstaging:\n  auto_deploy_on: refs/heads/*\n  environment: staging\n');
  const payload = push('refs/heads/fix\u0085$(id)');
  repo.setRef('heads/fix\u0085$(id)', payload.after); // the branch still points at the pushed commit
  const run = await runAction({ fake, eventName: 'push', payload });

  assert.equal(run.code, 1, run.stdout + run.stderr);
  assert.deepEqual(repo.deployments.map((d) => d.environment), ['staging'], 'the other target deploys');
  const error = run.commands.find((c) => c.command === 'error' && c.properties.file);
  assert.deepEqual(error.properties, { file: '.github/deploy.yml', line: '3', col: '16' });
  assert.equal(error.message, '.github/deploy.yml:3:16: the environment renders to "preview-fix\\u{85}$(id)", which contains a next line (U+0085); an environment is a name of 1 to 255 characters (GitHub\'s limit) on one line, without control characters');
  for (const name of acted(run)) assert.ok(['add-mask', 'debug', 'notice', 'warning', 'error', 'stop-commands', 'token'].includes(name), name);
});

const titled = [
  ['\r', '\\r', 'a carriage return (U+000D)'],
  ['\u2028', '\\u{2028}', 'a line separator (U+2028)'],
  ['\u001b', '\\u{1b}', 'the control character U+001B'],
];

for (const [control, escaped, named] of titled) {
  test(`a pull request title with ${hex(control)} fails the target whose task renders it, before any deployment is looked up or created`, async () => {
    repo.setFile('master', '.github/deploy.yml', 'review:\n  auto_deploy_on: pr\n  environment: pr${{ pr }}\n  task: review:${{ pull_request.title }}\n');
    const payload = webhookExample('pull_request', (p) => p.action === 'opened');
    payload.pull_request.title = `Fix it${control}::save-state name=deployment::666`;
    // As GitHub answers when the run reads the pull request again.
    repo.setPull(payload.number, { title: payload.pull_request.title, head: { sha: payload.pull_request.head.sha, ref: payload.pull_request.head.ref } });
    const run = await runAction({ fake, eventName: 'pull_request', payload });

    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.deepEqual(fake.writes(), []);
    assert.ok(!fake.requests.some((r) => r.path.endsWith('/deployments')), 'not even a look for an earlier deployment');
    const error = run.commands.find((c) => c.command === 'error' && c.properties.file);
    assert.deepEqual(error.properties, { file: '.github/deploy.yml', line: '4', col: '9' });
    assert.equal(error.message, `.github/deploy.yml:4:9: the task renders to "review:Fix it${escaped}::save-state name=deployment::666", which contains ${named}; a task is one line of text, without control characters`);
    assert.deepEqual(run.state, {});
  });
}

// Markup in outside text reaches the job summary as text: a lock's reason (typed in a comment) in
// the Reason column, a pull request's title in a rendered environment. Rendered the way GitHub
// renders Markdown (CommonMark with GitHub's extensions), the summary has no link whose text hides
// where it goes (only the repository's own deployment pages, and bare addresses shown as they are),
// no image and no HTML.
const MARKUP = 'www.e.x`<img src=y>` see [the runbook](https://evil.example/a) ![x](https://evil.example/x.png) <img src=x> \\[y](https://evil.example/b) `a`[z](https://evil.example/c)`';

function rendered(summary) {
  // With the HTML GitHub would render kept as HTML (its sanitizer lets `<img>` and `<a>` through).
  const html = micromark(summary, { allowDangerousHtml: true, extensions: [gfm()], htmlExtensions: [gfmHtml()] });
  const links = [...html.matchAll(/<a href="([^"]*)">(.*?)<\/a>/g)].map((m) => ({ href: m[1], text: m[2] }));
  const tags = new Set([...html.matchAll(/<([a-z][a-z0-9]*)/g)].map((m) => m[1]));
  return { html, links, tags };
}

test('markup in a lock reason and in a pull request title renders as text in the job summary', async () => {
  repo.setPermission('Codertocat', 'write');
  const opened = webhookExample('pull_request', (p) => p.action === 'opened');
  const head = { sha: opened.pull_request.head.sha, ref: opened.pull_request.head.ref };
  repo.setRef(`heads/${head.ref}`, head.sha);
  repo.setPull(1, { head });
  repo.setFile('master', '.github/deploy.yml', 'staging:\n  auto_deploy_on: refs/heads/master\n  environment: staging\nreview:\n  auto_deploy_on: pr\n  environment: review ${{ pull_request.title }}\n');
  const lock = await runAction({ fake, eventName: 'issue_comment', payload: comment(`/lock staging ${MARKUP}`, 'Codertocat') });
  assert.equal(lock.code, 0, lock.stdout + lock.stderr);
  const locked = await runAction({ fake, eventName: 'push', payload: push('refs/heads/master') });
  assert.equal(locked.code, 0, locked.stdout + locked.stderr);
  assert.match(locked.summary, /\| locked \|/);

  opened.pull_request.title = MARKUP;
  repo.setPull(opened.number, { title: MARKUP, head });
  const titled = await runAction({ fake, eventName: 'pull_request', payload: opened });
  assert.equal(titled.code, 0, titled.stdout + titled.stderr);
  assert.deepEqual(repo.deployments.map((d) => d.environment), [`review ${MARKUP}`], 'the environment is the title, as written');

  for (const summary of [locked.summary, titled.summary]) {
    const { html, links, tags } = rendered(summary);
    assert.ok(html.includes('the runbook'), html);
    // The environment's page; else only a bare address, which GitHub links as it is shown.
    for (const { href, text } of links) {
      const shown = [text, `http://${text}`].includes(decodeURI(href)); // GitHub links `www.` as http://
      assert.ok(href.startsWith('https://github.com/Codertocat/Hello-World/deployments/') || shown, `${href} in\n${html}`);
    }
    assert.deepEqual([...tags].filter((tag) => !['h3', 'p', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'code', 'a', 'ul', 'li'].includes(tag)), [], html);
  }
});
