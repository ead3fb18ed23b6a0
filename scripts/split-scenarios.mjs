// The events whose code goes into the main WebAssembly module (scripts/split.mjs): what a
// repository using Deliverybot sends on most runs. Each runs through the engine loop of
// action/run.mjs against the fake GitHub of the tests, with real webhook payloads. Everything
// else (errors, commands other than /deploy, locks, schedules, dispatches, the general YAML and
// JSON readers that the fast paths hand hard cases to) is left to the cold module.

import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { createEngine, runStep } from '../action/engine.mjs';
import { createClient } from '../action/github.mjs';
import { EXAMPLE_SHA, webhookExample } from '../tests/support/action.mjs';
import { startFakeGitHub } from '../tests/support/fake-github.mjs';

const PR_HEAD = 'ec26c3e57ca3a959ca5aad62de7213c562f8c821';

// Configs as teams write them: the README's example, the rules a review app needs, and the keys
// configs commonly add (templates, booleans, lists, a payload). Each event runs with each.
export const CONFIGS = [
  readFileSync(new URL('../examples/deploy.yml', import.meta.url), 'utf8'),
  `staging:
  auto_deploy_on: refs/heads/master
  environment: staging
production:
  auto_deploy_on: refs/tags/v*
  environment: production
  required_contexts: [ci]
review:
  auto_deploy_on: pr
  environment: pr\${{ pr }}
  description: Review of \${{ pull_request.title }}
  transient_environment: true
  production_environment: false
`,
  `staging:
  auto_deploy_on: refs/heads/master
  environment: staging
  description: "Deploy \${{ short_sha }} to staging"
  required_contexts: []
  auto_merge: false
  transient_environment: false
  payload:
    ref: \${{ ref }}
    notify: ["#deploys"]
review:
  auto_deploy_on: pr
  environment: review-\${{ pr }}
  required_contexts: [ci, lint]
  allow_drafts: false
`,
];

/** The inputs as a runner passes them: every one action.yml declares, with its default. */
function runnerInputs(given) {
  const { inputs } = parseYaml(readFileSync(new URL('../action.yml', import.meta.url), 'utf8'));
  const out = {};
  for (const [name, spec] of Object.entries(inputs)) {
    out[name] = String(spec.default ?? '').replace('${{ github.token }}', 'ghs_16C7e42F292c6912E7710c838347Ae178B4a').replace('${{ job.status }}', 'success');
  }
  delete out.token; // the action keeps it out of the engine
  return { ...out, ...given };
}

/**
 * Real payloads with the state of the fake repository they need: `{ name, eventName, payload,
 * setup, inputs, post }`. `setup(repo)` may return more inputs; with `post` (the job's status), the
 * action's post step runs after it, on what it saved. tests/split.test.mjs runs the same list
 * through the built action.
 */
export function scenarios() {
  const push = webhookExample('push', (p) => p.ref === 'refs/heads/master' && !p.deleted);
  const status = webhookExample('status');
  status.state = 'success';
  status.context = 'ci';
  const pull = webhookExample('pull_request', (p) => p.action === 'opened');
  const comment = webhookExample('issue_comment', (p) => p.action === 'created');
  comment.comment.body = '/deploy review';
  comment.issue.pull_request = { url: 'https://api.github.com/repos/Codertocat/Hello-World/pulls/1' };
  const deployment = webhookExample('deployment');
  const addDeployment = (repo) => {
    deployment.deployment.id = repo.addDeployment({ ref: deployment.deployment.ref, sha: deployment.deployment.sha, environment: deployment.deployment.environment }).id;
  };
  const none = () => {};
  return [
    { name: 'a push that deploys', eventName: 'push', payload: push, setup: none },
    { name: 'a push that deploys nothing', eventName: 'push', payload: { ...push, ref: 'refs/heads/other' }, setup: none },
    { name: 'a green status', eventName: 'status', payload: status, setup: (repo) => void repo.addCommitStatus(status.sha, { context: 'ci', state: 'success' }) },
    { name: 'an opened pull request', eventName: 'pull_request', payload: pull, setup: (repo) => void repo.setPull(2, { title: pull.pull_request.title, head: { ref: 'changes', sha: pull.pull_request.head.sha } }) },
    { name: 'a /deploy comment', eventName: 'issue_comment', payload: comment, setup: (repo) => void repo.setPermission(comment.comment.user.login, 'write') },
    // The deploy workflow's status steps: one step per state, or one step whose post step reports
    // how the job ended; and the same for a deployment named by id from another event.
    { name: 'a deployment status', eventName: 'deployment', payload: deployment, setup: addDeployment, inputs: { state: 'success' } },
    { name: 'a status step and its post step, job succeeded', eventName: 'deployment', payload: deployment, setup: addDeployment, inputs: { state: 'auto' }, post: 'success' },
    { name: 'a status step and its post step, job failed', eventName: 'deployment', payload: deployment, setup: addDeployment, inputs: { state: 'auto' }, post: 'failure' },
    {
      name: 'a status by deployment-id from a push, and its post step',
      eventName: 'push',
      payload: push,
      setup: (repo) => {
        addDeployment(repo);
        return { 'deployment-id': String(deployment.deployment.id) };
      },
      inputs: { state: 'auto' },
      post: 'success',
    },
  ];
}

/** The fake GitHub and repository every scenario starts from (a pull request #1 open), with `config`. */
export async function scenarioWorld({ firstId, config }) {
  const fake = await startFakeGitHub({ firstId });
  const repo = fake.repo('Codertocat/Hello-World', { defaultBranch: 'master' });
  repo.setRef('heads/master', EXAMPLE_SHA);
  repo.setRef('heads/changes', PR_HEAD);
  repo.setPull(1, { head: { ref: 'changes', sha: PR_HEAD }, title: 'Update the README' });
  repo.setFile('master', '.github/deploy.yml', config);
  return { fake, repo };
}

/** Runs every scenario with the engine compiled from `module` (the instrumented one). */
export async function runScenarios(module) {
  for (const config of CONFIGS) {
    for (const { eventName, payload, setup, inputs = {}, post } of scenarios()) {
      // Ids of the size GitHub's have: formatting them grows strings that small ones would not.
      const { fake, repo } = await scenarioWorld({ firstId: 2_400_000_000, config });
      try {
        const given = { ...inputs, ...setup(repo) };
        const saved = await runOne(module, fake, { eventName, payload, inputs: runnerInputs(given), phase: 'main', state: {} });
        if (post) {
          const postInputs = runnerInputs({ ...given, 'job-status': post });
          await runOne(module, fake, { eventName, payload, inputs: postInputs, phase: 'post', state: Object.fromEntries(saved) });
        }
      } finally {
        await fake.close();
      }
    }
  }
}

/** One step of the action, as action/run.mjs runs it; the state it saves for a post step. */
async function runOne(module, fake, { eventName, payload, inputs, phase, state }) {
  const engine = createEngine(
    {
      event_name: eventName,
      event: JSON.stringify(payload),
      inputs,
      phase,
      state,
      // As a runner sets them (a run id has ten digits or more: numbers of every length get formatted).
      context: { repository: 'Codertocat/Hello-World', run_id: '16588214930', server_url: 'https://github.com', actor: 'Codertocat', job: 'deploy', ref_name: 'master' },
    },
    module,
  );
  const perform = createClient({ apiUrl: fake.url, token: 'test-token', userAgent: 'deliverybot-split', sleep: async () => {} });
  let reply;
  for (;;) {
    const { next } = runStep(engine, reply, { eventName, after: 'profiling' });
    if (next.type === 'done') {
      if (next.failure) throw new Error(`split: the ${eventName} scenario (${phase}) failed: ${next.failure}`);
      engine.free();
      return next.state ?? [];
    }
    reply = await perform(next);
  }
}
