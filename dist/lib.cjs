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
var fs = process.getBuiltinModule("node:fs");
var { readFileSync, appendFileSync, readdirSync } = fs;

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
   * The reply to the last request when GitHub answered: `headers` is an object of lower-case
   * names to texts, `body` the body's bytes as they came (read like the payload). When the
   * headers are not valid, the error says why and the engine is where it was.
   * @param {number} status
   * @param {any} headers
   * @param {Uint8Array} body
   * @returns {any}
   */
  answer(status, headers, body) {
    const ret = wasm.engine_answer(this.__wbg_ptr, status, headers, body);
    if (ret[2]) {
      throw takeFromExternrefTable0(ret[1]);
    }
    return takeFromExternrefTable0(ret[0]);
  }
  /**
   * The reply to the last request when no answer came: what happened instead.
   * @param {string} error
   * @returns {any}
   */
  lost(error) {
    const ptr0 = passStringToWasm0(error, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
    const len0 = WASM_VECTOR_LEN;
    const ret = wasm.engine_lost(this.__wbg_ptr, ptr0, len0);
    if (ret[2]) {
      throw takeFromExternrefTable0(ret[1]);
    }
    return takeFromExternrefTable0(ret[0]);
  }
  /**
   * `invocation`: `{ event_name, inputs: {name: value}, context: {...}, phase?, state? }`;
   * `event`: the webhook payload's JSON text as UTF-8 bytes. A payload that is not UTF-8 is read
   * with U+FFFD for each bad sequence (see `text`), so that the engine reports the JSON it cannot
   * read rather than the encoding.
   * @param {any} invocation
   * @param {Uint8Array} event
   * @returns {Engine}
   */
  static start(invocation, event) {
    const ret = wasm.engine_start(invocation, event);
    if (ret[2]) {
      throw takeFromExternrefTable0(ret[1]);
    }
    return _Engine.__wrap(ret[0]);
  }
  /**
   * The first step: no reply yet. A step is `{ log, next: { type: "request", ... } | { type:
   * "done", ... } }` (action/lib.d.ts, `Step`).
   * @returns {any}
   */
  step() {
    const ret = wasm.engine_step(this.__wbg_ptr);
    if (ret[2]) {
      throw takeFromExternrefTable0(ret[1]);
    }
    return takeFromExternrefTable0(ret[0]);
  }
  /**
   * The answer to a `{ type: "zone", name }` step: the zone's TZif bytes, or `undefined` when
   * the host has no such zone.
   * @param {Uint8Array | null} [tzif]
   * @returns {any}
   */
  zone(tzif) {
    const ret = wasm.engine_zone(this.__wbg_ptr, isLikeNone(tzif) ? 0 : addToExternrefTable0(tzif));
    if (ret[2]) {
      throw takeFromExternrefTable0(ret[1]);
    }
    return takeFromExternrefTable0(ret[0]);
  }
};
if (Symbol.dispose) Engine.prototype[Symbol.dispose] = Engine.prototype.free;
function validate(text2) {
  const ptr0 = passStringToWasm0(text2, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
  const len0 = WASM_VECTOR_LEN;
  const ret = wasm.validate(ptr0, len0);
  if (ret[2]) {
    throw takeFromExternrefTable0(ret[1]);
  }
  return takeFromExternrefTable0(ret[0]);
}
function __wbg_get_imports() {
  const import0 = {
    __proto__: null,
    __wbg_Error_208446807d0d1e30: function(arg0, arg1) {
      const ret = Error(getStringFromWasm0(arg0, arg1));
      return ret;
    },
    __wbg___wbindgen_boolean_get_4f1baf9a00be3c74: function(arg0) {
      const v = arg0;
      const ret = typeof v === "boolean" ? v : void 0;
      return isLikeNone(ret) ? 16777215 : ret ? 1 : 0;
    },
    __wbg___wbindgen_debug_string_f249a2a76caa9a55: function(arg0, arg1) {
      const ret = debugString(arg1);
      const ptr1 = passStringToWasm0(ret, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
      const len1 = WASM_VECTOR_LEN;
      getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
      getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
    },
    __wbg___wbindgen_in_3f58a9d3b3a7eed2: function(arg0, arg1) {
      const ret = arg0 in arg1;
      return ret;
    },
    __wbg___wbindgen_is_function_741ff2bb612836f5: function(arg0) {
      const ret = typeof arg0 === "function";
      return ret;
    },
    __wbg___wbindgen_is_object_8b968c3ab8e96595: function(arg0) {
      const val = arg0;
      const ret = typeof val === "object" && val !== null;
      return ret;
    },
    __wbg___wbindgen_is_string_fc456fee5d3317de: function(arg0) {
      const ret = typeof arg0 === "string";
      return ret;
    },
    __wbg___wbindgen_is_undefined_be5b34249ff1fc15: function(arg0) {
      const ret = arg0 === void 0;
      return ret;
    },
    __wbg___wbindgen_jsval_loose_eq_b2f214e2e4b30e36: function(arg0, arg1) {
      const ret = arg0 == arg1;
      return ret;
    },
    __wbg___wbindgen_number_get_934b640d0889af78: function(arg0, arg1) {
      const obj = arg1;
      const ret = typeof obj === "number" ? obj : void 0;
      getDataViewMemory0().setFloat64((arg0 >>> 0) + 8 * 1, isLikeNone(ret) ? 0 : ret, true);
      getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, !isLikeNone(ret), true);
    },
    __wbg___wbindgen_string_get_7ce8eee7fd327545: function(arg0, arg1) {
      const obj = arg1;
      const ret = typeof obj === "string" ? obj : void 0;
      var ptr1 = isLikeNone(ret) ? 0 : passStringToWasm0(ret, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
      var len1 = WASM_VECTOR_LEN;
      getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
      getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
    },
    __wbg___wbindgen_throw_4c88d8bf264fd984: function(arg0, arg1) {
      throw new Error(getStringFromWasm0(arg0, arg1));
    },
    __wbg_call_40b008ba32f73991: function() {
      return handleError(function(arg0, arg1) {
        const ret = arg0.call(arg1);
        return ret;
      }, arguments);
    },
    __wbg_done_57e08d0be6e30c02: function(arg0) {
      const ret = arg0.done;
      return ret;
    },
    __wbg_entries_7bb1459bd9b5c2b9: function(arg0) {
      const ret = Object.entries(arg0);
      return ret;
    },
    __wbg_get_635eea311fa1a291: function() {
      return handleError(function(arg0, arg1) {
        const ret = Reflect.get(arg0, arg1);
        return ret;
      }, arguments);
    },
    __wbg_get_d7176cfb76d71114: function(arg0, arg1) {
      const ret = arg0[arg1 >>> 0];
      return ret;
    },
    __wbg_get_unchecked_e6325ad374eff861: function(arg0, arg1) {
      const ret = arg0[arg1 >>> 0];
      return ret;
    },
    __wbg_get_with_ref_key_fc601247060b7204: function(arg0, arg1) {
      const ret = arg0[arg1];
      return ret;
    },
    __wbg_instanceof_ArrayBuffer_12cdaa4161423e6b: function(arg0) {
      let result;
      try {
        result = arg0 instanceof ArrayBuffer;
      } catch (_) {
        result = false;
      }
      const ret = result;
      return ret;
    },
    __wbg_instanceof_Uint8Array_d7aeb0dcb3108fea: function(arg0) {
      let result;
      try {
        result = arg0 instanceof Uint8Array;
      } catch (_) {
        result = false;
      }
      const ret = result;
      return ret;
    },
    __wbg_isArray_bcf1376d0d732d08: function(arg0) {
      const ret = Array.isArray(arg0);
      return ret;
    },
    __wbg_iterator_e4c5e8f68ada7b58: function() {
      const ret = Symbol.iterator;
      return ret;
    },
    __wbg_length_186163212ffe79c3: function(arg0) {
      const ret = arg0.length;
      return ret;
    },
    __wbg_length_b03a0fabb109b1e9: function(arg0) {
      const ret = arg0.length;
      return ret;
    },
    __wbg_message_43d8c8f1d543a349: function(arg0) {
      const ret = arg0.message;
      return ret;
    },
    __wbg_new_13de428334042d26: function(arg0) {
      const ret = new Uint8Array(arg0);
      return ret;
    },
    __wbg_new_37eb45aaf5eeb820: function() {
      const ret = new Array();
      return ret;
    },
    __wbg_new_7075786089b89c5e: function() {
      const ret = /* @__PURE__ */ new Map();
      return ret;
    },
    __wbg_new_cd4348290afae586: function() {
      const ret = new Object();
      return ret;
    },
    __wbg_next_178c1651c11432b3: function(arg0) {
      const ret = arg0.next;
      return ret;
    },
    __wbg_next_af5ac6a08bb0a717: function() {
      return handleError(function(arg0) {
        const ret = arg0.next();
        return ret;
      }, arguments);
    },
    __wbg_prototypesetcall_13162965d1fe7aa3: function(arg0, arg1, arg2) {
      Uint8Array.prototype.set.call(getArrayU8FromWasm0(arg0, arg1), arg2);
    },
    __wbg_set_8282f7e0d2d01336: function(arg0, arg1, arg2) {
      const ret = arg0.set(arg1, arg2);
      return ret;
    },
    __wbg_set_d2d33b52458e984a: function(arg0, arg1, arg2) {
      arg0[arg1 >>> 0] = arg2;
    },
    __wbg_set_e4b9a833d288759a: function(arg0, arg1, arg2) {
      arg0[arg1] = arg2;
    },
    __wbg_value_e0f328965e184931: function(arg0) {
      const ret = arg0.value;
      return ret;
    },
    __wbindgen_generic_0000000000000001: function(arg0) {
      const ret = arg0;
      return ret;
    },
    __wbindgen_generic_0000000000000002: function(arg0) {
      const ret = arg0;
      return ret;
    },
    __wbindgen_generic_0000000000000003: function(arg0, arg1) {
      const ret = getStringFromWasm0(arg0, arg1);
      return ret;
    },
    __wbindgen_generic_0000000000000004: function(arg0) {
      const ret = BigInt.asUintN(64, arg0);
      return ret;
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
    "./deliverybot_wasm_bg.js": import0
  };
}
var EngineFinalization = typeof FinalizationRegistry === "undefined" ? { register: () => {
}, unregister: () => {
} } : new FinalizationRegistry((ptr) => wasm.__wbg_engine_free(ptr, 1));
function addToExternrefTable0(obj) {
  const idx = wasm.__externref_table_alloc();
  wasm.__wbindgen_externrefs.set(idx, obj);
  return idx;
}
function debugString(val) {
  switch (typeof val) {
    // primitive types
    case "number":
    case "boolean":
    case "undefined":
      return `${val}`;
    case "string":
      return JSON.stringify(val);
    case "bigint":
      return `${val}n`;
    case "symbol":
      return val.description !== void 0 ? `Symbol(${val.description})` : "Symbol";
    case "function":
      return typeof val.name === "string" && val.name !== "" ? `Function(${val.name})` : "Function";
    case "object": {
      if (val === null) {
        return "null";
      }
      if (Array.isArray(val)) {
        return "[" + Array.from(val, debugString).join(", ") + "]";
      }
      if (val instanceof Error) {
        return `${val.name}: ${val.message}
${val.stack}`;
      }
      const toStringOutput = toString.call(val);
      const className = /\[object ([^\]]+)\]/.exec(toStringOutput)?.[1];
      if (className === void 0) {
        return toStringOutput;
      }
      if (className === "Object") {
        try {
          return "Object(" + JSON.stringify(val) + ")";
        } catch (_) {
          return "Object";
        }
      }
      return className;
    }
  }
}
function getArrayU8FromWasm0(ptr, len) {
  ptr = ptr >>> 0;
  return getUint8ArrayMemory0().subarray(ptr / 1, ptr / 1 + len);
}
var cachedDataViewMemory0 = null;
function getDataViewMemory0() {
  if (cachedDataViewMemory0 === null || cachedDataViewMemory0.buffer.detached === true || cachedDataViewMemory0.buffer.detached === void 0 && cachedDataViewMemory0.buffer !== wasm.memory.buffer) {
    cachedDataViewMemory0 = new DataView(wasm.memory.buffer);
  }
  return cachedDataViewMemory0;
}
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
function handleError(f, args) {
  try {
    return f.apply(this, args);
  } catch (e) {
    const idx = addToExternrefTable0(e);
    wasm.__wbindgen_exn_store(idx);
  }
}
function isLikeNone(x) {
  return x === void 0 || x === null;
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
function takeFromExternrefTable0(idx) {
  const value = wasm.__wbindgen_externrefs.get(idx);
  wasm.__externref_table_dealloc(idx);
  return value;
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
  cachedDataViewMemory0 = null;
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

// action/engine.mjs
var loaded = false;
function wasmBytes() {
  return readFileSync(new URL("./deliverybot.wasm", import_meta_url));
}
function load(module2 = void 0) {
  if (loaded) return;
  initSync({ module: module2 ?? wasmBytes() });
  loaded = true;
}
var utf8 = new TextEncoder();
var Engine2 = class {
  #engine;
  /** `payload`: the event's UTF-8 bytes, apart from the rest of the invocation (see payloadBytes). */
  constructor(invocation, payload) {
    this.#engine = Engine.start(invocation, payload);
  }
  /**
   * `reply`: `{ status, headers, body }` when GitHub answered (`body` as text or as the bytes that
   * came), `{ error }` when no answer came; to a `zone` step, `{ zone }`: the zone's TZif bytes, or
   * undefined when the host has no such zone.
   */
  step(reply2) {
    if (reply2 === void 0 || reply2 === null) return this.#engine.step();
    if (typeof reply2 !== "object") throw new TypeError(`invalid reply: ${typeof reply2} is not a reply`);
    if ("zone" in reply2) {
      const { zone } = reply2;
      if (zone !== void 0 && zone !== null && !(zone instanceof Uint8Array)) throw new TypeError(`invalid reply: \`zone\` is the zone's TZif bytes, not ${describe(zone)}`);
      return this.#engine.zone(zone ?? void 0);
    }
    const { status, headers, body, error } = reply2;
    if (status === void 0 || status === null) {
      if (typeof error === "string") return this.#engine.lost(error);
      if (error !== void 0 && error !== null) throw new TypeError(`invalid reply: \`error\` is text (what happened), not ${describe(error)}`);
      throw new TypeError("invalid reply: a reply has a `status` (an answer) or an `error` (no answer)");
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
  checkInvocation(invocation);
  load(module2);
  return new Engine2(invocation, payload);
}
function checkInvocation(invocation) {
  const { event_name, inputs, context, phase, state } = invocation;
  text(event_name, "event_name");
  texts(inputs, "inputs");
  texts(state, "state");
  if (phase !== void 0 && phase !== null && phase !== "main" && phase !== "post") {
    throw new TypeError(`invalid invocation: \`phase\` is \`main\` or \`post\`, not ${describe(phase)}`);
  }
  if (context === void 0 || context === null) throw new TypeError("invalid invocation: `context` is required (an object of texts)");
  if (typeof context !== "object" || Array.isArray(context)) {
    throw new TypeError(`invalid invocation: \`context\` is an object of texts, not ${describe(context)}`);
  }
  for (const name of ["repository", "run_id", "server_url"]) text(context[name], `context.${name}`);
  for (const name of ["actor", "triggering_actor", "job", "ref_name"]) {
    if (context[name] !== void 0 && context[name] !== null) isText(context[name], `context.${name}`);
  }
}
function text(value, path) {
  if (value === void 0 || value === null) throw new TypeError(`invalid invocation: \`${path}\` is required (text)`);
  isText(value, path);
}
function isText(value, path) {
  if (typeof value !== "string") throw new TypeError(`invalid invocation: \`${path}\` is text, not ${describe(value)}`);
}
function texts(values, path) {
  if (values === void 0 || values === null) return;
  if (typeof values !== "object" || Array.isArray(values)) throw new TypeError(`invalid invocation: \`${path}\` is an object of texts, not ${describe(values)}`);
  for (const [name, value] of Object.entries(values)) isText(value, `${path}.${name}`);
}
function checkedHeaders(headers) {
  if (headers === void 0 || headers === null) return {};
  if (typeof headers !== "object" || Array.isArray(headers)) {
    throw new TypeError(`invalid reply: \`headers\` is an object of texts, not ${describe(headers)}`);
  }
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value !== "string") throw new TypeError(`invalid reply: header \`${name}\` is text, not ${describe(value)}`);
  }
  return headers;
}
function bodyBytes(body) {
  if (body instanceof Uint8Array) return body;
  if (body === void 0 || body === null) return new Uint8Array(0);
  if (typeof body === "string") return utf8.encode(body);
  throw new TypeError(`invalid reply: \`body\` is text or bytes, not ${describe(body)}`);
}
function describe(value) {
  if (value === void 0 || value === null) return String(value);
  return typeof value === "object" ? Object.prototype.toString.call(value) : `${typeof value} ${String(value)}`;
}
function payloadBytes(event) {
  if (event instanceof Uint8Array) return event;
  if (event === void 0 || typeof event === "string") return utf8.encode(event ?? "");
  throw new TypeError(`invalid event: a payload is JSON text or its UTF-8 bytes, not ${describe(event)}`);
}
function validate2(text2) {
  load();
  return validate(text2);
}

// action/zones.mjs
var ZONE_NAME = /^[A-Za-z0-9_+-]+(\/[A-Za-z0-9_+-]+)*$/;
function readZone(name, env = process.env) {
  if (typeof name !== "string" || !ZONE_NAME.test(name) || name.length > 64) return void 0;
  const dir = (env.TZDIR || "/usr/share/zoneinfo").replace(/\/+$/, "");
  try {
    return readFileSync(`${dir}/${name}`);
  } catch {
    return void 0;
  }
}

// action/lib.mjs
function schema() {
  return JSON.parse(readFileSync(new URL("../schema/deploy.schema.json", import_meta_url), "utf8"));
}
function start({ eventName, payload, inputs = {}, context = {}, phase = "main", state = {} }) {
  if (typeof eventName !== "string" || !eventName) throw new TypeError("`eventName` is required, like `push`");
  const text2 = typeof payload === "string" || payload instanceof Uint8Array;
  const event = text2 ? payload : JSON.stringify(payload ?? {});
  const needs = !context.repository || context.actor === void 0;
  const parsed = text2 ? needs ? safeParse(payload) : void 0 : payload;
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
      triggering_actor: context.triggering_actor ?? "",
      job: context.job ?? "",
      ref_name: context.ref_name ?? "",
      // "Now" for soak, serialize, freeze windows and stuck deployments: the caller's choice, else the clock.
      now: context.now ?? (/* @__PURE__ */ new Date()).toISOString()
    }
  });
}
async function run({ executor, onLog, zones = (name) => readZone(name), ...options }) {
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
      if (next.type === "zone") {
        reply2 = { zone: zones(next.name) };
        continue;
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
  const text2 = (value) => value === void 0 || value === null ? "" : typeof value === "string" || value instanceof Uint8Array ? value : value instanceof ArrayBuffer ? new Uint8Array(value) : ArrayBuffer.isView(value) ? new Uint8Array(value.buffer, value.byteOffset, value.byteLength) : JSON.stringify(value);
  const flat = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value !== void 0 && value !== null) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : String(value);
  }
  return { status, headers: flat, body: text2(body) };
}
function safeParse(text2) {
  try {
    return JSON.parse(typeof text2 === "string" ? text2 : new TextDecoder().decode(text2));
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
