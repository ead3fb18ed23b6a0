// The npm package's API (`@deliverybot/core`): the engine the action runs, for any JavaScript tool.
//
//   run({ eventName, payload, context, executor })   the whole loop, over an Octokit or a function
//   start({ eventName, payload, context })           the engine itself: step() → request → reply → ...
//   validate(text), schema()                         deploy.yml diagnostics and its JSON Schema
//
// Plumbing only: every decision is the engine's. Types: lib.d.ts (shipped as dist/lib.d.mts and .d.cts).

import { readFileSync } from './builtins.mjs';
import { createEngine, runStep, validate } from './engine.mjs';
import { readZone } from './zones.mjs';

export { validate };

/** The JSON Schema of deploy.yml (schema/deploy.schema.json of the package). */
export function schema() {
  return JSON.parse(readFileSync(new URL('../schema/deploy.schema.json', import.meta.url), 'utf8'));
}

/**
 * The engine for one event: call `step()` first, then `step(reply)` with the answer to each request
 * it returns, until `next.type` is `done`. `payload` is the webhook payload: an object, its JSON text,
 * or that text's UTF-8 bytes (a `Buffer` as read from `GITHUB_EVENT_PATH`).
 */
export function start({ eventName, payload, inputs = {}, context = {}, phase = 'main', state = {} }) {
  if (typeof eventName !== 'string' || !eventName) throw new TypeError('`eventName` is required, like `push`');
  const text = typeof payload === 'string' || payload instanceof Uint8Array;
  const event = text ? payload : JSON.stringify(payload ?? {});
  // Defaults from the payload; JSON text is parsed for them only when they are needed.
  const needs = !context.repository || context.actor === undefined;
  const parsed = text ? (needs ? safeParse(payload) : undefined) : payload;
  const repository = context.repository ?? parsed?.repository?.full_name;
  if (!repository) throw new TypeError('`context.repository` is required (`owner/name`) when the payload has no repository');
  return createEngine({
    event_name: eventName,
    event,
    inputs: Object.fromEntries(Object.entries(inputs).filter(([, v]) => v !== undefined && v !== null).map(([k, v]) => [k, String(v)])),
    phase,
    state,
    context: {
      repository,
      run_id: String(context.run_id ?? ''),
      server_url: (context.server_url ?? 'https://github.com').replace(/\/+$/, ''),
      actor: context.actor ?? parsed?.sender?.login ?? '',
      triggering_actor: context.triggering_actor ?? '',
      job: context.job ?? '',
      ref_name: context.ref_name ?? '',
      // "Now" for soak, serialize, freeze windows and stuck deployments: the caller's choice, else the clock.
      now: context.now ?? new Date().toISOString(),
    },
  });
}

/**
 * Runs the engine to its outcome, performing each request with `executor`: an Octokit instance
 * (or its `request` function), or `async (method, path, body, request) => ({ status, headers, body })`
 * where `path` carries the query string and `request` is the engine's request. Return `{ error }`
 * when no answer came; a thrown error stops the run and rejects. `zones(name)` gives a freeze
 * window's time zone as TZif bytes (default: the machine's /usr/share/zoneinfo or $TZDIR).
 */
export async function run({ executor, onLog, zones = (name) => readZone(name), ...options }) {
  const perform = performer(executor);
  const engine = start(options);
  const log = [];
  const requests = [];
  let reply;
  let last = 'the start';
  try {
    for (;;) {
      const step = runStep(engine, reply, { eventName: options.eventName, after: last });
      for (const line of step.log) {
        log.push(line);
        onLog?.(line);
      }
      const { next } = step;
      if (next.type === 'done') {
        return {
          outputs: Object.fromEntries(next.outputs),
          decisions: next.decisions ?? [],
          summary: next.summary,
          state: Object.fromEntries(next.state ?? []),
          failure: next.failure,
          log,
          requests,
        };
      }
      if (next.type === 'zone') {
        reply = { zone: zones(next.name) };
        continue;
      }
      last = `${next.method} ${next.path}`;
      reply = await perform(next);
      const { method, path, query, purpose } = next;
      requests.push({ method, path, query, purpose, ...(reply.error === undefined ? { status: reply.status } : { error: reply.error }) });
    }
  } finally {
    engine.free();
  }
}

export { run as deliver };

/** `request` → reply, from whichever executor was given. */
function performer(executor) {
  // An Octokit, or its `request` (which has `endpoint`): GitHub's answer, or the error it threw.
  const octokit = typeof executor?.request === 'function' ? executor.request : typeof executor?.endpoint === 'function' ? executor : null;
  if (octokit) {
    return async (request) => {
      // A request that is not safe to repeat goes out once, even from an Octokit that retries
      // (@octokit/plugin-retry reads `request.retries`): after a lost answer to a create, the engine
      // looks for what it made before trying again, and that must stay the only retry.
      const options = request.idempotent ? {} : { request: { retries: 0 } };
      try {
        const response = await octokit({ method: request.method, url: withQuery(request), headers: request.accept ? { accept: request.accept } : {}, data: request.body, ...options });
        return reply(response.status, response.headers, response.data);
      } catch (err) {
        if (err?.response) return reply(err.response.status, err.response.headers, err.response.data);
        return { error: err?.message ?? String(err) };
      }
    };
  }
  if (typeof executor === 'function') {
    return async (request) => {
      const answer = await executor(request.method, withQuery(request), request.body, request);
      if (answer && typeof answer.error === 'string') return { error: answer.error };
      if (!answer || !Number.isInteger(answer.status)) {
        throw new TypeError(`the executor's answer to ${request.method} ${request.path} has no status: return { status, headers, body } or { error }`);
      }
      if (answer.status < 0 || answer.status > 65535) {
        throw new TypeError(`the executor's answer to ${request.method} ${request.path} has status ${answer.status}, which no HTTP answer has`);
      }
      return reply(answer.status, answer.headers, answer.body);
    };
  }
  throw new TypeError('`executor` must be an Octokit instance or a function (method, path, body, request) => { status, headers, body }');
}

function withQuery({ path, query }) {
  return query.length === 0 ? path : `${path}?${new URLSearchParams(query)}`;
}

/**
 * The engine takes headers as lower-case names with text values, and the body as text or as its
 * UTF-8 bytes (passed through, not decoded).
 */
function reply(status, headers = {}, body) {
  const text = (value) =>
    value === undefined || value === null ? ''
    : typeof value === 'string' || value instanceof Uint8Array ? value
    : value instanceof ArrayBuffer ? new Uint8Array(value)
    : ArrayBuffer.isView(value) ? new Uint8Array(value.buffer, value.byteOffset, value.byteLength)
    : JSON.stringify(value);
  const flat = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value !== undefined && value !== null) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return { status, headers: flat, body: text(body) };
}

/** JSON text or its UTF-8 bytes, parsed; undefined when it is not JSON. */
function safeParse(text) {
  try {
    return JSON.parse(typeof text === 'string' ? text : new TextDecoder().decode(text));
  } catch {
    return undefined; // the engine reports the payload's error, with its position
  }
}
