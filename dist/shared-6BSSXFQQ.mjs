import {
  createEngine
} from "./shared-DSGVKK6L.mjs";

// action/lib.mjs
import { readFileSync } from "node:fs";
function schema() {
  return JSON.parse(readFileSync(new URL("../schema/deploy.schema.json", import.meta.url), "utf8"));
}
function start({ eventName, payload, inputs = {}, context = {}, phase = "main", state = {} }) {
  if (typeof eventName !== "string" || !eventName) throw new TypeError("`eventName` is required, like `push`");
  const event = typeof payload === "string" ? payload : JSON.stringify(payload ?? {});
  const needs = !context.repository || context.actor === void 0;
  const parsed = typeof payload === "string" ? needs ? safeParse(payload) : void 0 : payload;
  const repository = context.repository ?? parsed?.repository?.full_name;
  if (!repository) throw new TypeError("`context.repository` is required (`owner/name`) when the payload has no repository");
  return createEngine({
    event_name: eventName,
    event,
    inputs: Object.fromEntries(Object.entries(inputs).filter(([, v]) => v !== void 0 && v !== null).map(([k, v]) => [k, String(v)])),
    phase,
    state,
    context: {
      repository,
      run_id: String(context.run_id ?? ""),
      server_url: (context.server_url ?? "https://github.com").replace(/\/+$/, ""),
      actor: context.actor ?? parsed?.sender?.login ?? "",
      job: context.job ?? ""
    }
  });
}
async function run({ executor, onLog, ...options }) {
  const perform = performer(executor);
  const engine = start(options);
  const log = [];
  const requests = [];
  let reply2;
  let last = "the start";
  try {
    for (; ; ) {
      let step;
      try {
        step = engine.step(reply2);
      } catch (err) {
        throw new Error(`internal error in the engine on a \`${options.eventName}\` event, after ${last}: ${err.message}`);
      }
      for (const line of step.log) {
        log.push(line);
        onLog?.(line);
      }
      const { next } = step;
      if (next.type === "done") {
        return {
          outputs: Object.fromEntries(next.outputs),
          decisions: next.decisions ?? [],
          summary: next.summary,
          state: Object.fromEntries(next.state ?? []),
          failure: next.failure,
          log,
          requests
        };
      }
      last = `${next.method} ${next.path}`;
      reply2 = await perform(next);
      const { method, path, query, purpose } = next;
      requests.push({ method, path, query, purpose, ...reply2.error === void 0 ? { status: reply2.status } : { error: reply2.error } });
    }
  } finally {
    engine.free();
  }
}
function performer(executor) {
  const octokit = typeof executor?.request === "function" ? executor.request : typeof executor?.endpoint === "function" ? executor : null;
  if (octokit) {
    return async (request) => {
      try {
        const response = await octokit({ method: request.method, url: withQuery(request), headers: request.accept ? { accept: request.accept } : {}, data: request.body });
        return reply(response.status, response.headers, response.data);
      } catch (err) {
        if (err?.response) return reply(err.response.status, err.response.headers, err.response.data);
        return { error: err?.message ?? String(err) };
      }
    };
  }
  if (typeof executor === "function") {
    return async (request) => {
      const answer = await executor(request.method, withQuery(request), request.body, request);
      if (answer && typeof answer.error === "string") return { error: answer.error };
      if (!answer || !Number.isInteger(answer.status)) {
        throw new TypeError(`the executor's answer to ${request.method} ${request.path} has no status: return { status, headers, body } or { error }`);
      }
      return reply(answer.status, answer.headers, answer.body);
    };
  }
  throw new TypeError("`executor` must be an Octokit instance or a function (method, path, body, request) => { status, headers, body }");
}
function withQuery({ path, query }) {
  return query.length === 0 ? path : `${path}?${new URLSearchParams(query)}`;
}
function reply(status, headers = {}, body) {
  const text = (value) => value === void 0 || value === null ? "" : typeof value === "string" ? value : value instanceof ArrayBuffer || ArrayBuffer.isView(value) ? new TextDecoder().decode(value) : JSON.stringify(value);
  const flat = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value !== void 0 && value !== null) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : String(value);
  }
  return { status, headers: flat, body: text(body) };
}
function safeParse(text) {
  try {
    return JSON.parse(text);
  } catch {
    return void 0;
  }
}

export {
  schema,
  start,
  run
};
