// action/builtins.mjs
if (typeof process.getBuiltinModule !== "function") {
  throw new Error(`Deliverybot needs Node.js 20.16 or newer; this is ${process.version}`);
}
var { readFileSync, appendFileSync } = process.getBuiltinModule("node:fs");
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
function __wbg_finalize_init(instance, module) {
  wasmInstance = instance;
  wasm = instance.exports;
  wasmModule = module;
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
var coldImports = { __proto__: null };

// action/engine.mjs
var compiling;
var exports;
function wasmBytes() {
  return readFileSync(new URL("./deliverybot.wasm", import.meta.url));
}
coldImports.load = loadCold;
function loadCold() {
  if (exports.cold_loaded === void 0 || exports.cold_loaded.value === 1) return;
  try {
    const cold = new WebAssembly.Module(readFileSync(new URL("./deliverybot.cold.wasm", import.meta.url)));
    new WebAssembly.Instance(cold, { primary: exports });
  } catch (err) {
    const mismatch = err instanceof WebAssembly.LinkError || err instanceof WebAssembly.RuntimeError;
    const reason = mismatch ? "it is not from the same build as deliverybot.wasm" : err.message;
    throw new Error(`cannot load the engine's rarely used code (deliverybot.cold.wasm, next to deliverybot.wasm): ${reason}`);
  }
  exports.cold_loaded.value = 1;
}
function coldLoaded() {
  return exports?.cold_loaded?.value === 1;
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
  exports ??= initSync({ module: module ?? wasmBytes() });
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
  const text = decoder.decode(new Uint8Array(exports.memory.buffer, output_ptr(), Math.abs(length)));
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
  step(reply) {
    if (reply === void 0 || reply === null) return output(this.#engine.step());
    if (typeof reply !== "object") throw new TypeError(`invalid reply: ${typeof reply} is not a reply`);
    const { status, headers, body, error } = reply;
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
  load(module);
  if (module === void 0) loadCold();
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

// action/github.mjs
var TRANSIENT = /* @__PURE__ */ new Set([500, 502, 503, 504]);
var MAX_ATTEMPTS = 4;
var WRITE_SPACING_MS = 1e3;
var MAX_WAIT_MS = 6e4;
var DOT_SEGMENTS = /* @__PURE__ */ new Set([".", "..", "%2e", ".%2e", "%2e.", "%2e%2e"]);
function createClient({ apiUrl, token, userAgent, timeoutMs = 3e4, sleep = delay }) {
  const base = new URL(apiUrl.endsWith("/") ? apiUrl : `${apiUrl}/`);
  const http = transport(base.protocol);
  const agent = preconnected(http, base);
  let lastWrite = 0;
  function send(request) {
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
      "user-agent": userAgent,
      "x-github-api-version": "2022-11-28"
    };
    if (body !== void 0) {
      headers["content-type"] = "application/json; charset=utf-8";
      headers["content-length"] = Buffer.byteLength(body);
    }
    return new Promise((resolve) => {
      const req = http.request(url, { method: request.method, headers, timeout: timeoutMs, agent }, (res) => {
        const chunks = [];
        res.on("data", (chunk) => chunks.push(chunk));
        res.on("end", () => resolve({ status: res.statusCode, headers: flatten(res.headers), body: Buffer.concat(chunks) }));
        res.on("error", (err) => resolve({ error: `the answer was cut off (${err.message})` }));
      });
      req.on("timeout", () => req.destroy(Object.assign(new Error(`no answer within ${timeoutMs / 1e3} s`), { code: "ETIMEDOUT" })));
      req.on("error", (err) => resolve({ error: `${request.method} ${url.pathname}: ${err.code ?? err.message}` }));
      req.end(body);
    });
  }
  return async function perform(request) {
    const write = request.method !== "GET";
    let reply;
    let wait = 0;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      if (write) wait = Math.max(wait, lastWrite + WRITE_SPACING_MS - Date.now());
      if (wait > 0) await sleep(wait);
      reply = await send(request);
      if (write) lastWrite = Date.now();
      if (reply.final) break;
      const retry = retryDelay(reply, attempt);
      if (retry === void 0 || !retry.limited && !request.idempotent || attempt === MAX_ATTEMPTS) break;
      wait = retry.ms;
    }
    return reply;
  };
}
function preconnected(http, base) {
  if (http.globalAgent.options.proxyEnv) return http.globalAgent;
  const agent = new http.Agent({ ...http.globalAgent.options });
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
  const backoff = { ms: Math.min(500 * 2 ** (attempt - 1), 8e3), limited: false };
  if (reply.error !== void 0) return backoff;
  const { status, headers } = reply;
  if (TRANSIENT.has(status)) return backoff;
  if (status === 403 || status === 429) {
    if (headers["retry-after"] !== void 0) {
      const seconds = Number(headers["retry-after"]);
      const ms = Number.isFinite(seconds) ? seconds * 1e3 : Date.parse(headers["retry-after"]) - now;
      return ms <= MAX_WAIT_MS ? { ms: Math.max(ms, 0), limited: true } : void 0;
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
function marker(prefix, text) {
  for (; ; ) {
    const candidate = `${prefix}${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
    if (!text.includes(candidate)) return candidate;
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
  let text = "";
  for (const [name, value] of pairs) {
    const delimiter = marker("ghadelimiter_", `${name}
${value}`);
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
  if (!commandLike(message)) {
    write(message);
    return;
  }
  const token = marker("deliverybot-", message);
  write(`::stop-commands::${token}`);
  write(message);
  write(`::${token}::`);
}
function commandLike(message) {
  if (message.includes("##[")) return true;
  for (let at = message.indexOf("::"); at !== -1; at = message.indexOf("::", at + 2)) {
    let start2 = at;
    while (start2 > 0 && message[start2 - 1].trim() === "") {
      start2 -= 1;
      if ("\n\r\u2028\u2029".includes(message[start2])) return true;
    }
    if (start2 === 0) return true;
  }
  return false;
}
function print(line) {
  process.stdout.write(`${line}
`);
}
function escapeData(text) {
  return String(text).replaceAll("%", "%25").replaceAll("\r", "%0D").replaceAll("\n", "%0A");
}
function escapeProperty(text) {
  return escapeData(text).replaceAll(":", "%3A").replaceAll(",", "%2C");
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
  const timeout = Number(env.DELIVERYBOT_REQUEST_TIMEOUT);
  const perform = createClient({
    apiUrl: vars.GITHUB_API_URL,
    token,
    userAgent: USER_AGENT,
    ...Number.isFinite(timeout) && timeout >= 1 && timeout <= 600 ? { timeoutMs: timeout * 1e3 } : {}
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
        job: env.GITHUB_JOB ?? "",
        ref_name: env.GITHUB_REF_NAME ?? ""
      }
    },
    await compiling2
  );
  let reply;
  let last = "the start";
  for (; ; ) {
    const { log: log2, next } = runStep(engine, reply, { eventName: vars.GITHUB_EVENT_NAME, after: last });
    for (const line of log2) log(line);
    if (next.type === "done") {
      if (coldLoaded()) log({ level: "debug", message: "this run needed the engine's rarely used code: it compiled dist/deliverybot.cold.wasm" });
      return finish(next, env);
    }
    log({ level: "debug", message: `${next.method} ${next.path}: ${next.purpose}` });
    last = `${next.method} ${next.path}`;
    reply = await perform(next);
  }
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

// action/post.mjs
start("post");
