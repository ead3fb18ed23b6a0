// The engine ships as two WebAssembly modules (scripts/split.mjs): what common events run, and the
// rest, compiled only when a run needs it. These runs pin down which is which: a common event that
// starts needing the cold module is slower by the whole compile (about 2 ms), which only this shows.
// That the cold module works is shown by every other test that reaches rare code (the CLI, config
// errors, commands, locks, faults).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runAction, webhookExample } from './support/action.mjs';
import { CONFIGS, scenarioWorld, scenarios } from '../scripts/split-scenarios.mjs';

const COLD = "::debug::this run needed the engine's rarely used code: it compiled dist/deliverybot.cold.wasm";

// The events and the configs the build profiles with (scripts/split-scenarios.mjs), through the built
// action, with ids as the tests' fake numbers them and as GitHub does.
for (const [index, { name }] of scenarios().entries()) {
  for (const [c, config] of CONFIGS.entries()) for (const firstId of [1, 2_400_000_000]) {
    test(`${name} runs on the main module alone (config ${c + 1}, ids from ${firstId})`, async () => {
      const { eventName, payload, setup, inputs = {}, post } = scenarios()[index];
      const { fake, repo } = await scenarioWorld({ firstId, config });
      try {
        const given = { ...inputs, ...setup(repo) };
        const runs = [await runAction({ fake, eventName, payload, inputs: given })];
        if (post) runs.push(await runAction({ fake, eventName, payload, inputs: given, phase: 'post', state: runs[0].state, jobStatus: post }));
        for (const run of runs) {
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
  const { fake } = await scenarioWorld({ firstId: 1, config: 'staging:\n  auto_deploy_on: [refs/heads/master\n' });
  try {
    const push = webhookExample('push', (p) => p.ref === 'refs/heads/master' && !p.deleted);
    const run = await runAction({ fake, eventName: 'push', payload: push });
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
