// The library's step API at the WebAssembly boundary (dist/lib.mjs, as built): what crosses as JSON
// text, what a caller gets for values JSON cannot carry, and how the run loops report a trap. (The
// packed package as a user installs it: package.test.mjs.)

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { run, start, validate } from '../dist/lib.mjs';
import { createEngine, runStep } from '../action/engine.mjs';

const PAYLOAD = readFileSync(new URL('../examples/push.json', import.meta.url), 'utf8');
const push = () => start({ eventName: 'push', payload: PAYLOAD, inputs: { 'dry-run': true } });

test('a lone surrogate in a reply becomes U+FFFD, as it does in a payload given as a string', () => {
  const engine = push();
  engine.step();
  const config = 'staging:\n  auto_deploy_on: refs/heads/master\n  environment: "st\uD800aging"\n';
  engine.step({ status: 200, headers: {}, body: config });
  const step = engine.step({ status: 200, body: JSON.stringify({ ref: 'refs/heads/master', object: { sha: JSON.parse(PAYLOAD).after, type: 'commit' } }) });
  // Not an error about the reply: the engine read the config (and master's tip) and goes on with that environment.
  assert.equal(step.next.type, 'request', JSON.stringify(step));
  assert.deepEqual(step.next.query.find(([name]) => name === 'environment'), ['environment', 'st\uFFFDaging']);
  engine.free();
});

test('a malformed reply is an error that says what is wrong, not a missing reply', () => {
  const engine = push();
  engine.step();
  assert.throws(() => engine.step(() => {}), { name: 'TypeError', message: 'invalid reply: function is not a reply' });
  assert.throws(() => engine.step({ status: 10n }), { name: 'TypeError', message: 'invalid reply: `status` is a whole number of 0 to 65535, not bigint 10' });
  assert.throws(() => engine.step({ status: 200, headers: { link: 3 } }), { name: 'TypeError', message: 'invalid reply: header `link` is text, not number 3' });
  assert.throws(() => engine.step({ status: 200, headers: ['link'] }), { name: 'TypeError', message: 'invalid reply: `headers` is an object of texts, not [object Array]' });
  assert.throws(() => engine.step({ status: 200, body: { json: true } }), { name: 'TypeError', message: 'invalid reply: `body` is text or bytes, not [object Object]' });
  assert.throws(() => engine.step({ error: 42 }), { name: 'TypeError', message: 'invalid reply: `error` is text (what happened), not number 42' });
  assert.throws(() => engine.step({ body: 'no status' }), { name: 'TypeError', message: 'invalid reply: a reply has a `status` (an answer) or an `error` (no answer)' });
  engine.free();
});

test('null means none in a reply: no status with an error is a lost answer, no body is empty', () => {
  const lost = push();
  lost.step();
  const done = lost.step({ status: null, headers: null, error: 'ECONNRESET' });
  assert.equal(done.next.failure, 'Could not read .github/deploy.yml from master: ECONNRESET');
  lost.free();
  const empty = push();
  empty.step();
  // An empty config: read, no targets, nothing to deploy.
  assert.equal(empty.step({ status: 200, headers: null, body: null }).next.type, 'done');
  empty.free();
});

test('an executor may answer with the body as bytes, in any view of them', async () => {
  const config = new TextEncoder().encode('staging:\n  auto_deploy_on: refs/heads/master\n  environment: staging\n');
  const answers = [
    config.buffer, // the config, as an ArrayBuffer
    new DataView(new TextEncoder().encode('x[]').buffer, 1), // no deployment yet, in a view that starts later
    new TextEncoder().encode('xx[]').subarray(2), // no locks, in part of a larger array
  ];
  const result = await run({
    eventName: 'push',
    payload: PAYLOAD,
    inputs: { 'dry-run': true },
    executor: async () => ({ status: 200, headers: {}, body: answers.shift() }),
  });
  assert.equal(result.failure, undefined, result.log.map((l) => l.message).join('\n'));
  assert.match(result.summary, /staging/);
});

test('the engine is disposable, like the classes wasm-bindgen generates', () => {
  const engine = push();
  assert.equal(typeof engine[Symbol.dispose], 'function');
  engine[Symbol.dispose]();
  assert.throws(() => engine.step(), /null pointer/);
});

test('validate answers with plain objects', () => {
  assert.deepEqual(validate('staging:\n  environment: staging\n'), { targets: ['staging'], problems: [], warnings: [] });
});

test('a throw from inside the engine stops a run loop with where it happened, for both loops', () => {
  const trapping = { step: () => { throw new Error('unreachable'); } };
  assert.throws(() => runStep(trapping, undefined, { eventName: 'push', after: 'GET /repos/o/r/deployments' }), {
    message: 'internal error in the engine on a `push` event, after GET /repos/o/r/deployments: unreachable. Please report it; nothing after this point was done.',
  });
  const step = { log: [], next: { type: 'done' } };
  assert.equal(runStep({ step: () => step }, undefined, { eventName: 'push', after: 'the start' }), step);
});

test('a payload given as the event file\'s bytes reads like its text, defaults included', () => {
  const bytes = readFileSync(new URL('../examples/push.json', import.meta.url));
  // No context: the repository and actor come from the payload, decoded for that.
  const engine = start({ eventName: 'push', payload: bytes, inputs: { 'dry-run': true } });
  const step = engine.step();
  assert.equal(step.next.path, '/repos/Codertocat/Hello-World/contents/.github/deploy.yml');
  engine.free();
});

test('a malformed invocation is a TypeError that names the value by its path', () => {
  const context = { repository: 'o/r', run_id: '7', server_url: 'https://github.com' };
  const invalid = (invocation, message) => assert.throws(() => createEngine({ event: '{}', ...invocation }), { name: 'TypeError', message });
  invalid({ context }, 'invalid invocation: `event_name` is required (text)');
  invalid({ event_name: 3, context }, 'invalid invocation: `event_name` is text, not number 3');
  invalid({ event_name: 'push', inputs: { 'dry-run': true }, context }, 'invalid invocation: `inputs.dry-run` is text, not boolean true');
  invalid({ event_name: 'push', inputs: ['x'], context }, 'invalid invocation: `inputs` is an object of texts, not [object Array]');
  invalid({ event_name: 'push', state: { id: null }, context }, 'invalid invocation: `state.id` is text, not null');
  invalid({ event_name: 'push', phase: 'pre', context }, 'invalid invocation: `phase` is `main` or `post`, not string pre');
  invalid({ event_name: 'push' }, 'invalid invocation: `context` is required (an object of texts)');
  invalid({ event_name: 'push', context: 'o/r' }, 'invalid invocation: `context` is an object of texts, not string o/r');
  invalid({ event_name: 'push', context: { ...context, run_id: 7 } }, 'invalid invocation: `context.run_id` is text, not number 7');
  invalid({ event_name: 'push', context: { ...context, server_url: undefined } }, 'invalid invocation: `context.server_url` is required (text)');
  // Through the library: its context and state as the caller gave them.
  assert.throws(() => start({ eventName: 'push', payload: PAYLOAD, context: { actor: 3 } }), {
    name: 'TypeError',
    message: 'invalid invocation: `context.actor` is text, not number 3',
  });
  // Null is the same as left out.
  const engine = start({ eventName: 'push', payload: PAYLOAD, context: { job: null }, phase: null, state: null });
  assert.equal(engine.step().next.type, 'request');
  engine.free();
});

test('an event that is neither JSON text nor its bytes is a TypeError at the boundary', () => {
  assert.throws(() => createEngine({ event_name: 'push', event: new ArrayBuffer(2), context: {} }), {
    name: 'TypeError',
    message: 'invalid event: a payload is JSON text or its UTF-8 bytes, not [object ArrayBuffer]',
  });
});
