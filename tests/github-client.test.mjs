// The action's HTTP client on its own (action/github.mjs): the guards that the end-to-end tests
// cannot reach through the engine.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createClient, retryDelay } from '../action/github.mjs';

test('a path whose dot segments would leave the API root is refused, not sent', async () => {
  const perform = createClient({ apiUrl: 'http://127.0.0.1:9/api/v3', token: 't', userAgent: 'test' });
  const reply = await perform({ method: 'GET', path: '/repos/o/r/commits/%2e%2e/%2E%2E/%2e%2e/%2e%2e/user', query: [], idempotent: true });
  assert.match(reply.error, /^refused to send GET .*: a path must stay below the API root \/api\/v3\/$/);
  const plain = await perform({ method: 'GET', path: '/repos/o/r/contents/a/../../x', query: [], idempotent: true });
  assert.match(plain.error, /^refused to send/);
  for (const dots of ['.', '%2E.', '.%2e', '%2e%2E']) {
    const mixed = await perform({ method: 'GET', path: `/repos/o/r/contents/${dots}/x`, query: [], idempotent: true });
    assert.match(mixed.error, /^refused to send/, dots);
  }
});

test('retry-after is read as seconds or as an HTTP date; a far one is not waited for', () => {
  const now = Date.parse('2026-11-26T10:00:00Z');
  const limited = (headers) => retryDelay({ status: 429, headers }, 1, now);
  assert.deepEqual(limited({ 'retry-after': '2' }), { ms: 2000, limited: true });
  assert.deepEqual(limited({ 'retry-after': 'Thu, 26 Nov 2026 10:00:05 GMT' }), { ms: 5000, limited: true });
  assert.equal(limited({ 'retry-after': '3600' }), undefined);
  assert.equal(limited({ 'retry-after': 'soon' }), undefined);
  assert.deepEqual(retryDelay({ error: 'ECONNRESET' }, 2, now), { ms: 1000, limited: false });
});
