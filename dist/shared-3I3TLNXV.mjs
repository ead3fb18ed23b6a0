// action/github.mjs
var TRANSIENT = /* @__PURE__ */ new Set([500, 502, 503, 504]);
var MAX_ATTEMPTS = 4;
var WRITE_SPACING_MS = 1e3;
var MAX_WAIT_MS = 6e4;
async function createClient({ apiUrl, token, userAgent, timeoutMs = 3e4, sleep = delay }) {
  const base = new URL(apiUrl.endsWith("/") ? apiUrl : `${apiUrl}/`);
  const transport = base.protocol === "http:" ? await import("node:http") : await import("node:https");
  let lastWrite = 0;
  function send(request) {
    const url = new URL(request.path.replace(/^\//, ""), base);
    for (const [name, value] of request.query) url.searchParams.append(name, value);
    const body = request.body === void 0 ? void 0 : JSON.stringify(request.body);
    const headers = {
      accept: request.accept ?? "application/vnd.github+json",
      authorization: `Bearer ${token}`,
      "user-agent": userAgent,
      "x-github-api-version": "2022-11-28"
    };
    if (body !== void 0) {
      headers["content-type"] = "application/json; charset=utf-8";
      headers["content-length"] = Buffer.byteLength(body);
    }
    return new Promise((resolve) => {
      const req = transport.request(url, { method: request.method, headers, timeout: timeoutMs }, (res) => {
        const chunks = [];
        res.on("data", (chunk) => chunks.push(chunk));
        res.on("end", () => resolve({ status: res.statusCode, headers: flatten(res.headers), body: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", (err) => resolve({ error: `the answer was cut off (${err.message})` }));
      });
      req.on("timeout", () => req.destroy(Object.assign(new Error(`no answer within ${timeoutMs / 1e3} s`), { code: "ETIMEDOUT" })));
      req.on("error", (err) => resolve({ error: `${request.method} ${url.pathname}: ${err.code ?? err.message}` }));
      req.end(body);
    });
  }
  return async function perform(request) {
    const write = request.method !== "GET";
    if (write) {
      const wait = lastWrite + WRITE_SPACING_MS - Date.now();
      if (wait > 0) await sleep(wait);
    }
    let reply;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      reply = await send(request);
      if (write) lastWrite = Date.now();
      const retry = retryDelay(reply, attempt);
      if (retry === void 0 || !retry.limited && !request.idempotent || attempt === MAX_ATTEMPTS) break;
      await sleep(retry.ms);
    }
    return reply;
  };
}
function retryDelay(reply, attempt, now = Date.now()) {
  const backoff = { ms: Math.min(500 * 2 ** (attempt - 1), 8e3), limited: false };
  if (reply.error !== void 0) return backoff;
  const { status, headers } = reply;
  if (TRANSIENT.has(status)) return backoff;
  if (status === 403 || status === 429) {
    if (headers["retry-after"] !== void 0) {
      const ms = Number(headers["retry-after"]) * 1e3;
      return ms <= MAX_WAIT_MS ? { ms, limited: true } : void 0;
    }
    if (headers["x-ratelimit-remaining"] === "0" && headers["x-ratelimit-reset"] !== void 0) {
      const ms = Number(headers["x-ratelimit-reset"]) * 1e3 - now;
      return ms <= MAX_WAIT_MS ? { ms: Math.max(ms, 0), limited: true } : void 0;
    }
  }
  return void 0;
}
function flatten(headers) {
  const out = {};
  for (const [name, value] of Object.entries(headers)) out[name] = Array.isArray(value) ? value.join(", ") : String(value);
  return out;
}
function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export {
  createClient
};
