// `./dev example`: runs the committed action (dist/) the way a runner does, on examples/deploy.yml and
// a real push payload (Codertocat/Hello-World, from @octokit/webhooks-examples), against the local
// fake GitHub API, as a dry run. Prints the action's log and its job summary.
//
//   node scripts/example.mjs [--ref refs/tags/v1.0.0] [--config path/to/deploy.yml] [--create]
//
// --create makes it a real run against the fake: deployments are created there.

import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { runAction, webhookExample } from '../tests/support/action.mjs';
import { startFakeGitHub } from '../tests/support/fake-github.mjs';

const { values: options } = parseArgs({
  options: {
    ref: { type: 'string', default: 'refs/heads/master' },
    config: { type: 'string', default: new URL('../examples/deploy.yml', import.meta.url).pathname },
    create: { type: 'boolean', default: false },
  },
});

const payload = webhookExample('push', (p) => p.ref === 'refs/heads/master' && !p.deleted);
payload.ref = options.ref;

const fake = await startFakeGitHub();
try {
  const repo = fake.repo(payload.repository.full_name, { defaultBranch: payload.repository.default_branch });
  repo.setRef(options.ref.replace(/^refs\//, ''), payload.after);
  repo.setFile(payload.repository.default_branch, '.github/deploy.yml', readFileSync(options.config, 'utf8'));

  console.log(`Push of ${payload.after.slice(0, 7)} to ${options.ref} in ${payload.repository.full_name}, config ${options.config}`);
  console.log(options.create ? 'Creating deployments in the fake GitHub API.\n' : 'Dry run: nothing is created.\n');
  const run = await runAction({ fake, eventName: 'push', payload, inputs: { 'dry-run': String(!options.create) } });

  console.log('── action log ──');
  for (const line of run.lines) console.log(`  ${line}`);
  console.log('\n── requests ──');
  for (const request of fake.requests) console.log(`  ${request.status} ${request.method} ${request.path}`);
  console.log('\n── job summary ──');
  console.log(run.summary.trim().replace(/^/gm, '  '));
  console.log('\n── outputs ──');
  for (const [name, value] of Object.entries(run.outputs)) console.log(`  ${name} = ${value}`);
  process.exitCode = run.code;
} finally {
  await fake.close();
}
