var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toCommonJS = (mod) => __copyProps(__defProp({}, "__esModule", { value: true }), mod);

// action/lib.mjs
var lib_exports = {};
__export(lib_exports, {
  deliver: () => run,
  run: () => run,
  schema: () => schema,
  start: () => start,
  validate: () => validate2
});
module.exports = __toCommonJS(lib_exports);

// scripts/cjs-import-meta.mjs
var import_node_url = require("node:url");
var import_meta_url = (0, import_node_url.pathToFileURL)(__filename).href;

// action/builtins.mjs
if (typeof process.getBuiltinModule !== "function") {
  throw new Error(`Deliverybot needs Node.js 20.16 or newer; this is ${process.version}`);
}
var { readFileSync, appendFileSync } = process.getBuiltinModule("node:fs");

// build/pkg/deliverybot_wasm.js
var Engine = class _Engine {
  static __wrap(ptr) {
    const obj = Object.create(_Engine.prototype);
    obj.__wbg_ptr = ptr;
    EngineFinalization.register(obj, obj.__wbg_ptr, obj);
    return obj;
  }
  __destroy_into_raw() {
    const ptr = this.__wbg_ptr;
    this.__wbg_ptr = 0;
    EngineFinalization.unregister(this);
    return ptr;
  }
  free() {
    const ptr = this.__destroy_into_raw();
    wasm.__wbg_engine_free(ptr, 0);
  }
  /**
   * The reply to the last request when GitHub answered: `headers` is a JSON object of lower-case
   * names to values, `body` the body's bytes as they came (UTF-8; read like the payload). The
   * body is not wrapped in JSON, so it is neither escaped nor unescaped on its way in. When the
   * headers are not valid, the output is why (a negative length) and the engine is where it was.
   * @param {number} status
   * @param {Uint8Array | number[]} headers
   * @param {Uint8Array | number[]} body
   * @returns {number}
   */
  answer(status, headers, body) {
    const val3 = +status;
    let ptr0, len0, ptr1, len1;
    try {
      ptr0 = passArray8ToWasm0(headers, wasm.__wbindgen_malloc);
      len0 = WASM_VECTOR_LEN;
      ptr1 = passArray8ToWasm0(body, wasm.__wbindgen_malloc);
      len1 = WASM_VECTOR_LEN;
    } catch (e) {
      if (ptr1) {
        wasm.__wbindgen_free(ptr1, len1 * 1, 1);
      }
      if (ptr0) {
        wasm.__wbindgen_free(ptr0, len0 * 1, 1);
      }
      throw e;
    }
    const ret = wasm.engine_answer(this.__wbg_ptr, val3, ptr0, len0, ptr1, len1);
    return ret;
  }
  /**
   * The reply to the last request when no answer came: what happened instead.
   * @param {string} error
   * @returns {number}
   */
  lost(error) {
    const ptr0 = passStringToWasm0(error, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
    const len0 = WASM_VECTOR_LEN;
    const ret = wasm.engine_lost(this.__wbg_ptr, ptr0, len0);
    return ret;
  }
  /**
   * `invocation`: `{ event_name, inputs: {name: value}, context: {...}, ... }` as JSON; `event`: the
   * webhook payload's JSON text, passed as it is rather than nested (and escaped) in `invocation`.
   * Both are UTF-8; a payload that is not is read with U+FFFD for each bad sequence (see `text`),
   * so that the engine reports the JSON it cannot read rather than the encoding. `None` when the
   * invocation is not valid: the output says why.
   * @param {Uint8Array | number[]} invocation
   * @param {Uint8Array | number[]} event
   * @returns {Engine | undefined}
   */
  static start(invocation, event) {
    let ptr0, len0, ptr1, len1;
    try {
      ptr0 = passArray8ToWasm0(invocation, wasm.__wbindgen_malloc);
      len0 = WASM_VECTOR_LEN;
      ptr1 = passArray8ToWasm0(event, wasm.__wbindgen_malloc);
      len1 = WASM_VECTOR_LEN;
    } catch (e) {
      if (ptr1) {
        wasm.__wbindgen_free(ptr1, len1 * 1, 1);
      }
      if (ptr0) {
        wasm.__wbindgen_free(ptr0, len0 * 1, 1);
      }
      throw e;
    }
    const ret = wasm.engine_start(ptr0, len0, ptr1, len1);
    return ret === 0 ? void 0 : _Engine.__wrap(ret);
  }
  /**
   * The first step: no reply yet.
   * @returns {number}
   */
  step() {
    const ret = wasm.engine_step(this.__wbg_ptr);
    return ret;
  }
};
if (Symbol.dispose) Engine.prototype[Symbol.dispose] = Engine.prototype.free;
function output_len() {
  const ret = wasm.output_len();
  return ret >>> 0;
}
function output_ptr() {
  const ret = wasm.output_ptr();
  return ret >>> 0;
}
function validate(text) {
  const ptr0 = passStringToWasm0(text, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
  const len0 = WASM_VECTOR_LEN;
  const ret = wasm.validate(ptr0, len0);
  return ret;
}
function __wbg_get_imports() {
  const import0 = {
    __proto__: null,
    __wbg___wbindgen_throw_4c88d8bf264fd984: function(arg0, arg1) {
      throw new Error(getStringFromWasm0(arg0, arg1));
    },
    __wbindgen_init_externref_table: function() {
      const table = wasm.__wbindgen_externrefs;
      table.set(0, void 0);
      table.set(1024, void 0);
      table.set(1025, null);
      table.set(1026, true);
      table.set(1027, false);
    }
  };
  return {
    __proto__: null,
    "./deliverybot_wasm_bg.js": import0,
    deliverybot_cold: coldImports
  };
}
var EngineFinalization = typeof FinalizationRegistry === "undefined" ? { register: () => {
}, unregister: () => {
} } : new FinalizationRegistry((ptr) => wasm.__wbg_engine_free(ptr, 1));
function getStringFromWasm0(ptr, len) {
  ptr = ptr >>> 0;
  return decodeText(getUint8ArrayMemory0().subarray(ptr, ptr + len));
}
var cachedUint8ArrayMemory0 = null;
function getUint8ArrayMemory0() {
  if (cachedUint8ArrayMemory0 === null || cachedUint8ArrayMemory0.byteLength === 0) {
    cachedUint8ArrayMemory0 = new Uint8Array(wasm.memory.buffer);
  }
  return cachedUint8ArrayMemory0;
}
function passArray8ToWasm0(arg, malloc) {
  const ptr = malloc(arg.length * 1, 1) >>> 0;
  getUint8ArrayMemory0().set(arg, ptr / 1);
  WASM_VECTOR_LEN = arg.length;
  return ptr;
}
function passStringToWasm0(arg, malloc, realloc) {
  if (realloc === void 0) {
    const buf = cachedTextEncoder.encode(arg);
    const ptr2 = malloc(buf.length, 1) >>> 0;
    getUint8ArrayMemory0().subarray(ptr2, ptr2 + buf.length).set(buf);
    WASM_VECTOR_LEN = buf.length;
    return ptr2;
  }
  let len = arg.length;
  let ptr = malloc(len, 1) >>> 0;
  const mem = getUint8ArrayMemory0();
  let offset = 0;
  for (; offset < len; offset++) {
    const code = arg.charCodeAt(offset);
    if (code > 127) break;
    mem[ptr + offset] = code;
  }
  if (offset !== len) {
    if (offset !== 0) {
      arg = arg.slice(offset);
    }
    ptr = realloc(ptr, len, len = offset + arg.length * 3, 1) >>> 0;
    const view = getUint8ArrayMemory0().subarray(ptr + offset, ptr + len);
    const ret = cachedTextEncoder.encodeInto(arg, view);
    offset += ret.written;
    ptr = realloc(ptr, len, offset, 1) >>> 0;
  }
  WASM_VECTOR_LEN = offset;
  return ptr;
}
var cachedTextDecoder = new TextDecoder("utf-8", { ignoreBOM: true });
cachedTextDecoder.decode();
var MAX_SAFARI_DECODE_BYTES = 2146435072;
var numBytesDecoded = 0;
function decodeText(bytes) {
  numBytesDecoded += bytes.length;
  if (numBytesDecoded >= MAX_SAFARI_DECODE_BYTES) {
    cachedTextDecoder = new TextDecoder("utf-8", { ignoreBOM: true });
    cachedTextDecoder.decode();
    numBytesDecoded = bytes.length;
  }
  return cachedTextDecoder.decode(bytes);
}
var cachedTextEncoder = new TextEncoder();
if (!("encodeInto" in cachedTextEncoder)) {
  cachedTextEncoder.encodeInto = function(arg, view) {
    const buf = cachedTextEncoder.encode(arg);
    view.set(buf);
    return {
      read: arg.length,
      written: buf.length
    };
  };
}
var WASM_VECTOR_LEN = 0;
var wasmModule;
var wasmInstance;
var wasm;
function __wbg_finalize_init(instance, module2) {
  wasmInstance = instance;
  wasm = instance.exports;
  wasmModule = module2;
  cachedUint8ArrayMemory0 = null;
  wasm.__wbindgen_start();
  return wasm;
}
function initSync(module2) {
  if (wasm !== void 0) return wasm;
  if (module2 !== void 0) {
    if (Object.getPrototypeOf(module2) === Object.prototype) {
      ({ module: module2 } = module2);
    } else {
      console.warn("using deprecated parameters for `initSync()`; pass a single object instead");
    }
  }
  const imports = __wbg_get_imports();
  if (!(module2 instanceof WebAssembly.Module)) {
    module2 = new WebAssembly.Module(module2);
  }
  const instance = new WebAssembly.Instance(module2, imports);
  return __wbg_finalize_init(instance, module2);
}
var coldImports = { __proto__: null };

// action/engine.mjs
var exports2;
function wasmBytes() {
  return readFileSync(new URL("./deliverybot.wasm", import_meta_url));
}
coldImports.load = loadCold;
function loadCold() {
  if (exports2.cold_loaded === void 0 || exports2.cold_loaded.value === 1) return;
  try {
    const cold = new WebAssembly.Module(readFileSync(new URL("./deliverybot.cold.wasm", import_meta_url)));
    new WebAssembly.Instance(cold, { primary: exports2 });
  } catch (err) {
    const mismatch = err instanceof WebAssembly.LinkError || err instanceof WebAssembly.RuntimeError;
    const reason = mismatch ? "it is not from the same build as deliverybot.wasm" : err.message;
    throw new Error(`cannot load the engine's rarely used code (deliverybot.cold.wasm, next to deliverybot.wasm): ${reason}`);
  }
  exports2.cold_loaded.value = 1;
}
function load(module2 = void 0) {
  exports2 ??= initSync({ module: module2 ?? wasmBytes() });
}
function json(value, what) {
  let text;
  try {
    text = JSON.stringify(value, (_, v) => typeof v === "string" ? v.toWellFormed() : v);
  } catch (err) {
    throw new TypeError(`invalid ${what}: ${err.message}`);
  }
  if (typeof text !== "string") throw new TypeError(`invalid ${what}: ${typeof value} is not a JSON value`);
  return text;
}
var utf8 = new TextEncoder();
var decoder = new TextDecoder();
function output(length) {
  const text = decoder.decode(new Uint8Array(exports2.memory.buffer, output_ptr(), Math.abs(length)));
  if (length < 0) throw new Error(text);
  return JSON.parse(text);
}
var Engine2 = class {
  #engine;
  /** `payload`: the event's UTF-8 bytes, apart from the rest of the invocation (see payloadBytes). */
  constructor(invocation, payload) {
    this.#engine = Engine.start(utf8.encode(json(invocation, "invocation")), payload);
    if (this.#engine === void 0) output(-output_len());
  }
  /**
   * `reply`: `{ status, headers, body }` when GitHub answered (`body` as text or as the bytes that
   * came), `{ error }` when no answer came. The body crosses as bytes, not inside JSON.
   */
  step(reply2) {
    if (reply2 === void 0 || reply2 === null) return output(this.#engine.step());
    if (typeof reply2 !== "object") throw new TypeError(`invalid reply: ${typeof reply2} is not a reply`);
    const { status, headers, body, error } = reply2;
    if (status === void 0 || status === null) {
      if (typeof error === "string") return output(this.#engine.lost(error));
      if (error !== void 0 && error !== null) throw new TypeError(`invalid reply: \`error\` is text (what happened), not ${describe(error)}`);
      throw new TypeError("invalid reply: a reply has a `status` (an answer) or an `error` (no answer)");
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
};
if (typeof Symbol.dispose === "symbol") Engine2.prototype[Symbol.dispose] = Engine2.prototype.free;
function runStep(engine, reply2, { eventName, after }) {
  try {
    return engine.step(reply2);
  } catch (err) {
    throw new Error(
      `internal error in the engine on a \`${eventName}\` event, after ${after}: ${err.message}. Please report it; nothing after this point was done.`
    );
  }
}
function createEngine({ event, ...invocation }, module2 = void 0) {
  const payload = payloadBytes(event);
  load(module2);
  if (module2 === void 0) loadCold();
  return new Engine2(invocation, payload);
}
function headersJson(headers) {
  if (headers === void 0 || headers === null) return utf8.encode("{}");
  if (typeof headers !== "object" || Array.isArray(headers)) {
    throw new TypeError(`invalid reply: \`headers\` is an object of texts, not ${describe(headers)}`);
  }
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value !== "string") throw new TypeError(`invalid reply: header \`${name}\` is text, not ${describe(value)}`);
  }
  return utf8.encode(json(headers, "reply"));
}
function bodyBytes(body) {
  if (body instanceof Uint8Array) return body;
  if (body === void 0 || body === null) return new Uint8Array(0);
  if (typeof body === "string") return utf8.encode(body);
  throw new TypeError(`invalid reply: \`body\` is text or bytes, not ${describe(body)}`);
}
function describe(value) {
  return typeof value === "object" ? Object.prototype.toString.call(value) : `${typeof value} ${String(value)}`;
}
function payloadBytes(event) {
  if (event instanceof Uint8Array) return event;
  if (event === void 0 || typeof event === "string") return utf8.encode(event ?? "");
  throw new TypeError(`invalid event: a payload is JSON text or its UTF-8 bytes, not ${describe(event)}`);
}
function validate2(text) {
  load();
  loadCold();
  return output(validate(text));
}

// action/lib.mjs
function schema() {
  return JSON.parse(readFileSync(new URL("../schema/deploy.schema.json", import_meta_url), "utf8"));
}
function start({ eventName, payload, inputs = {}, context = {}, phase = "main", state = {} }) {
  if (typeof eventName !== "string" || !eventName) throw new TypeError("`eventName` is required, like `push`");
  const text = typeof payload === "string" || payload instanceof Uint8Array;
  const event = text ? payload : JSON.stringify(payload ?? {});
  const needs = !context.repository || context.actor === void 0;
  const parsed = text ? needs ? safeParse(payload) : void 0 : payload;
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
      job: context.job ?? "",
      ref_name: context.ref_name ?? ""
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
      const step = runStep(engine, reply2, { eventName: options.eventName, after: last });
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
      if (answer.status < 0 || answer.status > 65535) {
        throw new TypeError(`the executor's answer to ${request.method} ${request.path} has status ${answer.status}, which no HTTP answer has`);
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
  const text = (value) => value === void 0 || value === null ? "" : typeof value === "string" || value instanceof Uint8Array ? value : value instanceof ArrayBuffer ? new Uint8Array(value) : ArrayBuffer.isView(value) ? new Uint8Array(value.buffer, value.byteOffset, value.byteLength) : JSON.stringify(value);
  const flat = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value !== void 0 && value !== null) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : String(value);
  }
  return { status, headers: flat, body: text(body) };
}
function safeParse(text) {
  try {
    return JSON.parse(typeof text === "string" ? text : new TextDecoder().decode(text));
  } catch {
    return void 0;
  }
}
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  deliver,
  run,
  schema,
  start,
  validate
});
