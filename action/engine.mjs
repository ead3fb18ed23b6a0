// Loads the WebAssembly engine that sits next to the bundle (dist/deliverybot.wasm) and gives it a
// small typed face: argument checks with clear TypeErrors, then the binding (crates/deliverybot-wasm),
// which takes and returns JavaScript values. The event payload and a reply's body cross as bytes of
// their own: a payload can be megabytes.

import { readFileSync } from './builtins.mjs';
import { initSync, Engine as WasmEngine, validate as validateConfig, workflow as deriveWorkflow } from '../build/pkg/deliverybot_wasm.js';

let compiling;
let loaded = false;

function wasmBytes() {
  return readFileSync(new URL('./deliverybot.wasm', import.meta.url));
}

/**
 * Starts compiling the engine off the main thread, so that a caller can do its own start-up work
 * (the action reads its inputs and loads node:http) meanwhile; `createEngine` then only instantiates
 * it. Optional: without it, `createEngine` compiles on the spot.
 */
export function prepare() {
  if (compiling === undefined) {
    // A file that cannot be read fails where this is awaited, as a compile error does: not before
    // whatever the caller checks first.
    try {
      compiling = WebAssembly.compile(wasmBytes());
    } catch (err) {
      compiling = Promise.reject(err);
    }
    // Not an unhandled rejection if the caller fails before it awaits this.
    compiling.catch(() => {});
  }
  return compiling;
}

/** Instantiates the engine once: from `module` when `prepare()` compiled it, else from the file. */
function load(module = undefined) {
  if (loaded) return;
  initSync({ module: module ?? wasmBytes() });
  loaded = true;
}

const utf8 = new TextEncoder();

/** The engine for one run: `step()` first, then `step(reply)` with each request's reply. */
class Engine {
  #engine;

  /** `payload`: the event's UTF-8 bytes, apart from the rest of the invocation (see payloadBytes). */
  constructor(invocation, payload) {
    this.#engine = WasmEngine.start(invocation, payload);
  }

  /**
   * `reply`: `{ status, headers, body }` when GitHub answered (`body` as text or as the bytes that
   * came), `{ error }` when no answer came; to a `zone` step, `{ zone }`: the zone's TZif bytes, or
   * undefined when the host has no such zone.
   */
  step(reply) {
    if (reply === undefined || reply === null) return this.#engine.step();
    if (typeof reply !== 'object') throw new TypeError(`invalid reply: ${typeof reply} is not a reply`);
    if ('zone' in reply) {
      const { zone } = reply;
      if (zone !== undefined && zone !== null && !(zone instanceof Uint8Array)) throw new TypeError(`invalid reply: \`zone\` is the zone's TZif bytes, not ${describe(zone)}`);
      return this.#engine.zone(zone ?? undefined);
    }
    const { status, headers, body, error } = reply;
    if (status === undefined || status === null) {
      if (typeof error === 'string') return this.#engine.lost(error);
      if (error !== undefined && error !== null) throw new TypeError(`invalid reply: \`error\` is text (what happened), not ${describe(error)}`);
      throw new TypeError('invalid reply: a reply has a `status` (an answer) or an `error` (no answer)');
    }
    if (!Number.isInteger(status) || status < 0 || status > 65535) {
      throw new TypeError(`invalid reply: \`status\` is a whole number of 0 to 65535, not ${describe(status)}`);
    }
    return this.#engine.answer(status, checkedHeaders(headers), bodyBytes(body));
  }

  /** Frees the engine's WebAssembly memory now rather than when it is garbage-collected. */
  free() {
    this.#engine.free();
  }
}

// `using engine = start(...)` frees it at the end of the block, as wasm-bindgen's own classes allow.
if (typeof Symbol.dispose === 'symbol') Engine.prototype[Symbol.dispose] = Engine.prototype.free;

/**
 * One step of a run loop (the action's and the library's). A throw from inside the engine is a bug in
 * it: the error says on which event and after which request, not a stack of minified code.
 */
export function runStep(engine, reply, { eventName, after }) {
  try {
    return engine.step(reply);
  } catch (err) {
    throw new Error(
      `internal error in the engine on a \`${eventName}\` event, after ${after}: ${err.message}. Please report it; nothing after this point was done.`,
    );
  }
}

/** `module`: what `prepare()` compiled, if the caller started that (the action). */
export function createEngine({ event, ...invocation }, module = undefined) {
  const payload = payloadBytes(event);
  checkInvocation(invocation);
  load(module);
  return new Engine(invocation, payload);
}

/**
 * The invocation's shape (core `Invocation`): `{ event_name, inputs?, context, phase?, state? }`, every
 * value text, `null` the same as left out. A wrong value is a TypeError that names it by its path
 * (`inputs.dry-run`); the binding then reads what it is given without looking again.
 */
function checkInvocation(invocation) {
  const { event_name, inputs, context, phase, state } = invocation;
  text(event_name, 'event_name');
  texts(inputs, 'inputs');
  texts(state, 'state');
  if (phase !== undefined && phase !== null && phase !== 'main' && phase !== 'post') {
    throw new TypeError(`invalid invocation: \`phase\` is \`main\` or \`post\`, not ${describe(phase)}`);
  }
  if (context === undefined || context === null) throw new TypeError('invalid invocation: `context` is required (an object of texts)');
  if (typeof context !== 'object' || Array.isArray(context)) {
    throw new TypeError(`invalid invocation: \`context\` is an object of texts, not ${describe(context)}`);
  }
  for (const name of ['repository', 'run_id', 'server_url']) text(context[name], `context.${name}`);
  for (const name of ['actor', 'triggering_actor', 'job', 'ref_name']) {
    if (context[name] !== undefined && context[name] !== null) isText(context[name], `context.${name}`);
  }
}

/** A text the invocation must have. */
function text(value, path) {
  if (value === undefined || value === null) throw new TypeError(`invalid invocation: \`${path}\` is required (text)`);
  isText(value, path);
}

function isText(value, path) {
  if (typeof value !== 'string') throw new TypeError(`invalid invocation: \`${path}\` is text, not ${describe(value)}`);
}

/** An object of texts by name, or none. */
function texts(values, path) {
  if (values === undefined || values === null) return;
  if (typeof values !== 'object' || Array.isArray(values)) throw new TypeError(`invalid invocation: \`${path}\` is an object of texts, not ${describe(values)}`);
  for (const [name, value] of Object.entries(values)) isText(value, `${path}.${name}`);
}

/** A reply's headers: lower-case names to texts; none: `{}`. */
function checkedHeaders(headers) {
  if (headers === undefined || headers === null) return {};
  if (typeof headers !== 'object' || Array.isArray(headers)) {
    throw new TypeError(`invalid reply: \`headers\` is an object of texts, not ${describe(headers)}`);
  }
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value !== 'string') throw new TypeError(`invalid reply: header \`${name}\` is text, not ${describe(value)}`);
  }
  return headers;
}

/** A reply's body as UTF-8 bytes: none, text, or the bytes as they came. */
function bodyBytes(body) {
  if (body instanceof Uint8Array) return body;
  if (body === undefined || body === null) return new Uint8Array(0);
  if (typeof body === 'string') return utf8.encode(body);
  throw new TypeError(`invalid reply: \`body\` is text or bytes, not ${describe(body)}`);
}

function describe(value) {
  if (value === undefined || value === null) return String(value);
  return typeof value === 'object' ? Object.prototype.toString.call(value) : `${typeof value} ${String(value)}`;
}

/**
 * The payload's JSON text, given as a string or as UTF-8 bytes (the event file as read), as bytes:
 * it crosses as its own value (possibly megabytes), not inside the invocation. Encoding replaces lone
 * surrogates with U+FFFD, and the engine reads bytes that are not UTF-8 the same way.
 */
function payloadBytes(event) {
  if (event instanceof Uint8Array) return event;
  if (event === undefined || typeof event === 'string') return utf8.encode(event ?? '');
  throw new TypeError(`invalid event: a payload is JSON text or its UTF-8 bytes, not ${describe(event)}`);
}

/** `{ targets, problems: [{ line, column, message }] }` for a deploy.yml's text. */
export function validate(text) {
  load();
  return validateConfig(text);
}

/**
 * The workflow that runs Deliverybot for a deploy.yml's text, and the trigger check, from the
 * repository's workflow files (`[{ path, text }]`); `options` (`{ config_path, schedule, action: {
 * sha, version } }`) to write the workflow. `{ problems, unreadable, workflow, error, findings, notes }`.
 */
export function workflow({ config, workflows, options }) {
  load();
  return deriveWorkflow({ config, workflows, options });
}
