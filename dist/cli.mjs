#!/usr/bin/env node
import {
  readRegularFile,
  readdirSync,
  run,
  schema,
  transport,
  validate,
  workflow
} from "./shared-UEV6EWH5.mjs";

// action/cli.mjs
import { parseArgs as parseArgs2 } from "node:util";

// action/plan.mjs
import { relative, isAbsolute } from "node:path";
import { parseArgs } from "node:util";

// action/facts.mjs
import { createHash } from "node:crypto";
var LOCKS = "deliverybot/locks/";
var RUNNING = /* @__PURE__ */ new Set(["queued", "in_progress", "pending", "waiting", "requested"]);
function refuseWrites(request) {
  if (request.method !== "GET") {
    throw new Error(`the engine asked to write (${request.method} ${request.path}: ${request.purpose}) during a plan; nothing was sent. This is a bug: please report it`);
  }
}
function factsResponder({ repository, config, facts = {} }) {
  const prefix = `/repos/${repository.split("/").map(encodeURIComponent).join("/")}`;
  const refs = facts.refs ?? {};
  const deployments = (facts.deployments ?? []).map((d, i) => ({ id: i + 1, ...d }));
  const locks = Object.entries(facts.locks ?? {}).map(([environment, lock]) => {
    const record = typeof lock === "string" ? { reason: lock } : lock;
    return { environment, sha: fakeSha(`lock ${environment}`), by: record.by ?? "someone", reason: record.reason ?? "", pr: record.pr ?? null, since: record.since ?? "" };
  });
  const ok = (body, headers = {}) => ({ status: 200, headers, body: typeof body === "string" ? body : JSON.stringify(body) });
  const notFound = (what) => ({ status: 404, headers: {}, body: JSON.stringify({ message: `Not Found (${what})` }) });
  const tip = (name) => name in refs ? refs[name] : facts.sha ?? null;
  const resolve = (reference) => /^[0-9a-f]{40}$/.test(reference) ? reference : tip(`heads/${reference}`) ?? tip(`tags/${reference}`);
  const routes = [
    [/^\/contents\/(.+)$/, ([path]) => path === config.path ? ok(config.text, { "content-type": "application/vnd.github.raw+json; charset=utf-8" }) : notFound(`no file ${path}`)],
    [/^\/deployments$/, (_, query) => {
      const matching = deployments.filter((d) => ["environment", "sha", "ref", "task"].every((k) => query[k] === void 0 || d[k] === void 0 || d[k] === query[k]));
      return page(matching.map((d) => deploymentJson(d, query.sha)), query);
    }],
    [/^\/deployments\/(\d+)\/statuses$/, ([id]) => {
      const found = deployments.find((d) => String(d.id) === id);
      const status = found && { id: Number(id) * 10, state: found.state, created_at: found.status_at ?? found.created_at ?? "2020-01-01T00:00:00Z" };
      return found ? ok(found.state ? [status] : []) : notFound(`no deployment ${id}`);
    }],
    [/^\/commits\/([^/]+)\/status$/, ([sha], query) => page(Object.entries(facts.statuses ?? {}).map(([context, state]) => ({ context, state })), query, (items) => ({ sha, total_count: items.length, statuses: items }))],
    [/^\/commits\/([^/]+)\/check-runs$/, ([sha], query) => {
      const runs = Object.entries(facts.check_runs ?? {}).map(([name, state]) => RUNNING.has(state) ? { name, head_sha: sha, status: state, conclusion: null } : { name, head_sha: sha, status: "completed", conclusion: state });
      return page(runs, query, (items) => ({ total_count: runs.length, check_runs: items }));
    }],
    [/^\/commits\/([^/]+)$/, ([reference]) => {
      const sha = resolve(reference);
      if (!sha) return notFound(`no commit ${reference}`);
      return ok({ sha, commit: { message: "", author: { name: "", email: "", date: "" } }, ...facts.commits?.[sha] });
    }],
    [/^\/git\/ref\/(.+)$/, ([name]) => {
      const sha = tip(name);
      return sha ? ok({ ref: `refs/${name}`, object: { sha, type: "commit" } }) : notFound(`no ref ${name}`);
    }],
    [/^\/git\/matching-refs\/(.*)$/, ([start]) => {
      const listed = Object.entries(refs).filter(([name, sha]) => sha && name.startsWith(start)).map(([name, sha]) => ({ ref: `refs/${name}`, object: { sha, type: "commit" } }));
      const locked = locks.map((l) => ({ ref: `refs/${LOCKS}${encodeURIComponent(l.environment)}`, object: { sha: l.sha, type: "tag" } })).filter((r) => r.ref.startsWith(`refs/${start}`));
      return ok([...listed, ...locked]);
    }],
    [/^\/git\/tags\/([^/]+)$/, ([sha]) => {
      const lock = locks.find((l) => l.sha === sha);
      if (!lock) return notFound(`no tag object ${sha}`);
      const { environment, by, reason, pr } = lock;
      return ok({ sha, message: JSON.stringify({ environment, by, reason, pr }), tagger: { name: by, date: lock.since } });
    }],
    // The pull requests of the facts (a pull request event's own by default): by head commit, or the open ones.
    [/^\/commits\/([^/]+)\/pulls$/, ([sha], query) => page(Object.values(facts.pulls ?? {}).filter((pr) => pr?.head?.sha === sha), query)],
    [/^\/pulls$/, (_, query) => page(Object.values(facts.pulls ?? {}).filter((pr) => (pr?.state ?? "open") === "open"), query)],
    [/^\/pulls\/(\d+)$/, ([number]) => facts.pulls?.[number] ? ok(facts.pulls[number]) : notFound(`no pull request #${number} in the facts`)],
    // Someone's role: the facts', else write (the role a dispatch or a `/deploy` needs by default).
    [/^\/collaborators\/([^/]+)\/permission$/, ([login]) => {
      const role = facts.permissions?.[login] ?? "write";
      if (role === "none") return notFound(`${login} is no collaborator`);
      return ok({ permission: { maintain: "write", triage: "read" }[role] ?? role, role_name: role, user: { login } });
    }],
    // What changed since a target's last deployment (`paths:`): the facts' files, whatever the
    // commits compared; without them, nothing to compare with (the engine then deploys, saying so).
    [/^\/compare\/([^/]+)\.\.\.([^/]+)$/, () => Array.isArray(facts.changed) ? ok({ status: "ahead", ahead_by: 1, behind_by: 0, total_commits: 1, commits: [], files: facts.changed.map((filename) => ({ filename, status: "modified" })) }) : notFound("no changed files in the facts: give --changed")]
  ];
  function page(items, query, wrap = (x) => x) {
    const size = Number(query.per_page ?? 30);
    const number = Number(query.page ?? 1);
    const more = items.length > number * size;
    return ok(wrap(items.slice((number - 1) * size, number * size)), more ? { link: `<https://api.github.com${prefix}?page=${number + 1}>; rel="next"` } : {});
  }
  return (request) => {
    refuseWrites(request);
    if (!request.path.startsWith(`${prefix}/`)) return notFound(`not in ${repository}`);
    const rest = request.path.slice(prefix.length);
    const query = Object.fromEntries(request.query);
    for (const [pattern, answer] of routes) {
      const match = pattern.exec(rest);
      if (match) return answer(match.slice(1).map(decodeURIComponent), query);
    }
    return notFound(`no fact for GET ${rest}`);
  };
}
function deploymentJson(d, sha) {
  return {
    id: d.id,
    sha: d.sha ?? sha ?? "",
    ref: d.ref ?? "",
    task: d.task ?? "deploy",
    environment: d.environment,
    // Deliverybot's own say the ref they came from in their payload.
    payload: d.payload ?? (d.ref?.startsWith("refs/") ? { deliverybot: { ref: d.ref } } : {}),
    transient_environment: d.transient_environment ?? false,
    production_environment: d.production_environment ?? false,
    created_at: d.created_at ?? "2020-01-01T00:00:00Z",
    url: `https://api.github.com/deployments/${d.id}`
  };
}
function fakeSha(text) {
  return createHash("sha1").update(text).digest("hex");
}

// action/proxy.mjs
function proxyFor(url, env = process.env) {
  if (bypassed(url, env)) return void 0;
  const name = url.protocol === "https:" ? "https_proxy" : "http_proxy";
  const value = (env[name] || env[name.toUpperCase()] || "").trim();
  if (!value) return void 0;
  const text = value.includes("://") ? value : `http://${value}`;
  const proxy = URL.canParse(text) ? new URL(text) : void 0;
  if (proxy?.protocol !== "http:" && proxy?.protocol !== "https:") {
    throw new Error(`${env[name] ? name : name.toUpperCase()} is not an http:// or https:// proxy URL: ${JSON.stringify(value)}`);
  }
  return proxy;
}
function bypassed(url, env = process.env) {
  const host = url.hostname.toUpperCase();
  if (!host) return false;
  if (host === "LOCALHOST" || host.startsWith("127.") || host === "[::1]" || host === "[0:0:0:0:0:0:0:1]") return true;
  const port = url.port || { "http:": "80", "https:": "443" }[url.protocol];
  const names = port ? [host, `${host}:${port}`] : [host];
  const entries = (env.no_proxy || env.NO_PROXY || "").split(",").map((entry) => entry.trim().toUpperCase()).filter(Boolean);
  return entries.some(
    (entry) => entry === "*" || names.some((name) => name === entry || name.endsWith(entry.startsWith(".") ? entry : `.${entry}`))
  );
}
function throughProxy(origin, proxy) {
  const auth = proxy.username || proxy.password ? { "proxy-authorization": `Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString("base64")}` } : {};
  const toProxy = transport(proxy.protocol);
  const proxyHost = unbracketed(proxy.hostname);
  const proxyPort = Number(proxy.port) || (proxy.protocol === "https:" ? 443 : 80);
  if (origin.protocol === "http:") {
    const agent2 = new toProxy.Agent({ keepAlive: true });
    return (url, options, onResponse) => toProxy.request(
      { host: proxyHost, port: proxyPort, path: url.href, method: options.method, headers: { ...options.headers, host: url.host, ...auth }, agent: agent2 },
      onResponse
    );
  }
  const https = transport("https:");
  const tls = process.getBuiltinModule("node:tls");
  const agent = new https.Agent({ keepAlive: true });
  agent.createConnection = (options, callback) => {
    const target = `${options.host.includes(":") ? `[${options.host}]` : options.host}:${options.port}`;
    const connect = toProxy.request({ host: proxyHost, port: proxyPort, method: "CONNECT", path: target, headers: { host: target, ...auth }, agent: false });
    connect.once("socket", (socket) => socket.unref());
    connect.once("connect", (res, socket) => {
      if (res.statusCode !== 200) {
        socket.destroy();
        callback(new Error(`the proxy ${proxy.host} answered ${res.statusCode} to CONNECT ${target}`));
        return;
      }
      socket.ref();
      const { port, path, ...tlsOptions } = options;
      callback(null, tls.connect({ ...tlsOptions, socket }));
    });
    connect.once("error", (err) => callback(err));
    connect.end();
  };
  return (url, options, onResponse) => https.request(url, { ...options, agent }, onResponse);
}
function unbracketed(host) {
  return host.startsWith("[") ? host.slice(1, -1) : host;
}

// action/version.mjs
var VERSION = true ? "1.0.0" : "dev";

// action/github.mjs
var TRANSIENT = /* @__PURE__ */ new Set([500, 502, 503, 504]);
var MAX_ATTEMPTS = 4;
var WRITE_SPACING_MS = 1e3;
var SECONDARY_LIMIT = /secondary rate limit|abuse detection/i;
var SECONDARY_WAIT_MS = 6e4;
var DOT_SEGMENTS = /* @__PURE__ */ new Set([".", "..", "%2e", ".%2e", "%2e.", "%2e%2e"]);
function createClient({ apiUrl, token, userAgent, timeoutMs = 3e4, runTimeoutMs = 6e5, log = () => {
}, sleep = delay, now = Date.now, env = process.env }) {
  const base = new URL(apiUrl.endsWith("/") ? apiUrl : `${apiUrl}/`);
  const proxy = proxyFor(base, env);
  const open = proxy ? throughProxy(base, proxy) : direct(base);
  const deadline = now() + runTimeoutMs;
  const ceiling = `the run's time limit of ${runTimeoutMs / 1e3} s (DELIVERYBOT_RUN_TIMEOUT)`;
  let lastWrite = 0;
  function send(request, limitMs) {
    const dots = request.path.split("/").some((segment) => DOT_SEGMENTS.has(segment.toLowerCase()));
    const url = new URL(request.path.startsWith("/") ? request.path.slice(1) : request.path, base);
    if (dots || url.origin !== base.origin || !url.pathname.startsWith(base.pathname)) {
      return Promise.resolve({ error: `refused to send ${request.method} ${request.path}: a path must stay below the API root ${base.pathname}`, final: true });
    }
    url.search = request.query.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`).join("&");
    const body = request.body === void 0 ? void 0 : JSON.stringify(request.body);
    const headers = {
      accept: request.accept ?? "application/vnd.github+json",
      authorization: `Bearer ${token}`,
      "user-agent": `${userAgent}/${VERSION}`,
      "x-github-api-version": "2022-11-28"
    };
    if (body !== void 0) {
      headers["content-type"] = "application/json; charset=utf-8";
      headers["content-length"] = Buffer.byteLength(body);
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        const why = limitMs < timeoutMs ? `${ceiling} was reached` : `no whole answer within ${timeoutMs / 1e3} s`;
        resolve({ error: `${request.method} ${url.pathname}: ETIMEDOUT (${why})` });
        req.destroy();
      }, limitMs);
      const done = (reply) => {
        clearTimeout(timer);
        resolve(reply);
      };
      const req = open(url, { method: request.method, headers }, (res) => {
        const chunks = [];
        res.on("data", (chunk) => chunks.push(chunk));
        res.on("end", () => done({ status: res.statusCode, headers: flatten(res.headers), body: Buffer.concat(chunks) }));
        res.on("error", (err) => done({ error: `the answer was cut off (${err.message})` }));
      });
      req.on("error", (err) => done({ error: `${request.method} ${url.pathname}: ${err.code ?? err.message}` }));
      req.end(body);
    });
  }
  return async function perform(request) {
    const write = request.method !== "GET";
    let reply;
    let retry;
    let wait = 0;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      if (write) wait = Math.max(wait, lastWrite + WRITE_SPACING_MS - now());
      if (now() + wait >= deadline) {
        if (reply === void 0) return { error: `${request.method} ${request.path} was not sent: ${ceiling} was reached`, final: true };
        log("warning", `${request.method} ${request.path} is not tried again (${retry.why}): waiting ${Math.ceil(wait / 1e3)} s would pass ${ceiling}.`);
        break;
      }
      if (retry?.limited) log("info", `${request.method} ${request.path}: ${retry.why}; trying again in ${Math.ceil(wait / 1e3)} s.`);
      if (wait > 0) await sleep(wait);
      reply = await send(request, Math.min(timeoutMs, deadline - now()));
      if (write) lastWrite = now();
      if (reply.final) break;
      retry = retryDelay(reply, attempt, now());
      if (retry === void 0 || !retry.limited && !request.idempotent || attempt === MAX_ATTEMPTS) break;
      wait = retry.ms;
    }
    return reply;
  };
}
function direct(base) {
  const http = transport(base.protocol);
  const agent = preconnected(http, base);
  return (url, options, onResponse) => http.request(url, { ...options, agent }, onResponse);
}
function preconnected(http, base) {
  const { proxyEnv, ...globalOptions } = http.globalAgent.options;
  const agent = new http.Agent(globalOptions);
  const host = base.hostname.startsWith("[") ? base.hostname.slice(1, -1) : base.hostname;
  const port = Number(base.port) || (base.protocol === "http:" ? 80 : 443);
  const { isIP } = process.getBuiltinModule("node:net");
  const options = { ...agent.options, host, port, ...isIP(host) ? {} : { servername: host } };
  let early = agent.createConnection({ ...options, _agentKey: agent.getName(options) });
  early.unref();
  early.on("error", () => {
  });
  const connect = agent.createConnection;
  agent.createConnection = function(options2, callback) {
    const socket = early;
    early = void 0;
    if (socket !== void 0 && !socket.destroyed && options2.host === host && Number(options2.port) === port) {
      socket.ref();
      return socket;
    }
    socket?.destroy();
    return connect.call(this, options2, callback);
  };
  return agent;
}
function retryDelay(reply, attempt, now = Date.now()) {
  const backoff = { ms: Math.min(500 * 2 ** (attempt - 1), 8e3), limited: false, why: "a try failed" };
  if (reply.error !== void 0) return backoff;
  const { status, headers } = reply;
  if (TRANSIENT.has(status)) return backoff;
  if (status !== 403 && status !== 429) return void 0;
  if (headers["retry-after"] !== void 0) {
    const seconds = Number(headers["retry-after"]);
    const ms = Number.isFinite(seconds) ? seconds * 1e3 : Date.parse(headers["retry-after"]) - now;
    return Number.isNaN(ms) ? void 0 : { ms: Math.max(ms, 0), limited: true, why: `GitHub asked to wait (retry-after: ${headers["retry-after"]})` };
  }
  if (headers["x-ratelimit-remaining"] === "0" && headers["x-ratelimit-reset"] !== void 0) {
    const reset = Number(headers["x-ratelimit-reset"]) * 1e3;
    if (!Number.isFinite(reset)) return void 0;
    return { ms: Math.max(reset - now, 0), limited: true, why: `the rate limit resets at ${new Date(reset).toISOString().replace(/\.\d+Z$/, "Z")}` };
  }
  if (SECONDARY_LIMIT.test(String(reply.body ?? "").slice(0, 4096))) {
    return { ms: SECONDARY_WAIT_MS * 2 ** (attempt - 1), limited: true, why: "GitHub's secondary rate limit, which asks to wait at least a minute" };
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

// action/plan.mjs
var HELP = `Usage: deliverybot plan --event NAME (--payload FILE | --ref REF --sha SHA [--pr N] | --input NAME=VALUE --sha SHA) [options]

Shows what Deliverybot would do for an event, and writes nothing: the engine runs as a dry run and
its read requests are answered from local facts or, with --repo and a token, by the GitHub API.

Event:
  --event NAME          push, pull_request, status, check_run, workflow_run, workflow_dispatch, ...
  --payload FILE        A webhook payload (JSON), for example a workflow run's $GITHUB_EVENT_PATH.
  --ref REF --sha SHA   Instead of --payload: a push of SHA to REF (refs/heads/main, refs/tags/v1).
  --pr N                With --event pull_request: pull request N, its head SHA on branch REF.
  --input NAME=VALUE    With --event workflow_dispatch or repository_dispatch: an input (target,
                        ref, force, task, params; client_payload for repository_dispatch), over the
                        payload's if there is one. Without --payload, --sha is the commit refs
                        point at. Repeatable.
  --repo OWNER/NAME     The repository (default: the payload's; owner/repo for --ref/--sha).
  --default-branch NAME The default branch, for --ref/--sha (default: main).

Config:
  --config PATH         The deploy.yml to plan with (default: .github/deploy.yml).
  --remote-config       Read it from the repository's default branch instead (online; PATH is its
                        path in the repository).

Facts (offline; default: nothing deployed, no checks reported, nothing locked, every ref at the
event's commit):
  --facts FILE          A facts file: refs, statuses, check_runs, deployments, locks, pulls, commits,
                        permissions, changed.
  --status CTX=STATE    Commit status CTX is STATE (success, pending, failure, error). Repeatable.
  --check NAME=RESULT   Check run NAME ended with RESULT (success, failure, ...) or is queued or
                        in_progress. Repeatable.
  --deployed ENV[@SHA][=STATE]
                        ENV already has a deployment of SHA (default: of any commit), its latest
                        status STATE (success, in_progress, ...). Repeatable, newest first.
  --deployed-by TARGET@SHA
                        TARGET last deployed SHA (to whatever environment it renders), for
                        \`paths:\`. Repeatable.
  --changed PATH,...    The files changed since a target's last deployment, for \`paths:\`.
                        Repeatable.
  --locked ENV[=WHY]    ENV is locked. Repeatable.
  --permission LOGIN=ROLE  LOGIN's role on the repository (read, triage, write, maintain, admin,
                        none; default write). Repeatable.
  --now TIME            The time of the run (RFC 3339, like 2026-12-06T14:20:00Z), which \`soak\`,
                        \`serialize\`, freeze windows and stuck deployments are judged at. Default:
                        now. Freeze windows' time zones come from this machine's tz database
                        ($TZDIR or /usr/share/zoneinfo).

Online: with --repo and GITHUB_TOKEN, the facts are read from the GitHub API (GET requests only) at
GITHUB_API_URL (default https://api.github.com). --offline ignores the token.

Output:
  --json                One JSON object: decisions (with the create request each would make),
                        outputs, failure, summary, log, requests.
  -v, --verbose         Also print the engine's log and each request on stderr.

Exit status: 0 planned (whatever it decided), 1 the run would fail (invalid config or payload, a
target that cannot be deployed), 2 usage error or unreadable file, 3 internal error (a bug).
`;
var OPTIONS = {
  event: { type: "string" },
  payload: { type: "string" },
  ref: { type: "string" },
  sha: { type: "string" },
  pr: { type: "string" },
  input: { type: "string", multiple: true, default: [] },
  repo: { type: "string" },
  "default-branch": { type: "string", default: "main" },
  config: { type: "string", default: ".github/deploy.yml" },
  "remote-config": { type: "boolean", default: false },
  facts: { type: "string" },
  status: { type: "string", multiple: true, default: [] },
  check: { type: "string", multiple: true, default: [] },
  deployed: { type: "string", multiple: true, default: [] },
  "deployed-by": { type: "string", multiple: true, default: [] },
  changed: { type: "string", multiple: true, default: [] },
  locked: { type: "string", multiple: true, default: [] },
  permission: { type: "string", multiple: true, default: [] },
  now: { type: "string" },
  offline: { type: "boolean", default: false },
  json: { type: "boolean", default: false },
  verbose: { type: "boolean", short: "v", default: false },
  help: { type: "boolean", short: "h", default: false }
};
var UsageError = class extends Error {
};
async function planCommand(args, { env = process.env, stdout = process.stdout, stderr = process.stderr } = {}) {
  try {
    return await plan(args, env, stdout, stderr);
  } catch (err) {
    if (err instanceof UsageError) {
      stderr.write(`${paint(stderr, "red", "deliverybot plan:")} ${err.message}
`);
      return 2;
    }
    stderr.write(`${paint(stderr, "red", "deliverybot plan: internal error:")} ${err.message}
`);
    return 3;
  }
}
async function plan(args, env, stdout, stderr) {
  let options;
  try {
    ({ values: options } = parseArgs({ args, options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (err) {
    throw new UsageError(`${err.message}
Run \`deliverybot plan --help\` for the flags.`);
  }
  if (options.help) {
    stdout.write(HELP);
    return 0;
  }
  const payload = eventPayload(options);
  const repository = options.repo ?? payload.repository?.full_name;
  if (!/^[^/\s]+\/[^/\s]+$/.test(repository ?? "")) {
    throw new UsageError(repository ? `--repo must be owner/name, got ${JSON.stringify(repository)}` : "the payload has no repository.full_name: pass --repo owner/name");
  }
  const token = options.offline ? "" : (env.GITHUB_TOKEN ?? "").trim();
  const online = Boolean(options.repo && token);
  if (options["remote-config"] && !online) throw new UsageError("--remote-config reads from GitHub: it needs --repo and GITHUB_TOKEN");
  const factFlags = ["facts", "status", "check", "deployed", "deployed-by", "changed", "locked", "permission"].filter((name) => [options[name]].flat().filter(Boolean).length > 0);
  if (online && factFlags.length > 0) throw new UsageError(`--${factFlags[0]} gives facts offline; online they come from GitHub (add --offline to use them)`);
  const config = { path: options.config };
  if (!options["remote-config"]) {
    config.text = readText(options.config, "config");
    const { problems } = validate(config.text);
    if (problems.length > 0) return invalidConfig(options, problems, stdout, stderr);
    const local = relative(process.cwd(), options.config);
    config.path = !local.startsWith("..") && !isAbsolute(local) ? local : "deploy.yml";
  }
  let executor;
  if (online) {
    const apiUrl = env.GITHUB_API_URL || "https://api.github.com";
    if (!URL.canParse(apiUrl)) throw new UsageError(`GITHUB_API_URL is not a URL: ${JSON.stringify(apiUrl)}`);
    const perform = createClient({ apiUrl, token, userAgent: "deliverybot-cli" });
    const local = config.text === void 0 ? null : factsResponder({ repository, config });
    executor = (method, path, body, request) => {
      refuseWrites(request);
      return local && request.path.includes("/contents/") ? local(request) : perform(request);
    };
  } else {
    const respond = factsResponder({ repository, config, facts: gatherFacts(options, payload) });
    executor = (method, path, body, request) => respond(request);
  }
  const verbose = options.verbose && !options.json;
  const result = await run({
    eventName: options.event,
    payload,
    inputs: { "dry-run": "true", config: config.path },
    context: { repository, run_id: "0", server_url: env.GITHUB_SERVER_URL || "https://github.com", now: runTime(options.now) },
    executor: async (...call) => {
      const reply = await executor(...call);
      if (verbose) stderr.write(`${paint(stderr, "dim", `${call[0]} ${call[1]} \u2192 ${reply.status ?? reply.error}`)}
`);
      return reply;
    },
    onLog: (line) => report(line, verbose, stderr)
  });
  const { decisions } = result;
  if (options.json) {
    const outputs = Object.fromEntries(Object.entries(result.outputs).map(([k, v]) => [k, /^[[{]/.test(v) ? JSON.parse(v) : v]));
    const json = { event: options.event, repository, online, decisions, outputs, failure: result.failure ?? null, summary: result.summary, log: result.log, requests: result.requests };
    stdout.write(`${JSON.stringify(json, null, 2)}
`);
  } else {
    stdout.write(render(result.summary, decisions, stdout));
  }
  if (result.failure) {
    if (!options.json) stderr.write(`${paint(stderr, "red", "deliverybot plan:")} the run would fail: ${result.failure}
`);
    return 1;
  }
  return 0;
}
function runTime(text) {
  if (text === void 0) return (/* @__PURE__ */ new Date()).toISOString();
  const time = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i.test(text.trim()) ? new Date(text.trim()) : null;
  if (!time || Number.isNaN(time.getTime())) throw new UsageError(`--now must be a time like 2026-12-06T14:20:00Z (RFC 3339, with its offset), got ${JSON.stringify(text)}`);
  return time.toISOString();
}
var DISPATCHES = { workflow_dispatch: "inputs", repository_dispatch: "client_payload" };
function eventPayload(options) {
  if (!options.event) throw new UsageError("--event is required (push, pull_request, ...)");
  const inputs = dispatchInputs(options);
  const described = options.ref !== void 0 || options.sha !== void 0 || options.pr !== void 0;
  if (options.payload !== void 0) {
    if (described) throw new UsageError("give --payload, or describe the event with --ref/--sha, not both");
    const text = readText(options.payload, "payload");
    let payload;
    try {
      payload = JSON.parse(text);
      if (payload === null || typeof payload !== "object" || Array.isArray(payload)) throw new Error("a payload is a JSON object");
    } catch (err) {
      throw new UsageError(`${options.payload} is not a webhook payload: ${err.message}`);
    }
    if (inputs) payload[DISPATCHES[options.event]] = { ...payload[DISPATCHES[options.event]], ...inputs };
    return payload;
  }
  const [owner, name] = (options.repo ?? "owner/repo").split("/");
  const repository = { id: 1, name, full_name: `${owner}/${name}`, owner: { login: owner }, default_branch: options["default-branch"] };
  const sender = { login: owner };
  if (inputs) {
    if (options.ref !== void 0 || options.pr !== void 0) throw new UsageError("a dispatch names its ref as an input: --input ref=REF");
    if (!/^[0-9a-f]{40}$/.test(options.sha ?? "")) throw new UsageError("a dispatch described by --input needs --sha, the full 40-character commit its ref points at");
    const payload = { [DISPATCHES[options.event]]: inputs, repository, sender };
    return options.event === "workflow_dispatch" ? { ...payload, ref: `refs/heads/${repository.default_branch}` } : { action: "deploy", ...payload };
  }
  if (!options.ref || !options.sha) throw new UsageError("give --payload FILE, or --ref and --sha to describe the event");
  if (!/^[0-9a-f]{40}$/.test(options.sha)) throw new UsageError(`--sha must be a full 40-character commit sha, got ${JSON.stringify(options.sha)}`);
  switch (options.event) {
    case "push":
      if (!options.ref.startsWith("refs/")) throw new UsageError(`--ref must be a full ref, like refs/heads/main, got ${JSON.stringify(options.ref)}`);
      return { ref: options.ref, before: "0".repeat(40), after: options.sha, created: false, deleted: false, forced: false, commits: [], repository, sender };
    case "pull_request": {
      const number = Number(options.pr);
      if (!Number.isInteger(number) || number < 1) throw new UsageError("--event pull_request needs --pr N (the pull request number)");
      const branch = options.ref.replace(/^refs\/heads\//, "");
      const pullRequest = {
        number,
        state: "open",
        draft: false,
        merged: false,
        title: `Pull request #${number}`,
        user: sender,
        head: { ref: branch, sha: options.sha, repo: repository },
        base: { ref: repository.default_branch, repo: repository }
      };
      return { action: "synchronize", number, pull_request: pullRequest, repository, sender };
    }
    default:
      throw new UsageError(`--ref/--sha describe push and pull_request events; for \`${options.event}\` give --payload FILE`);
  }
}
function dispatchInputs(options) {
  if (options.input.length === 0) return null;
  if (!DISPATCHES[options.event]) throw new UsageError(`--input gives a dispatch's inputs (workflow_dispatch, repository_dispatch), not \`${options.event}\`'s`);
  const inputs = {};
  for (const text of options.input) {
    const at = text.indexOf("=");
    if (at < 1) throw new UsageError(`--input takes NAME=VALUE, like target=production; got ${JSON.stringify(text)}`);
    inputs[text.slice(0, at)] = text.slice(at + 1);
  }
  return inputs;
}
function eventCommit(payload) {
  return [payload.after, payload.pull_request?.head?.sha, payload.sha, payload.check_run?.head_sha, payload.check_suite?.head_sha, payload.workflow_run?.head_sha].find((sha) => typeof sha === "string" && /^[0-9a-f]{40}$/.test(sha) && !/^0+$/.test(sha));
}
function gatherFacts(options, payload) {
  const facts = options.facts ? readFacts(options.facts) : {};
  const pairs = (flag, separator) => options[flag].map((text) => {
    const at = text.indexOf(separator);
    return at < 0 ? [text, void 0] : [text.slice(0, at), text.slice(at + 1)];
  });
  const merged = {
    ...facts,
    sha: facts.sha ?? eventCommit(payload) ?? options.sha,
    // A pull request event's pull request is as the event has it, unless the facts say otherwise.
    pulls: payload.pull_request?.number ? { [payload.pull_request.number]: payload.pull_request, ...facts.pulls } : facts.pulls,
    statuses: { ...facts.statuses },
    check_runs: { ...facts.check_runs },
    // Deployments say the ref they came from; by default, the default branch.
    deployments: (facts.deployments ?? []).map((d) => ({ ref: `refs/heads/${payload.repository?.default_branch ?? options["default-branch"]}`, ...d })),
    locks: { ...facts.locks },
    permissions: { ...facts.permissions }
  };
  for (const [context, state] of pairs("status", "=")) {
    if (!context || !state) throw new UsageError(`--status takes CONTEXT=STATE, like ci=success; got ${JSON.stringify(`${context}${state === void 0 ? "" : `=${state}`}`)}`);
    merged.statuses[context] = state;
  }
  for (const [name, result] of pairs("check", "=")) {
    if (!name || !result) throw new UsageError(`--check takes NAME=RESULT, like build=success; got ${JSON.stringify(name)}`);
    merged.check_runs[name] = result;
  }
  const ref = `refs/heads/${payload.repository?.default_branch ?? options["default-branch"]}`;
  for (const text of options.deployed) {
    const [where, state] = text.split("=", 2);
    const [environment, sha] = where.split("@", 2);
    if (!environment || state === "") throw new UsageError("--deployed takes ENVIRONMENT, ENVIRONMENT@SHA or ENVIRONMENT@SHA=STATE");
    merged.deployments.push({ environment, ref, ...sha ? { sha } : {}, ...state ? { state } : {} });
  }
  for (const [target, sha] of pairs("deployed-by", "@")) {
    if (!target || !sha) throw new UsageError("--deployed-by takes TARGET@SHA");
    merged.deployments.push({ sha, payload: { target } });
  }
  const changed = options.changed.flatMap((list) => list.split(",")).map((path) => path.trim()).filter(Boolean);
  if (changed.length > 0 || facts.changed !== void 0) merged.changed = [...facts.changed ?? [], ...changed];
  for (const [environment, reason] of pairs("locked", "=")) {
    if (!environment) throw new UsageError("--locked takes ENVIRONMENT or ENVIRONMENT=REASON");
    merged.locks[environment] = { by: "you", reason: reason ?? "" };
  }
  for (const [login, role] of pairs("permission", "=")) {
    if (!login || !ROLES.includes(role)) throw new UsageError(`--permission takes LOGIN=ROLE, the role one of ${ROLES.join(", ")}; got ${JSON.stringify(login)}`);
    merged.permissions[login] = role;
  }
  return merged;
}
var ROLES = ["read", "triage", "write", "maintain", "admin", "none"];
function readFacts(path) {
  let facts;
  try {
    facts = JSON.parse(readText(path, "facts"));
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`${path} is not JSON: ${err.message}`);
  }
  const bad = factsProblem(facts);
  if (bad) throw new UsageError(`${path}: ${bad} (see "Facts" in docs/cli.md)`);
  return facts;
}
function factsProblem(facts) {
  if (facts === null || typeof facts !== "object" || Array.isArray(facts)) return "a facts file is a JSON object";
  const notMap = ["refs", "statuses", "check_runs", "locks", "pulls", "commits", "permissions"].find((k) => facts[k] !== void 0 && (facts[k] === null || typeof facts[k] !== "object" || Array.isArray(facts[k])));
  if (notMap) return `\`${notMap}\` must be an object`;
  const placed = (d) => typeof d?.environment === "string" || typeof d?.payload?.target === "string";
  if (facts.deployments !== void 0 && !(Array.isArray(facts.deployments) && facts.deployments.every(placed))) {
    return "`deployments` must be a list of objects with an `environment` (or a `payload.target`)";
  }
  if (facts.changed !== void 0 && !(Array.isArray(facts.changed) && facts.changed.every((path) => typeof path === "string"))) return "`changed` must be a list of file paths";
  if (facts.sha !== void 0 && !/^[0-9a-f]{40}$/.test(facts.sha)) return "`sha` must be a full commit sha";
  return null;
}
function readText(path, what) {
  try {
    return readRegularFile(path, 25 * 1024 * 1024).toString("utf8");
  } catch (err) {
    throw new UsageError(`cannot read the ${what} ${path}: ${err.code === "ENOENT" ? "no such file" : err.message}`);
  }
}
function invalidConfig(options, problems, stdout, stderr) {
  const path = options.config;
  if (options.json) {
    stdout.write(`${JSON.stringify({ event: options.event, config: path, problems, failure: `${path} is not a valid config` }, null, 2)}
`);
    return 1;
  }
  for (const { line, column, message } of problems) stderr.write(line === null ? `${path}: ${message}
` : `${path}:${line}:${column}: ${message}
`);
  stderr.write(`${paint(stderr, "red", "deliverybot plan:")} ${path} has ${problems.length} problem${problems.length === 1 ? "" : "s"}; nothing was planned
`);
  return 1;
}
function report({ level, message, annotation }, verbose, stderr) {
  if (!verbose && level !== "warning" && level !== "error") return;
  const where = annotation ? `${annotation.file}:${annotation.line}:${annotation.column}: ` : "";
  const label = level === "info" ? "" : `${paint(stderr, level === "error" ? "red" : level === "warning" ? "yellow" : "dim", level)}: `;
  stderr.write(`${where}${label}${message}
`);
}
var DECISION_COLOURS = { created: "green", "would create": "green", waiting: "yellow", soaking: "yellow", locked: "yellow", blocked: "red", failed: "red", "not created": "red" };
function render(markdown, decisions, stream) {
  const out = [];
  let tableDone = false;
  for (const line of markdown.split("\n")) {
    if (/^#{1,6} /.test(line)) continue;
    if (line.startsWith("|")) {
      if (!tableDone) out.push(...decisionLines(decisions, stream));
      tableDone = true;
      continue;
    }
    if (line.trim() || out.length > 0 && out.at(-1) !== "") out.push(line.replace(/\*\*/g, ""));
  }
  while (out.at(-1) === "") out.pop();
  return `${out.join("\n")}
`;
}
function decisionLines(decisions, stream) {
  const header = ["target", "environment", "commit", "decision", "reason"];
  const rows = decisions.map((d) => [d.target, d.environment || "-", d.sha.slice(0, 7), d.decision, d.reason]);
  const widths = header.map((name, i) => Math.max(name.length, ...rows.map((row) => row[i].length)));
  const line = (row, style) => row.map((cell, i) => paint(stream, style ?? (i === 3 ? DECISION_COLOURS[cell] ?? "dim" : null), i === row.length - 1 ? cell : cell.padEnd(widths[i]))).join("  ").trimEnd();
  const lines = [line(header.map((h) => h.toUpperCase()), "bold")];
  decisions.forEach((decision, i) => {
    lines.push(line(rows[i]));
    if (decision.request) lines.push(paint(stream, "dim", `  ${decision.request.method} ${decision.request.path} ${JSON.stringify(decision.request.body)}`));
  });
  return lines;
}
var CODES = { bold: [1, 22], dim: [2, 22], red: [31, 39], green: [32, 39], yellow: [33, 39] };
function paint(stream, style, text) {
  const on = process.env.FORCE_COLOR ? process.env.FORCE_COLOR !== "0" : Boolean(stream.isTTY) && !process.env.NO_COLOR;
  if (!on || !style || !CODES[style]) return text;
  return `\x1B[${CODES[style][0]}m${text}\x1B[${CODES[style][1]}m`;
}

// action/cli.mjs
var CONFIG_LIMIT = 1024 * 1024;
var RELEASE = { sha: "", version: "v1" };
var WORKFLOWS = ".github/workflows";
var HELP2 = `Usage: deliverybot <command> [options]

Commands:
  validate [path]   Check a deploy.yml (default: .github/deploy.yml). Prints each problem as
                    path:line:column: message. With --workflows DIR, also names each target that
                    no trigger of the workflows running Deliverybot can re-evaluate.
  workflow          Print the .github/workflows/deliverybot.yml that the config needs: it starts a
                    job only on events that can deploy. \`deliverybot workflow --help\` for its flags.
  plan              Show what Deliverybot would do for an event (a payload file, or --ref and
                    --sha), without writing anything. \`deliverybot plan --help\` for its flags.
  schema            Print the JSON Schema of deploy.yml.
  help              Show this help.
  --version         Print the version.

Exit status: 0 success, 1 invalid config (or a plan whose run would fail), 2 usage error or
unreadable file. Errors go to stderr.
`;
async function main(args) {
  const [command, ...rest] = args;
  switch (command) {
    case "validate":
      return validateCommand(rest);
    case "plan":
      return planCommand(rest);
    case "schema":
      return schemaCommand(rest);
    case "workflow":
      return workflowCommand(rest);
    case "--version":
      process.stdout.write(`${VERSION}
`);
      return 0;
    case "help":
    case "--help":
    case "-h":
    case void 0:
      process.stdout.write(HELP2);
      return command === void 0 ? 2 : 0;
    default:
      process.stderr.write(`deliverybot: unknown command \`${command}\`

${HELP2}`);
      return 2;
  }
}
var VALIDATE_USAGE = "Usage: deliverybot validate [path] [--workflows DIR]";
function validateCommand(args) {
  if (args.includes("--help") || args.includes("-h")) {
    process.stdout.write(`${VALIDATE_USAGE}

Checks a deploy.yml; prints path:line:column: message for each problem. With --workflows
DIR (the repository's .github/workflows), also warns of each target that no trigger of the
workflows that run Deliverybot can re-evaluate (a target waiting for a check that nothing follows).
`);
    return 0;
  }
  const positionals = [];
  let workflowsDir;
  for (let at = 0; at < args.length; at++) {
    const arg = args[at];
    if (arg === "--workflows" && at + 1 < args.length) workflowsDir = args[++at];
    else if (arg.startsWith("--workflows=")) workflowsDir = arg.slice("--workflows=".length);
    else if (arg.startsWith("-") || positionals.length > 0) {
      process.stderr.write(`deliverybot validate: unexpected ${arg}
${VALIDATE_USAGE}
`);
      return 2;
    } else positionals.push(arg);
  }
  const path = positionals[0] ?? ".github/deploy.yml";
  const text = readConfig("validate", path);
  if (typeof text === "number") return text;
  const { targets, problems, warnings } = validate(text);
  if (problems.length > 0) return report2(path, problems);
  for (const { line, column, message } of warnings) process.stderr.write(`${located(path, line, column)}: warning: ${message}
`);
  if (workflowsDir !== void 0) {
    const files = readWorkflows("validate", workflowsDir, { required: true });
    if (typeof files === "number") return files;
    const { findings } = workflow({ config: text, workflows: files });
    for (const { line, column, message } of findings) process.stderr.write(`${located(path, line, column)}: warning: ${message}
`);
  }
  process.stdout.write(`${path}: valid, ${targets.length} target${targets.length === 1 ? "" : "s"}${targets.length ? `: ${targets.join(", ")}` : ""}
`);
  return 0;
}
function readConfig(command, path) {
  try {
    return readRegularFile(path, CONFIG_LIMIT).toString("utf8");
  } catch (err) {
    if (err.code === "EFBIG") return report2(path, [{ line: null, message: `the file is larger than ${CONFIG_LIMIT} bytes, the limit (1 MiB)` }]);
    process.stderr.write(`deliverybot ${command}: cannot read ${path}: ${err.code === "ENOENT" ? "no such file" : err.message}
`);
    return 2;
  }
}
function readWorkflows(command, dir, { required }) {
  let names;
  try {
    names = readdirSync(dir).filter((name) => /\.ya?ml$/.test(name)).sort();
  } catch (err) {
    if (err.code === "ENOENT" && !required) return [];
    process.stderr.write(`deliverybot ${command}: cannot read ${dir}: ${err.code === "ENOENT" ? "no such directory" : err.message}
`);
    return 2;
  }
  const files = [];
  for (const name of names) {
    try {
      files.push({ path: `${WORKFLOWS}/${name}`, text: readRegularFile(`${dir}/${name}`, CONFIG_LIMIT).toString("utf8") });
    } catch (err) {
      process.stderr.write(`${dir}/${name}: warning: not read: ${err.code === "EFBIG" ? "larger than 1 MiB" : err.message}
`);
    }
  }
  return files;
}
var WORKFLOW_HELP = `Usage: deliverybot workflow [--config PATH] [--workflows DIR] [--schedule CRON] [--action-ref SHA]

Prints the workflow that runs Deliverybot for a deploy.yml, to save as
.github/workflows/deliverybot.yml. It starts a job only on the events after which a target can
deploy: pushes of the refs that targets deploy, pull requests if a target deploys them or has
transient environments, the end of the workflows whose jobs make required checks, statuses and
check runs from outside Actions, pull request commands and manual deploys.

Options:
  --config PATH       The deploy.yml (default: .github/deploy.yml).
  --workflows DIR     The repository's workflows, to find which of them make the required
                      checks (default: .github/workflows).
  --schedule CRON     Also evaluate every automatic target on a schedule, like '*/30 * * * *'.
  --action-ref SHA    The commit of the Deliverybot release to run (40 hex digits). Default: the
                      release this package is${RELEASE.sha ? ` (${RELEASE.sha}, ${RELEASE.version})` : " (none: a package built from a checkout)"}.
  --action-version V  The version the commit is, written beside it (default: ${RELEASE.version}).
`;
function workflowCommand(args) {
  if (args.includes("--help") || args.includes("-h")) {
    process.stdout.write(WORKFLOW_HELP);
    return 0;
  }
  const options = { config: { type: "string" }, workflows: { type: "string" }, schedule: { type: "string" }, "action-ref": { type: "string" }, "action-version": { type: "string" } };
  let values;
  try {
    ({ values } = parseArgs2({ args, options, strict: true, allowPositionals: false }));
  } catch (err) {
    process.stderr.write(`deliverybot workflow: ${err.message}

${WORKFLOW_HELP}`);
    return 2;
  }
  const sha = values["action-ref"] ?? RELEASE.sha;
  if (!sha) {
    process.stderr.write("deliverybot workflow: this package was not built by a release, so it knows no Deliverybot commit to pin: give one with --action-ref SHA\n");
    return 2;
  }
  const path = values.config ?? ".github/deploy.yml";
  const config = readConfig("workflow", path);
  if (typeof config === "number") return config;
  const files = readWorkflows("workflow", values.workflows ?? WORKFLOWS, { required: values.workflows !== void 0 });
  if (typeof files === "number") return files;
  const action = { sha, version: values["action-version"] ?? RELEASE.version };
  const answer = workflow({ config, workflows: files, options: { config_path: path, schedule: values.schedule ?? null, action } });
  if (answer.problems.length > 0) return report2(path, answer.problems);
  for (const { path: file, line, column, message } of answer.unreadable) {
    process.stderr.write(`${located(file, line, column)}: warning: not read: ${message}
`);
  }
  if (answer.workflow === null) {
    process.stderr.write(`deliverybot workflow: ${answer.error}
`);
    return 2;
  }
  process.stdout.write(answer.workflow);
  for (const { line, column, message } of answer.notes) process.stderr.write(`${located(path, line, column)}: warning: ${message}
`);
  return 0;
}
function located(path, line, column) {
  return line === null ? path : `${path}:${line}:${column}`;
}
function report2(path, problems) {
  for (const { line, column, message } of problems) process.stderr.write(`${located(path, line, column)}: ${message}
`);
  process.stderr.write(`${path}: ${problems.length} problem${problems.length === 1 ? "" : "s"}
`);
  return 1;
}
function schemaCommand(args) {
  if (args.includes("--help") || args.includes("-h")) {
    process.stdout.write("Usage: deliverybot schema\n\nPrints the JSON Schema of deploy.yml (draft 2020-12), for editors and other tools.\n");
    return 0;
  }
  if (args.length > 0) {
    process.stderr.write(`deliverybot schema: unexpected ${args[0]}
Usage: deliverybot schema
`);
    return 2;
  }
  process.stdout.write(`${JSON.stringify(schema(), null, 2)}
`);
  return 0;
}
process.exitCode = await main(process.argv.slice(2));
