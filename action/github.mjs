// Performs the engine's requests against the GitHub REST API (GITHUB_API_URL) over node:http(s).
//
// Plumbing only: authentication, JSON, retries of requests that are safe to repeat, and spacing of
// writes as GitHub asks (one second between content-creating requests). What to do when a write
// fails is the engine's decision, so a failed write is handed back to it, never repeated here.


const TRANSIENT = new Set([500, 502, 503, 504]);
const MAX_ATTEMPTS = 4;
const TIMEOUT_MS = 30_000;
const WRITE_SPACING_MS = 1_000;
const MAX_WAIT_MS = 60_000;

export async function createClient({ apiUrl, token, userAgent, sleep = delay }) {
  const base = new URL(apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`);
  // Only the module the API URL needs: loading node:https (TLS) costs several milliseconds of
  // every cold start, for nothing when the API is plain HTTP.
  const transport = base.protocol === 'http:' ? await import('node:http') : await import('node:https');
  let lastWrite = 0;

  /** One attempt: resolves to `{status, headers, body}`, or `{error}` when no answer came. */
  function send(request) {
    const url = new URL(request.path.replace(/^\//, ''), base);
    for (const [name, value] of request.query) url.searchParams.append(name, value);
    const body = request.body === undefined ? undefined : JSON.stringify(request.body);
    const headers = {
      accept: request.accept ?? 'application/vnd.github+json',
      authorization: `Bearer ${token}`,
      'user-agent': userAgent,
      'x-github-api-version': '2022-11-28',
    };
    if (body !== undefined) {
      headers['content-type'] = 'application/json; charset=utf-8';
      headers['content-length'] = Buffer.byteLength(body);
    }
    return new Promise((resolve) => {
      const req = transport.request(url, { method: request.method, headers, timeout: TIMEOUT_MS }, (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode, headers: flatten(res.headers), body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', (err) => resolve({ error: `the answer was cut off (${err.message})` }));
      });
      req.on('timeout', () => req.destroy(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)));
      req.on('error', (err) => resolve({ error: `${request.method} ${url.pathname}: ${err.code ?? err.message}` }));
      req.end(body);
    });
  }

  /** Performs a request, retrying transient failures of requests that are safe to repeat. */
  return async function perform(request) {
    const write = request.method !== 'GET';
    if (write) {
      const wait = lastWrite + WRITE_SPACING_MS - Date.now();
      if (wait > 0) await sleep(wait);
    }
    let reply;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      reply = await send(request);
      if (write) lastWrite = Date.now();
      const wait = retryDelay(reply, attempt);
      if (wait === undefined || !request.idempotent || attempt === MAX_ATTEMPTS) break;
      await sleep(wait);
    }
    return reply;
  };
}

/** How long to wait before retrying this reply, or undefined when it should not be retried. */
export function retryDelay(reply, attempt) {
  const backoff = Math.min(500 * 2 ** (attempt - 1), 8_000);
  if (reply.error !== undefined) return backoff;
  const { status, headers } = reply;
  if (TRANSIENT.has(status)) return backoff;
  if (status === 403 || status === 429) {
    // Secondary rate limits say how long to wait; a primary limit says when it resets.
    if (headers['retry-after'] !== undefined) {
      const wait = Number(headers['retry-after']) * 1000;
      return wait <= MAX_WAIT_MS ? wait : undefined;
    }
    if (headers['x-ratelimit-remaining'] === '0' && headers['x-ratelimit-reset'] !== undefined) {
      const wait = Number(headers['x-ratelimit-reset']) * 1000 - Date.now();
      return wait <= MAX_WAIT_MS ? Math.max(wait, 0) : undefined;
    }
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
