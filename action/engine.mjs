// Loads the WebAssembly engine that sits next to the bundle (dist/deliverybot.wasm, and
// dist/deliverybot.cold.wasm when a run needs it).
//
// Values cross the boundary as JSON text: one copy each way per step, parsed by the engine's
// serde_json on one side and the runtime's JSON.parse on the other. That is cheaper on a cold start
// than building objects field by field across the boundary. Into the engine the text goes as UTF-8
// bytes, encoded natively, not as a string that wasm-bindgen's glue would copy character by
// character; the event payload and a reply's body go as bytes of their own, not inside JSON
// (crates/deliverybot-wasm says what each saves).

import { readFileSync } from './builtins.mjs';
import { coldImports, initSync, output_len, output_ptr, Engine as WasmEngine, validate as validateJson } from '../build/pkg/deliverybot_wasm.js';

let compiling;
/** The instance's exports, once instantiated (once per process): the cold module imports them. */
let exports;

function wasmBytes() {
  return readFileSync(new URL('./deliverybot.wasm', import.meta.url));
}

// The engine ships as two modules (scripts/split.mjs): the code that common events run, and the
// rest, which the action's first call into it compiles and instantiates, here, once. It shares the
// first module's memory, tables and globals, and fills the table slots that the first one calls it
// by. A failure to load it ends that call with an error that says so; the engine is not usable
// afterwards (the call unwound through WebAssembly), which is why the library and the CLI, whose
// processes may run many flows, load it up front instead (`createEngine` without a module,
// `validate`), where a missing or mismatched file fails before any call.
coldImports.load = loadCold;

function loadCold() {
  // Not split (the profiling build has no cold module), or already loaded.
  if (exports.cold_loaded === undefined || exports.cold_loaded.value === 1) return;
  try {
    const cold = new WebAssembly.Module(readFileSync(new URL('./deliverybot.cold.wasm', import.meta.url)));
    new WebAssembly.Instance(cold, { primary: exports });
  } catch (err) {
    // It does not link to, or its start function traps on, a main module of another build.
    const mismatch = err instanceof WebAssembly.LinkError || err instanceof WebAssembly.RuntimeError;
    const reason = mismatch ? 'it is not from the same build as deliverybot.wasm' : err.message;
    throw new Error(`cannot load the engine's rarely used code (deliverybot.cold.wasm, next to deliverybot.wasm): ${reason}`);
  }
  exports.cold_loaded.value = 1;
}

/** Whether this process needed the engine's rarely used code (the action says so in its debug log). */
export function coldLoaded() {
  return exports?.cold_loaded?.value === 1;
}

/**
 * Starts compiling the engine off the main thread, so that a caller can do its own start-up work
 * (the action loads node:http) meanwhile; `createEngine` then only instantiates it. Optional: without
 * it, `createEngine` compiles on the spot. Measured on a cold start (bench/run.mjs): about 1 ms less
 * on Node 24, no change on Node 20 (whose V8 does most of an async compile on the main thread).
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
  exports ??= initSync({ module: module ?? wasmBytes() });
}

/**
 * JSON text for the engine. Strings are made well-formed first: JSON.stringify writes a lone UTF-16
 * surrogate as an escape that serde_json refuses; made well-formed, it becomes U+FFFD, as it does in
 * a payload given as a string (TextEncoder replaces it).
 */
function json(value, what) {
  let text;
  try {
    text = JSON.stringify(value, (_, v) => (typeof v === 'string' ? v.toWellFormed() : v));
  } catch (err) {
    throw new TypeError(`invalid ${what}: ${err.message}`);
  }
  if (typeof text !== 'string') throw new TypeError(`invalid ${what}: ${typeof value} is not a JSON value`);
  return text;
}

const utf8 = new TextEncoder();
const decoder = new TextDecoder();

/**
 * What the engine's last call left in its output buffer (crates/deliverybot-wasm says why it does
 * not return it), `length` bytes of it: JSON, or for a negative length the message of what was
 * wrong, thrown.
 */
function output(length) {
  const text = decoder.decode(new Uint8Array(exports.memory.buffer, output_ptr(), Math.abs(length)));
  if (length < 0) throw new Error(text);
  return JSON.parse(text);
}

/** The engine for one run: `step()` first, then `step(reply)` with each request's reply. */
class Engine {
  #engine;

  /** `payload`: the event's UTF-8 bytes, apart from the rest of the invocation (see payloadBytes). */
  constructor(invocation, payload) {
    this.#engine = WasmEngine.start(utf8.encode(json(invocation, 'invocation')), payload);
    if (this.#engine === undefined) output(-output_len());
  }

  /**
   * `reply`: `{ status, headers, body }` when GitHub answered (`body` as text or as the bytes that
   * came), `{ error }` when no answer came. The body crosses as bytes, not inside JSON.
   */
  step(reply) {
    if (reply === undefined || reply === null) return output(this.#engine.step());
    if (typeof reply !== 'object') throw new TypeError(`invalid reply: ${typeof reply} is not a reply`);
    const { status, headers, body, error } = reply;
    if (status === undefined || status === null) {
      if (typeof error === 'string') return output(this.#engine.lost(error));
      if (error !== undefined && error !== null) throw new TypeError(`invalid reply: \`error\` is text (what happened), not ${describe(error)}`);
      throw new TypeError('invalid reply: a reply has a `status` (an answer) or an `error` (no answer)');
    }
    if (!Number.isInteger(status) || status < 0 || status > 65535) {
      throw new TypeError(`invalid reply: \`status\` is a whole number of 0 to 65535, not ${describe(status)}`);
    }
    return output(this.#engine.answer(status, headersJson(headers), bodyBytes(body)));
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

/**
 * `module`: what `prepare()` compiled, if the caller started that (the action); the cold module is
 * then loaded only if the run needs it. Without it (the library, the CLI), the whole engine is
 * loaded here.
 */
export function createEngine({ event, ...invocation }, module = undefined) {
  const payload = payloadBytes(event);
  load(module);
  if (module === undefined) loadCold();
  return new Engine(invocation, payload);
}

/** A reply's headers (lower-case names to texts; none: `{}`) as UTF-8 JSON. */
function headersJson(headers) {
  if (headers === undefined || headers === null) return utf8.encode('{}');
  if (typeof headers !== 'object' || Array.isArray(headers)) {
    throw new TypeError(`invalid reply: \`headers\` is an object of texts, not ${describe(headers)}`);
  }
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value !== 'string') throw new TypeError(`invalid reply: header \`${name}\` is text, not ${describe(value)}`);
  }
  return utf8.encode(json(headers, 'reply'));
}

/** A reply's body as UTF-8 bytes: none, text, or the bytes as they came. */
function bodyBytes(body) {
  if (body instanceof Uint8Array) return body;
  if (body === undefined || body === null) return new Uint8Array(0);
  if (typeof body === 'string') return utf8.encode(body);
  throw new TypeError(`invalid reply: \`body\` is text or bytes, not ${describe(body)}`);
}

function describe(value) {
  return typeof value === 'object' ? Object.prototype.toString.call(value) : `${typeof value} ${String(value)}`;
}

/**
 * The payload's JSON text, given as a string or as UTF-8 bytes (the event file as read), as bytes:
 * it crosses as its own value (possibly megabytes), not escaped inside the invocation's JSON.
 * Encoding replaces lone surrogates with U+FFFD, and the engine reads bytes that are not UTF-8 the
 * same way.
 */
function payloadBytes(event) {
  if (event instanceof Uint8Array) return event;
  if (event === undefined || typeof event === 'string') return utf8.encode(event ?? '');
  throw new TypeError(`invalid event: a payload is JSON text or its UTF-8 bytes, not ${describe(event)}`);
}

/** `{ targets, problems: [{ line, column, message }] }` for a deploy.yml's text. */
export function validate(text) {
  load();
  loadCold(); // reading a config with problems always needs it
  return output(validateJson(text));
}
