// Performs the engine's requests against the GitHub REST API (GITHUB_API_URL) over node:http(s).
//
// Plumbing only: authentication, JSON, retries of requests that are safe to repeat, and spacing of
// writes as GitHub asks (one second between content-creating requests). What to do when a write
// fails is the engine's decision, so a failed write is handed back to it, never repeated here.

import { transport } from './builtins.mjs';
import { proxyFor, throughProxy } from './proxy.mjs';
import { VERSION } from './version.mjs';

const TRANSIENT = new Set([500, 502, 503, 504]);
const MAX_ATTEMPTS = 4;
const WRITE_SPACING_MS = 1_000;
/** How GitHub words a secondary rate limit (and, before 2022, its abuse detection). */
const SECONDARY_LIMIT = /secondary rate limit|abuse detection/i;
const SECONDARY_WAIT_MS = 60_000;
/** `.` and `..`, percent-encoded or not: path segments that URL resolution removes. */
const DOT_SEGMENTS = new Set(['.', '..', '%2e', '.%2e', '%2e.', '%2e%2e']);

/**
 * `timeoutMs`: how long one try may take, from connecting to the answer's last byte
 * (`DELIVERYBOT_REQUEST_TIMEOUT`, in seconds, sets it for slow GitHub Enterprise Server instances).
 * `runTimeoutMs`: the ceiling of everything this client does, from now: tries, retries and waits
 * (`DELIVERYBOT_RUN_TIMEOUT`). Past it, nothing more is sent, and what was not answered in time is
 * handed to the engine as a request that got no answer. `log(level, message)` hears of waits.
 * `userAgent` names the program (`deliverybot-action`); the version is added to it.
 */
export function createClient({ apiUrl, token, userAgent, timeoutMs = 30_000, runTimeoutMs = 600_000, log = () => {}, sleep = delay, now = Date.now, env = process.env }) {
  const base = new URL(apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`);
  // Through the proxy the environment names for the API (proxy.mjs), or straight to it.
  const proxy = proxyFor(base, env);
  const open = proxy ? throughProxy(base, proxy) : direct(base);
  const deadline = now() + runTimeoutMs;
  const ceiling = `the run's time limit of ${runTimeoutMs / 1000} s (DELIVERYBOT_RUN_TIMEOUT)`;
  let lastWrite = 0;

  /** One try, of at most `limitMs`: resolves to `{status, headers, body}` (the body as the bytes
   * that came, which the engine reads as UTF-8), or `{error}` when no whole answer came. */
  function send(request, limitMs) {
    // A `.` or `..` segment (even percent-encoded) would make URL resolution go somewhere else than
    // the engine meant, possibly outside the API root: refuse it.
    const dots = request.path.split('/').some((segment) => DOT_SEGMENTS.has(segment.toLowerCase()));
    const url = new URL(request.path.startsWith('/') ? request.path.slice(1) : request.path, base);
    if (dots || url.origin !== base.origin || !url.pathname.startsWith(base.pathname)) {
      return Promise.resolve({ error: `refused to send ${request.method} ${request.path}: a path must stay below the API root ${base.pathname}`, final: true });
    }
    // Percent-encoded by hand: url.searchParams costs a cold start about 0.15 ms (Node 20 profile).
    url.search = request.query.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`).join('&');
    const body = request.body === undefined ? undefined : JSON.stringify(request.body);
    const headers = {
      accept: request.accept ?? 'application/vnd.github+json',
      authorization: `Bearer ${token}`,
      'user-agent': `${userAgent}/${VERSION}`,
      'x-github-api-version': '2022-11-28',
    };
    if (body !== undefined) {
      headers['content-type'] = 'application/json; charset=utf-8';
      headers['content-length'] = Buffer.byteLength(body);
    }
    return new Promise((resolve) => {
      // One timer for the whole try: a server that sends a byte now and then must not hold it open.
      const timer = setTimeout(() => {
        const why = limitMs < timeoutMs ? `${ceiling} was reached` : `no whole answer within ${timeoutMs / 1000} s`;
        resolve({ error: `${request.method} ${url.pathname}: ETIMEDOUT (${why})` });
        req.destroy();
      }, limitMs);
      const done = (reply) => {
        clearTimeout(timer);
        resolve(reply);
      };
      const req = open(url, { method: request.method, headers }, (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('end', () => done({ status: res.statusCode, headers: flatten(res.headers), body: Buffer.concat(chunks) }));
        res.on('error', (err) => done({ error: `the answer was cut off (${err.message})` }));
      });
      req.on('error', (err) => done({ error: `${request.method} ${url.pathname}: ${err.code ?? err.message}` }));
      req.end(body);
    });
  }

  /** Performs a request, retrying transient failures of requests that are safe to repeat. */
  return async function perform(request) {
    const write = request.method !== 'GET';
    let reply;
    let retry;
    let wait = 0;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      // Writes, retries included, keep a second apart, as GitHub asks.
      if (write) wait = Math.max(wait, lastWrite + WRITE_SPACING_MS - now());
      if (now() + wait >= deadline) {
        if (reply === undefined) return { error: `${request.method} ${request.path} was not sent: ${ceiling} was reached`, final: true };
        log('warning', `${request.method} ${request.path} is not tried again (${retry.why}): waiting ${Math.ceil(wait / 1000)} s would pass ${ceiling}.`);
        break;
      }
      if (retry?.limited) log('info', `${request.method} ${request.path}: ${retry.why}; trying again in ${Math.ceil(wait / 1000)} s.`);
      if (wait > 0) await sleep(wait);
      reply = await send(request, Math.min(timeoutMs, deadline - now()));
      if (write) lastWrite = now();
      if (reply.final) break; // refused here: trying again changes nothing
      retry = retryDelay(reply, attempt, now());
      // A rate-limited request was refused before GitHub did anything: always safe to repeat.
      // Anything else is repeated only when the engine says it is safe (it looks before it
      // repeats a create whose answer was lost).
      if (retry === undefined || (!retry.limited && !request.idempotent) || attempt === MAX_ATTEMPTS) break;
      wait = retry.ms;
    }
    return reply;
  };
}

/** `request(url, options, onResponse)` straight to the API, over a connection opened now. */
function direct(base) {
  const http = transport(base.protocol);
  const agent = preconnected(http, base);
  return (url, options, onResponse) => http.request(url, { ...options, agent }, onResponse);
}

/**
 * An agent like Node's global one (the same options: keep-alive, no delay) whose first connection to
 * the API is opened now: its TCP and TLS handshakes then run while the engine compiles and plans,
 * instead of delaying the first request (on GitHub, tens of milliseconds; against a local server,
 * 0.3 ms: bench/run.mjs). The first request takes that socket if it is still alive; anything else
 * connects as usual. A run that makes no request leaves it unused (it holds no event loop open).
 * Node's own proxy (`NODE_USE_ENV_PROXY`, in the global agent's options) is left out: proxies are
 * proxy.mjs's, and this agent is used only when none applies.
 */
function preconnected(http, base) {
  const { proxyEnv, ...globalOptions } = http.globalAgent.options;
  const agent = new http.Agent(globalOptions);
  const host = base.hostname.startsWith('[') ? base.hostname.slice(1, -1) : base.hostname;
  const port = Number(base.port) || (base.protocol === 'http:' ? 80 : 443);
  const { isIP } = process.getBuiltinModule('node:net');
  // As Node's agent does: SNI carries a name, never an address; the key caches the TLS session.
  const options = { ...agent.options, host, port, ...(isIP(host) ? {} : { servername: host }) };
  let early = agent.createConnection({ ...options, _agentKey: agent.getName(options) });
  early.unref();
  early.on('error', () => {}); // the request that would have used it connects anew
  const connect = agent.createConnection;
  agent.createConnection = function (options, callback) {
    const socket = early;
    early = undefined;
    if (socket !== undefined && !socket.destroyed && options.host === host && Number(options.port) === port) {
      socket.ref();
      return socket;
    }
    socket?.destroy();
    return connect.call(this, options, callback);
  };
  return agent;
}

/**
 * Whether and when to retry a reply: `{ ms, limited, why }`, or undefined. `limited` marks rate
 * limits, which GitHub answers before doing anything; `why` says what is waited for. How long is
 * GitHub's rule for rate limits: what `retry-after` says; else, with no requests left, until the
 * limit resets; else, for a secondary limit, at least a minute, twice as long on each new refusal.
 * Whether the wait fits in the run's time limit is the caller's to decide.
 */
export function retryDelay(reply, attempt, now = Date.now()) {
  const backoff = { ms: Math.min(500 * 2 ** (attempt - 1), 8_000), limited: false, why: 'a try failed' };
  if (reply.error !== undefined) return backoff;
  const { status, headers } = reply;
  if (TRANSIENT.has(status)) return backoff;
  if (status !== 403 && status !== 429) return undefined;
  if (headers['retry-after'] !== undefined) {
    // Seconds, or an HTTP date.
    const seconds = Number(headers['retry-after']);
    const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(headers['retry-after']) - now;
    return Number.isNaN(ms) ? undefined : { ms: Math.max(ms, 0), limited: true, why: `GitHub asked to wait (retry-after: ${headers['retry-after']})` };
  }
  if (headers['x-ratelimit-remaining'] === '0' && headers['x-ratelimit-reset'] !== undefined) {
    const reset = Number(headers['x-ratelimit-reset']) * 1000;
    if (!Number.isFinite(reset)) return undefined;
    return { ms: Math.max(reset - now, 0), limited: true, why: `the rate limit resets at ${new Date(reset).toISOString().replace(/\.\d+Z$/, 'Z')}` };
  }
  if (SECONDARY_LIMIT.test(String(reply.body ?? '').slice(0, 4096))) {
    return { ms: SECONDARY_WAIT_MS * 2 ** (attempt - 1), limited: true, why: 'GitHub\'s secondary rate limit, which asks to wait at least a minute' };
  }
  return undefined;
}

function flatten(headers) {
  const out = {};
  for (const [name, value] of Object.entries(headers)) out[name] = Array.isArray(value) ? value.join(', ') : String(value);
  return out;
}

function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
