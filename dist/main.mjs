// action/builtins.mjs
if (typeof process.getBuiltinModule !== "function") {
  throw new Error(`Deliverybot needs Node.js 20.16 or newer; this is ${process.version}`);
}
var fs = process.getBuiltinModule("node:fs");
var { readFileSync, appendFileSync, readdirSync } = fs;
function transport(protocol) {
  return process.getBuiltinModule(protocol === "http:" ? "node:http" : "node:https");
}

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
function __wbg_finalize_init(instance, module) {
  wasmInstance = instance;
  wasm = instance.exports;
  wasmModule = module;
  cachedDataViewMemory0 = null;
  cachedUint8ArrayMemory0 = null;
  wasm.__wbindgen_start();
  return wasm;
}
function initSync(module) {
  if (wasm !== void 0) return wasm;
  if (module !== void 0) {
    if (Object.getPrototypeOf(module) === Object.prototype) {
      ({ module } = module);
    } else {
      console.warn("using deprecated parameters for `initSync()`; pass a single object instead");
    }
  }
  const imports = __wbg_get_imports();
  if (!(module instanceof WebAssembly.Module)) {
    module = new WebAssembly.Module(module);
  }
  const instance = new WebAssembly.Instance(module, imports);
  return __wbg_finalize_init(instance, module);
}

// action/engine.mjs
var compiling;
var loaded = false;
function wasmBytes() {
  return readFileSync(new URL("./deliverybot.wasm", import.meta.url));
}
function prepare() {
  if (compiling === void 0) {
    try {
      compiling = WebAssembly.compile(wasmBytes());
    } catch (err) {
      compiling = Promise.reject(err);
    }
    compiling.catch(() => {
    });
  }
  return compiling;
}
function load(module = void 0) {
  if (loaded) return;
  initSync({ module: module ?? wasmBytes() });
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
  step(reply) {
    if (reply === void 0 || reply === null) return this.#engine.step();
    if (typeof reply !== "object") throw new TypeError(`invalid reply: ${typeof reply} is not a reply`);
    if ("zone" in reply) {
      const { zone } = reply;
      if (zone !== void 0 && zone !== null && !(zone instanceof Uint8Array)) throw new TypeError(`invalid reply: \`zone\` is the zone's TZif bytes, not ${describe(zone)}`);
      return this.#engine.zone(zone ?? void 0);
    }
    const { status, headers, body, error } = reply;
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
function runStep(engine, reply, { eventName, after }) {
  try {
    return engine.step(reply);
  } catch (err) {
    throw new Error(
      `internal error in the engine on a \`${eventName}\` event, after ${after}: ${err.message}. Please report it; nothing after this point was done.`
    );
  }
}
function createEngine({ event, ...invocation }, module = void 0) {
  const payload = payloadBytes(event);
  checkInvocation(invocation);
  load(module);
  return new Engine2(invocation, payload);
}
function checkInvocation(invocation) {
  const { event_name, inputs: inputs2, context, phase, state } = invocation;
  text(event_name, "event_name");
  texts(inputs2, "inputs");
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

// action/proxy.mjs
function proxyFor(url, env = process.env) {
  if (bypassed(url, env)) return void 0;
  const name = url.protocol === "https:" ? "https_proxy" : "http_proxy";
  const value = (env[name] || env[name.toUpperCase()] || "").trim();
  if (!value) return void 0;
  const text2 = value.includes("://") ? value : `http://${value}`;
  const proxy = URL.canParse(text2) ? new URL(text2) : void 0;
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
function createClient({ apiUrl, token, userAgent, timeoutMs = 3e4, runTimeoutMs = 6e5, log: log2 = () => {
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
        log2("warning", `${request.method} ${request.path} is not tried again (${retry.why}): waiting ${Math.ceil(wait / 1e3)} s would pass ${ceiling}.`);
        break;
      }
      if (retry?.limited) log2("info", `${request.method} ${request.path}: ${retry.why}; trying again in ${Math.ceil(wait / 1e3)} s.`);
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

// action/runner.mjs
function marker(prefix, text2) {
  const upper = text2.toUpperCase();
  for (; ; ) {
    const candidate = `${prefix}${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
    if (!upper.includes(candidate.toUpperCase())) return candidate;
  }
}
function inputs(env = process.env) {
  return prefixed(env, "INPUT_", (name) => name.toLowerCase());
}
function savedState(env = process.env) {
  return prefixed(env, "STATE_", (name) => name);
}
function prefixed(env, prefix, rename) {
  const found = {};
  for (const key of Object.keys(env)) {
    if (key.startsWith(prefix)) found[rename(key.slice(prefix.length))] = env[key];
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
  let text2 = "";
  for (const [name, value] of pairs) {
    const delimiter = marker("ghadelimiter_", `${name}
${value}`);
    text2 += `${name}<<${delimiter}
${value}
${delimiter}
`;
  }
  appendFileSync(file, text2);
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
  if (!commandLike(message)) {
    write(message);
    return;
  }
  const token = marker("deliverybot-", message);
  write(`::stop-commands::${token}`);
  write(message);
  write(`::${token}::`);
}
var LINE_BREAK = /\r\n|\r|\n/;
var DOTNET_LEADING_SPACE = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;
var COLLATES_AS_NOTHING = /[\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}]/gu;
function commandLike(message) {
  if (message.indexOf(":", message.indexOf(":") + 1) === -1 && !message.includes("#")) return false;
  for (const line of message.split(LINE_BREAK)) {
    const visible = line.replace(COLLATES_AS_NOTHING, "").replace(DOTNET_LEADING_SPACE, "");
    if (visible.startsWith("::") || visible.includes("##[")) return true;
  }
  return false;
}
function print(line) {
  process.stdout.write(`${line}
`);
}
function escapeData(text2) {
  return String(text2).replaceAll("%", "%25").replaceAll("\r", "%0D").replaceAll("\n", "%0A");
}
function escapeProperty(text2) {
  return escapeData(text2).replaceAll(":", "%3A").replaceAll(",", "%2C");
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

// action/run.mjs
var USER_AGENT = "deliverybot-action";
async function run(phase, env = process.env) {
  const compiling2 = prepare();
  const inputs2 = inputs(env);
  const token = (inputs2.token ?? "").trim();
  mask(token);
  delete inputs2.token;
  const vars = requireEnv(
    ["GITHUB_EVENT_NAME", "GITHUB_EVENT_PATH", "GITHUB_REPOSITORY", "GITHUB_RUN_ID", "GITHUB_SERVER_URL", "GITHUB_API_URL"],
    env
  );
  if (!token) throw new Error("input `token` is empty: pass a token, for example `token: ${{ github.token }}`");
  const event = readFileSync(vars.GITHUB_EVENT_PATH);
  const perform = createClient({
    apiUrl: vars.GITHUB_API_URL,
    token,
    userAgent: USER_AGENT,
    // Seconds per try, 1 to 600; seconds for the whole run, 1 to 21600 (a job's own limit, 6 hours).
    timeoutMs: milliseconds(env.DELIVERYBOT_REQUEST_TIMEOUT, 600),
    runTimeoutMs: milliseconds(env.DELIVERYBOT_RUN_TIMEOUT, 21600),
    log: (level, message) => log({ level, message })
  });
  const engine = createEngine(
    {
      event_name: vars.GITHUB_EVENT_NAME,
      event,
      inputs: inputs2,
      phase,
      state: savedState(env),
      context: {
        repository: vars.GITHUB_REPOSITORY,
        run_id: vars.GITHUB_RUN_ID,
        server_url: withoutTrailingSlashes(vars.GITHUB_SERVER_URL),
        actor: env.GITHUB_ACTOR ?? "",
        // Who started this run: on a re-run, maybe not the actor (the engine then does not act on the actor's role).
        triggering_actor: env.GITHUB_TRIGGERING_ACTOR ?? "",
        job: env.GITHUB_JOB ?? "",
        ref_name: env.GITHUB_REF_NAME ?? "",
        // The engine reads no clock: `soak`, `serialize`, freeze windows and stuck deployments are judged at this time.
        now: (/* @__PURE__ */ new Date()).toISOString()
      }
    },
    await compiling2
  );
  let reply;
  let last = "the start";
  for (; ; ) {
    const { log: log2, next } = runStep(engine, reply, { eventName: vars.GITHUB_EVENT_NAME, after: last });
    for (const line of log2) log(line);
    if (next.type === "done") return finish(next, env);
    if (next.type === "zone") {
      log({ level: "debug", message: `time zone ${next.name}: read from the machine's tz database` });
      reply = { zone: readZone(next.name, env) };
      continue;
    }
    log({ level: "debug", message: `${next.method} ${next.path}: ${next.purpose}` });
    last = `${next.method} ${next.path}`;
    reply = await perform(next);
  }
}
function milliseconds(seconds, max) {
  const value = Number(seconds);
  return Number.isFinite(value) && value >= 1 && value <= max ? value * 1e3 : void 0;
}
function withoutTrailingSlashes(url) {
  let end = url.length;
  while (end > 0 && url[end - 1] === "/") end -= 1;
  return url.slice(0, end);
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
  }).then(() => process.stdout.write("", () => process.exit()));
}

// action/main.mjs
start("main");
