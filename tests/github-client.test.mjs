// The action's HTTP client on its own (action/github.mjs): the guards that the end-to-end tests
// cannot reach through the engine.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { fileURLToPath } from 'node:url';
import { createClient, retryDelay } from '../action/github.mjs';
import { bypassed, proxyFor } from '../action/proxy.mjs';
import { ACTION_NODE } from './support/action.mjs';
import { startProxy } from './support/proxy.mjs';

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

test('rate limits: retry-after as seconds or a date, a reset, a secondary limit without either', () => {
  const now = Date.parse('2026-11-26T10:00:00Z');
  const limited = (headers, { status = 429, body, attempt = 1 } = {}) => retryDelay({ status, headers, body }, attempt, now);
  assert.deepEqual(limited({ 'retry-after': '2' }), { ms: 2000, limited: true, why: 'GitHub asked to wait (retry-after: 2)' });
  assert.equal(limited({ 'retry-after': 'Thu, 26 Nov 2026 10:00:05 GMT' }).ms, 5000);
  assert.equal(limited({ 'retry-after': '3600' }).ms, 3_600_000, 'whether it fits in the run is the caller\'s to decide');
  assert.equal(limited({ 'retry-after': 'soon' }), undefined);
  const reset = { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(now / 1000 + 30) };
  assert.deepEqual(limited(reset, { status: 403 }), { ms: 30_000, limited: true, why: 'the rate limit resets at 2026-11-26T10:00:30Z' });

  // No header to go by: GitHub asks for at least a minute, and longer each time it refuses again.
  const secondary = Buffer.from('{"message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again."}');
  for (const status of [403, 429]) {
    assert.deepEqual(limited({}, { status, body: secondary }), { ms: 60_000, limited: true, why: 'GitHub\'s secondary rate limit, which asks to wait at least a minute' });
    assert.equal(limited({}, { status, body: secondary, attempt: 3 }).ms, 240_000);
  }
  assert.equal(limited({}, { status: 403, body: '{"message":"You have triggered an abuse detection mechanism."}' }).ms, 60_000);
  assert.equal(limited({}, { status: 403, body: '{"message":"Resource not accessible by integration"}' }), undefined);
  assert.equal(limited({ 'x-ratelimit-remaining': '12' }, { status: 403 }), undefined);
  assert.deepEqual(retryDelay({ error: 'ECONNRESET' }, 2, now), { ms: 1000, limited: false, why: 'a try failed' });
});

test('a secondary rate limit without retry-after: a create waits a minute, then two, said in the log; never past the run\'s limit', async () => {
  const answers = [];
  const server = createServer((req, res) => {
    const status = answers.shift() ?? 201;
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(status === 403 ? '{"message":"You have exceeded a secondary rate limit."}' : '{"id":1}');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}/`;
  const create = { method: 'POST', path: '/repos/o/r/deployments', query: [], body: {}, idempotent: false };
  try {
    answers.push(403, 403);
    let time = fakeTime();
    let logged = [];
    let perform = createClient({ apiUrl: url, token: 't', userAgent: 'test', log: (level, message) => logged.push(`${level}: ${message}`), ...time });
    assert.equal((await perform(create)).status, 201);
    assert.deepEqual(time.waits, [60_000, 120_000]);
    const waiting = "POST /repos/o/r/deployments: GitHub's secondary rate limit, which asks to wait at least a minute; trying again in";
    assert.deepEqual(logged, [`info: ${waiting} 60 s.`, `info: ${waiting} 120 s.`]);

    // With 90 s left after the first refusal, the second wait is not made: GitHub's answer is the reply.
    answers.push(403, 403);
    time = fakeTime();
    logged = [];
    perform = createClient({ apiUrl: url, token: 't', userAgent: 'test', runTimeoutMs: 150_000, log: (level, message) => logged.push(`${level}: ${message}`), ...time });
    assert.equal((await perform(create)).status, 403);
    assert.deepEqual(time.waits, [60_000]);
    assert.equal(logged.at(-1), "warning: POST /repos/o/r/deployments is not tried again (GitHub's secondary rate limit, which asks to wait at least a minute): waiting 120 s would pass the run's time limit of 150 s (DELIVERYBOT_RUN_TIMEOUT).");
  } finally {
    server.closeAllConnections();
    server.close();
  }
});

test('a query arrives as the engine gave it, whatever its characters', async () => {
  const seen = [];
  const server = createServer((req, res) => {
    seen.push(req.url);
    res.end('{}');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const perform = createClient({ apiUrl: `http://127.0.0.1:${server.address().port}/api/v3/`, token: 't', userAgent: 'test' });
    const query = [['ref', 'feature/a+b c&d=e#f?g%h'], ['environment', 'Production EU é'], ['per_page', '1'], ['ref', 'second']];
    const reply = await perform({ method: 'GET', path: '/repos/o/r/deployments', query, idempotent: true });
    assert.equal(reply.status, 200);
    const url = new URL(seen[0], 'http://x');
    assert.equal(url.pathname, '/api/v3/repos/o/r/deployments');
    assert.deepEqual([...url.searchParams], query);

    await perform({ method: 'GET', path: '/repos/o/r', query: [], idempotent: true });
    assert.equal(seen[1], '/api/v3/repos/o/r');
  } finally {
    server.close();
  }
});

/** A local server whose answers come a byte every 100 ms, for 10 s (a client that waits is a failed test). */
async function tricklingServer() {
  const seen = [];
  const server = createServer((req, res) => {
    seen.push(req.url);
    res.writeHead(200, { 'content-type': 'application/json' });
    let sent = 0;
    const timer = setInterval(() => (++sent < 100 ? res.write(' ') : res.end('{}')), 100);
    res.on('close', () => clearInterval(timer));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, seen, url: `http://127.0.0.1:${server.address().port}/api/v3/` };
}

/** A `sleep` that does not wait but moves the client's clock on, and the clock. */
function fakeTime() {
  let skew = 0;
  const waits = [];
  return { waits, now: () => Date.now() + skew, sleep: async (ms) => (waits.push(ms), (skew += ms)) };
}

test('a try is bounded from connecting to the last byte: an answer that trickles in is cut', { timeout: 20_000 }, async () => {
  const { server, seen, url } = await tricklingServer();
  try {
    const time = fakeTime();
    const perform = createClient({ apiUrl: url, token: 't', userAgent: 'test', timeoutMs: 300, ...time });
    const started = Date.now();
    const reply = await perform({ method: 'GET', path: '/repos/o/r', query: [], idempotent: true });
    const took = Date.now() - started;
    assert.equal(reply.error, 'GET /api/v3/repos/o/r: ETIMEDOUT (no whole answer within 0.3 s)');
    assert.deepEqual(seen.length, 4, 'tried 4 times');
    assert.deepEqual(time.waits, [500, 1000, 2000]);
    assert.ok(took >= 1200 && took < 2500, `4 tries of 0.3 s took ${took} ms`);
  } finally {
    server.closeAllConnections();
    server.close();
  }
});

test('the run\'s time limit bounds tries and waits; nothing is sent after it', { timeout: 20_000 }, async () => {
  const { server, seen, url } = await tricklingServer();
  try {
    const time = fakeTime();
    const logged = [];
    const log = (level, message) => logged.push(`${level}: ${message}`);
    const perform = createClient({ apiUrl: url, token: 't', userAgent: 'test', timeoutMs: 300, runTimeoutMs: 1000, log, ...time });
    // 0.3 s, a wait of 0.5 s, then a try cut at the limit (0.2 s left); the next wait would pass it.
    const reply = await perform({ method: 'GET', path: '/repos/o/r', query: [], idempotent: true });
    assert.equal(reply.error, "GET /api/v3/repos/o/r: ETIMEDOUT (the run's time limit of 1 s (DELIVERYBOT_RUN_TIMEOUT) was reached)");
    assert.equal(seen.length, 2);
    assert.deepEqual(time.waits, [500]);
    assert.deepEqual(logged, ["warning: GET /repos/o/r is not tried again (a try failed): waiting 1 s would pass the run's time limit of 1 s (DELIVERYBOT_RUN_TIMEOUT)."]);

    const later = await perform({ method: 'POST', path: '/repos/o/r/deployments', query: [], body: {} });
    assert.deepEqual(later, { error: "POST /repos/o/r/deployments was not sent: the run's time limit of 1 s (DELIVERYBOT_RUN_TIMEOUT) was reached", final: true });
    assert.equal(seen.length, 2);
  } finally {
    server.closeAllConnections();
    server.close();
  }
});

/** A local server that counts connections; `drop(n)` destroys the n-th one as soon as it opens. */
async function countingServer({ drop = () => false } = {}) {
  const events = { connections: 0, closed: 0 };
  const server = createServer((req, res) => res.end('{}'));
  server.on('connection', (socket) => {
    events.connections += 1;
    socket.on('close', () => (events.closed += 1));
    if (drop(events.connections)) socket.destroy();
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, events, url: `http://127.0.0.1:${server.address().port}/` };
}

const until = async (check) => {
  for (const started = Date.now(); !check(); await new Promise((resolve) => setTimeout(resolve, 1))) {
    if (Date.now() - started > 2000) throw new Error(`still not so after 2 s: ${check}`);
  }
};

test('the connection is opened with the client, and the first request goes over it', async () => {
  const { server, events, url } = await countingServer();
  try {
    const perform = createClient({ apiUrl: url, token: 't', userAgent: 'test' });
    await until(() => events.connections === 1); // before any request
    assert.equal((await perform({ method: 'GET', path: '/a', query: [], idempotent: true })).status, 200);
    assert.equal((await perform({ method: 'GET', path: '/b', query: [], idempotent: true })).status, 200);
    assert.equal(events.connections, 1, 'one connection, opened early and kept alive');
  } finally {
    server.closeAllConnections();
    server.close();
  }
});

test('an early connection that the server closed is not used: the request connects anew', async () => {
  const { server, events, url } = await countingServer({ drop: (n) => n === 1 });
  try {
    const perform = createClient({ apiUrl: url, token: 't', userAgent: 'test' });
    await until(() => events.closed === 1);
    await new Promise((resolve) => setTimeout(resolve, 10)); // the client has seen the close
    const reply = await perform({ method: 'POST', path: '/a', query: [], body: {} });
    assert.equal(reply.status, 200, JSON.stringify(reply));
    assert.equal(events.connections, 2);
  } finally {
    server.closeAllConnections();
    server.close();
  }
});

test('proxies from the environment: which URL goes through which, NO_PROXY as the Actions toolkit reads it', () => {
  const via = (url, env) => proxyFor(new URL(url), env)?.href;
  const proxies = { HTTPS_PROXY: 'http://secure.proxy:3128', HTTP_PROXY: 'plain.proxy:8080' };
  assert.equal(via('https://api.github.com/', proxies), 'http://secure.proxy:3128/');
  assert.equal(via('http://ghes.corp/api/v3/', proxies), 'http://plain.proxy:8080/', 'no scheme: http://');
  assert.equal(via('https://api.github.com/', { https_proxy: 'http://lower:1', HTTPS_PROXY: 'http://upper:2' }), 'http://lower:1/');
  assert.equal(via('https://api.github.com/', { HTTP_PROXY: 'http://plain.proxy:8080' }), undefined, 'https uses HTTPS_PROXY only');
  assert.equal(via('https://api.github.com/', {}), undefined);
  assert.throws(() => via('https://api.github.com/', { HTTPS_PROXY: 'socks5://proxy:1080' }), /^Error: HTTPS_PROXY is not an http:\/\/ or https:\/\/ proxy URL: "socks5:\/\/proxy:1080"$/);

  const bypass = (url, noProxy) => bypassed(new URL(url), { NO_PROXY: noProxy });
  // The loopback never goes through a proxy.
  for (const url of ['http://localhost:8080/', 'http://127.0.0.5/', 'http://[::1]:3000/']) assert.equal(bypass(url, ''), true, url);
  // A host, and its subdomains.
  assert.equal(bypass('https://github.corp/', 'github.corp'), true);
  assert.equal(bypass('https://api.github.corp/', 'github.corp'), true);
  assert.equal(bypass('https://notgithub.corp/', 'github.corp'), false);
  // A suffix: subdomains only.
  assert.equal(bypass('https://api.github.corp/', '.github.corp'), true);
  assert.equal(bypass('https://github.corp/', '.github.corp'), false);
  // A port: the URL's, or its scheme's default.
  assert.equal(bypass('https://ghes.corp:8443/', 'ghes.corp:8443'), true);
  assert.equal(bypass('https://ghes.corp/', 'ghes.corp:8443'), false);
  assert.equal(bypass('https://ghes.corp/', 'ghes.corp:443'), true);
  assert.equal(bypass('http://ghes.corp/', 'ghes.corp:443'), false);
  // Everything; lists with spaces and any case; no_proxy before NO_PROXY.
  assert.equal(bypass('https://api.github.com/', '*'), true);
  assert.equal(bypass('https://API.GitHub.com/', ' example.com , GITHUB.COM '), true);
  assert.equal(bypassed(new URL('https://api.github.com/'), { no_proxy: 'example.com', NO_PROXY: 'github.com' }), false);
});

test('a proxy that refuses the tunnel: the try fails saying so, and nothing is sent around it', async () => {
  const refusing = createServer();
  const asked = [];
  refusing.on('connect', (req, socket) => {
    asked.push(req.url);
    socket.end('HTTP/1.1 407 Proxy Authentication Required\r\n\r\n');
  });
  await new Promise((resolve) => refusing.listen(0, '127.0.0.1', resolve));
  try {
    const env = { HTTPS_PROXY: `http://127.0.0.1:${refusing.address().port}` };
    const perform = createClient({ apiUrl: 'https://github.test/api/v3', token: 't', userAgent: 'test', env, ...fakeTime() });
    const reply = await perform({ method: 'GET', path: '/repos/o/r', query: [], idempotent: true });
    assert.equal(reply.error, `GET /api/v3/repos/o/r: the proxy 127.0.0.1:${refusing.address().port} answered 407 to CONNECT github.test:443`);
    assert.deepEqual(asked, Array(4).fill('github.test:443'), 'tried as any failed try is');
  } finally {
    refusing.close();
  }
});

// Every Node at hand: this one (Node 20 under `./dev test`), the action's, and scripts/setup.sh's Node 24.
const NODES = [...new Set([process.execPath, ACTION_NODE, fileURLToPath(new URL('../.tools/node24/bin/node', import.meta.url))])]
  .filter((node) => existsSync(node))
  .map((node) => [`Node ${execFileSync(node, ['--version']).toString().trim()}`, node]);
const TLS = {
  key: readFileSync(new URL('./fixtures/tls/github.test.key', import.meta.url)),
  cert: readFileSync(new URL('./fixtures/tls/github.test.crt', import.meta.url)),
};

/** Runs one GET with the client in a child `node` with `env`: `{ status, error, body }`. */
async function childGet(node, apiUrl, env) {
  const script = `
    const { createClient } = await import(${JSON.stringify(new URL('../action/github.mjs', import.meta.url).href)});
    const perform = createClient({ apiUrl: ${JSON.stringify(apiUrl)}, token: 't', userAgent: 'test', timeoutMs: 5000 });
    const reply = await perform({ method: 'GET', path: '/repos/o/r', query: [], idempotent: false });
    console.log(JSON.stringify({ status: reply.status, error: reply.error, body: reply.body && String(reply.body) }));
    process.exit(0);`;
  return new Promise((resolve, reject) => {
    const child = spawn(node, ['--input-type=module', '-e', script], { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    child.stdout.on('data', (chunk) => (text += chunk));
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(text)) : reject(new Error(`exit ${code}: ${text}`))));
  });
}

for (const [nodeName, node] of NODES) {
  for (const useEnvProxy of [undefined, '1']) {
    test(`${nodeName}${useEnvProxy ? ' with NODE_USE_ENV_PROXY=1' : ''}: requests go through the proxy the environment names, or around it`, async () => {
      const answering = (res) => res.end('{"from":"api"}');
      const api = createServer((req, res) => answering(res));
      const secure = createHttpsServer(TLS, (req, res) => answering(res));
      await new Promise((resolve) => api.listen(0, '127.0.0.1', resolve));
      await new Promise((resolve) => secure.listen(0, '127.0.0.1', resolve));
      const port = api.address().port;
      // `github.test` does not resolve: only the proxy knows where it is.
      const proxy = await startProxy({ hosts: { 'github.test': '127.0.0.1', 'github.test:443': `127.0.0.1:${secure.address().port}` } });
      const base = { ...(useEnvProxy ? { NODE_USE_ENV_PROXY: useEnvProxy } : {}), NODE_EXTRA_CA_CERTS: fileURLToPath(new URL('./fixtures/tls/github.test.crt', import.meta.url)) };
      try {
        // http: asked of the proxy in full.
        const plain = await childGet(node, `http://github.test:${port}/api/v3`, { ...base, http_proxy: proxy.url });
        assert.deepEqual(plain, { status: 200, body: '{"from":"api"}' });
        assert.deepEqual(proxy.passed.splice(0), [{ method: 'GET', target: `http://github.test:${port}/api/v3/repos/o/r`, auth: undefined }]);

        // https: a CONNECT tunnel, with the proxy's credentials, then TLS to github.test.
        const tunnelled = await childGet(node, 'https://github.test/api/v3', { ...base, HTTPS_PROXY: proxy.url.replace('//', '//deploy:p%40ss@'), NO_PROXY: 'example.com,github.test:8443' });
        assert.deepEqual(tunnelled, { status: 200, body: '{"from":"api"}' });
        assert.deepEqual(proxy.passed.splice(0), [{ method: 'CONNECT', target: 'github.test:443', auth: `Basic ${Buffer.from('deploy:p@ss').toString('base64')}` }]);

        // NO_PROXY by suffix: straight to github.test, which does not resolve; the proxy sees nothing.
        const around = await childGet(node, 'https://github.test/api/v3', { ...base, HTTPS_PROXY: proxy.url, NO_PROXY: '.test' });
        assert.match(around.error, /^GET \/api\/v3\/repos\/o\/r: (ENOTFOUND|EAI_AGAIN)$/);
        assert.deepEqual(proxy.passed, []);

        // The loopback: straight there, whatever the proxy variables say.
        const local = await childGet(node, `http://127.0.0.1:${port}/`, { ...base, HTTP_PROXY: proxy.url, NO_PROXY: '' });
        assert.deepEqual(local, { status: 200, body: '{"from":"api"}' });
        assert.deepEqual(proxy.passed, []);
      } finally {
        await proxy.close();
        api.closeAllConnections();
        api.close();
        secure.closeAllConnections();
        secure.close();
      }
    });
  }
}
