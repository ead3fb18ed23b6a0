import {
  createClient
} from "./shared-3I3TLNXV.mjs";
import {
  createEngine
} from "./shared-DSGVKK6L.mjs";

// action/run.mjs
import { readFileSync } from "node:fs";

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
      job: env.GITHUB_JOB ?? "",
      ref_name: env.GITHUB_REF_NAME ?? ""
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
