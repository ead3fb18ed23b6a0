import {
  createEngine
} from "./shared-DSGVKK6L.mjs";

// action/run.mjs
import { readFileSync } from "node:fs";

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

// action/runner.mjs
import { appendFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
function inputs(env = process.env) {
  const found = {};
  for (const [key, value] of Object.entries(env)) {
    if (key.startsWith("INPUT_")) found[key.slice(6).toLowerCase()] = value;
  }
  return found;
}
function savedState(env = process.env) {
  const found = {};
  for (const [key, value] of Object.entries(env)) {
    if (key.startsWith("STATE_")) found[key.slice(6)] = value;
  }
  return found;
}
function requireEnv(names, env = process.env) {
  const missing = names.filter((name) => !env[name]);
  if (missing.length > 0) {
    throw new Error(`${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} not set: run this as a step of a GitHub Actions job`);
  }
  return Object.fromEntries(names.map((name) => [name, env[name]]));
}
function writeKeyValues(file, pairs) {
  if (!file) return false;
  let text = "";
  for (const [name, value] of pairs) {
    const delimiter = `ghadelimiter_${randomUUID()}`;
    text += `${name}<<${delimiter}
${value}
${delimiter}
`;
  }
  appendFileSync(file, text);
  return true;
}
function appendSummary(markdown, env = process.env) {
  if (env.GITHUB_STEP_SUMMARY && markdown) appendFileSync(env.GITHUB_STEP_SUMMARY, markdown.endsWith("\n") ? markdown : `${markdown}
`);
}
function mask(secret, write = print) {
  if (secret) write(`::add-mask::${escapeData(secret)}`);
}
function log({ level, message, annotation }, write = print) {
  if (level === "info") {
    writeUntrusted(message, write);
    return;
  }
  const command = { debug: "debug", notice: "notice", warning: "warning", error: "error" }[level] ?? "notice";
  const properties = annotation ? ` file=${escapeProperty(annotation.file)},line=${annotation.line},col=${annotation.column}` : "";
  write(`::${command}${properties}::${escapeData(message)}`);
}
function writeUntrusted(message, write) {
  if (!/^\s*::/m.test(message)) {
    write(message);
    return;
  }
  const token = `deliverybot-${randomUUID()}`;
  write(`::stop-commands::${token}`);
  write(message);
  write(`::${token}::`);
}
function print(line) {
  process.stdout.write(`${line}
`);
}
function escapeData(text) {
  return String(text).replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}
function escapeProperty(text) {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

// action/run.mjs
var USER_AGENT = "deliverybot-action";
async function run(phase, env = process.env) {
  const inputs2 = inputs(env);
  const token = (inputs2.token ?? "").trim();
  mask(token);
  delete inputs2.token;
  const vars = requireEnv(
    ["GITHUB_EVENT_NAME", "GITHUB_EVENT_PATH", "GITHUB_REPOSITORY", "GITHUB_RUN_ID", "GITHUB_SERVER_URL", "GITHUB_API_URL"],
    env
  );
  if (!token) throw new Error("input `token` is empty: pass a token, for example `token: ${{ github.token }}`");
  const event = readFileSync(vars.GITHUB_EVENT_PATH, "utf8");
  const engine = createEngine({
    event_name: vars.GITHUB_EVENT_NAME,
    event,
    inputs: inputs2,
    phase,
    state: savedState(env),
    context: {
      repository: vars.GITHUB_REPOSITORY,
      run_id: vars.GITHUB_RUN_ID,
      server_url: vars.GITHUB_SERVER_URL.replace(/\/+$/, ""),
      actor: env.GITHUB_ACTOR ?? "",
      job: env.GITHUB_JOB ?? ""
    }
  });
  const timeout = Number(env.DELIVERYBOT_REQUEST_TIMEOUT);
  const perform = await createClient({
    apiUrl: vars.GITHUB_API_URL,
    token,
    userAgent: USER_AGENT,
    ...timeout > 0 ? { timeoutMs: timeout * 1e3 } : {}
  });
  let reply;
  let last = "the start";
  for (; ; ) {
    let step;
    try {
      step = engine.step(reply);
    } catch (err) {
      throw new Error(
        `internal error in the engine on a \`${vars.GITHUB_EVENT_NAME}\` event, after ${last}: ${err.message}. Please report it; nothing after this point was done.`
      );
    }
    const { log: log2, next } = step;
    for (const line of log2) log(line);
    if (next.type === "done") return finish(next, env);
    log({ level: "debug", message: `${next.method} ${next.path}: ${next.purpose}` });
    last = `${next.method} ${next.path}`;
    reply = await perform(next);
  }
}
function finish(outcome, env) {
  writeKeyValues(env.GITHUB_OUTPUT, outcome.outputs);
  writeKeyValues(env.GITHUB_STATE, outcome.state ?? []);
  appendSummary(outcome.summary, env);
  if (outcome.failure) {
    log({ level: "error", message: outcome.failure });
    process.exitCode = 1;
  }
}
function start(phase) {
  run(phase).catch((err) => {
    log({ level: "error", message: `Deliverybot stopped: ${err.message}` });
    process.exitCode = 1;
  });
}

export {
  start
};
