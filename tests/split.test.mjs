// The engine ships as two WebAssembly modules (scripts/split.mjs): what common events run, and the
// rest, compiled only when a run needs it. These runs pin down which is which: a common event that
// starts needing the cold module is slower by the whole compile (about 2 ms), which only this shows.
// That the cold module works is shown by every other test that reaches rare code (the CLI, config
// errors, commands, locks, faults).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EXAMPLE_SHA, runAction, webhookExample } from './support/action.mjs';
import { startFakeGitHub } from './support/fake-github.mjs';
import { CONFIGS } from '../scripts/split-scenarios.mjs';

const PR_HEAD = 'ec26c3e57ca3a959ca5aad62de7213c562f8c821';
const COLD = "::debug::this run needed the engine's rarely used code: it compiled dist/deliverybot.cold.wasm";

async function world({ firstId, config }) {
  const fake = await startFakeGitHub({ firstId });
  const repo = fake.repo('Codertocat/Hello-World', { defaultBranch: 'master' });
  repo.setRef('heads/master', EXAMPLE_SHA);
  repo.setRef('heads/changes', PR_HEAD);
  repo.setPull(1, { head: { ref: 'changes', sha: PR_HEAD }, title: 'Update the README' });
  repo.setFile('master', '.github/deploy.yml', config);
  return { fake, repo };
}

const push = () => webhookExample('push', (p) => p.ref === 'refs/heads/master' && !p.deleted);

const common = {
  'a push that deploys': async ({ fake }) => runAction({ fake, eventName: 'push', payload: push() }),
  'a push that deploys nothing': async ({ fake }) => runAction({ fake, eventName: 'push', payload: { ...push(), ref: 'refs/heads/other' } }),
  'an opened pull request': async ({ fake }) =>
    runAction({ fake, eventName: 'pull_request', payload: webhookExample('pull_request', (p) => p.action === 'opened') }),
  'a green status': async ({ fake, repo }) => {
    const payload = { ...webhookExample('status'), state: 'success', context: 'ci' };
    repo.addCommitStatus(payload.sha, { context: 'ci', state: 'success' });
    return runAction({ fake, eventName: 'status', payload });
  },
  'a /deploy comment': async ({ fake, repo }) => {
    const payload = webhookExample('issue_comment', (p) => p.action === 'created');
    payload.comment.body = '/deploy review';
    payload.issue.pull_request = { url: 'https://api.github.com/repos/Codertocat/Hello-World/pulls/1' };
    repo.setPermission(payload.comment.user.login, 'write');
    return runAction({ fake, eventName: 'issue_comment', payload });
  },
  'a deployment status from the deploy workflow': async ({ fake, repo }) => {
    const payload = webhookExample('deployment');
    payload.deployment.id = repo.addDeployment({ ref: payload.deployment.ref, sha: payload.deployment.sha, environment: payload.deployment.environment }).id;
    return runAction({ fake, eventName: 'deployment', payload, inputs: { state: 'success' } });
  },
  'a status step and its post step (state: auto)': async ({ fake, repo }) => {
    const payload = webhookExample('deployment');
    payload.deployment.id = repo.addDeployment({ ref: payload.deployment.ref, sha: payload.deployment.sha, environment: payload.deployment.environment }).id;
    const main = await runAction({ fake, eventName: 'deployment', payload, inputs: { state: 'auto' } });
    const post = await runAction({ fake, eventName: 'deployment', payload, inputs: { state: 'auto' }, phase: 'post', state: main.state, jobStatus: 'failure' });
    return [main, post];
  },
  'a status by deployment-id from a push, and its post step': async ({ fake, repo }) => {
    const id = String(repo.addDeployment({ ref: 'master', sha: EXAMPLE_SHA, environment: 'staging' }).id);
    const inputs = { 'deployment-id': id, state: 'auto' };
    const main = await runAction({ fake, eventName: 'push', payload: push(), inputs });
    const post = await runAction({ fake, eventName: 'push', payload: push(), inputs, phase: 'post', state: main.state });
    return [main, post];
  },
};

// The configs the build profiles with, and ids as the tests' fake numbers them and as GitHub does.
for (const [name, scenario] of Object.entries(common)) {
  for (const [c, config] of CONFIGS.entries()) for (const firstId of [1, 2_400_000_000]) {
    test(`${name} runs on the main module alone (config ${c + 1}, ids from ${firstId})`, async () => {
      const { fake, repo } = await world({ firstId, config });
      try {
        for (const run of [await scenario({ fake, repo })].flat()) {
          assert.equal(run.code, 0, run.stdout + run.stderr);
          assert.ok(!run.lines.includes(COLD), run.stdout);
        }
      } finally {
        await fake.close();
      }
    });
  }
}

test('a config error needs the cold module: it is compiled, and the error is reported in full', async () => {
  const { fake } = await world({ firstId: 1, config: 'staging:\n  auto_deploy_on: [refs/heads/master\n' });
  try {
    const run = await runAction({ fake, eventName: 'push', payload: push() });
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.ok(run.lines.includes(COLD), run.stdout);
    const [annotation] = run.commands.filter((c) => c.command === 'error' && c.properties.file);
    assert.deepEqual(annotation.properties, { file: '.github/deploy.yml', line: '3', col: '1' });
    assert.match(annotation.message, /invalid YAML: while parsing a flow sequence/);
    assert.equal(run.stderr, '');
  } finally {
    await fake.close();
  }
});
