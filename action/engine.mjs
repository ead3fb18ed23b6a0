// Loads the WebAssembly engine that sits next to the bundle (dist/deliverybot.wasm).
//
// Values cross the boundary as JSON text: one string each way per step, parsed by the engine's
// serde_json on one side and the runtime's JSON.parse on the other. That is cheaper on a cold start
// than building objects field by field across the boundary (crates/deliverybot-wasm says by how much).

import { readFileSync } from './builtins.mjs';
import { initSync, Engine as WasmEngine, validate as validateJson } from '../build/pkg/deliverybot_wasm.js';

let ready = false;

function load() {
  if (!ready) {
    initSync({ module: readFileSync(new URL('./deliverybot.wasm', import.meta.url)) });
    ready = true;
  }
}

/** The engine for one run: `step()` first, then `step(reply)` with each request's reply. */
class Engine {
  #engine;

  constructor({ event, ...invocation }) {
    // The payload (possibly megabytes of JSON text) goes as its own string, not escaped inside the
    // invocation's JSON.
    this.#engine = new WasmEngine(JSON.stringify(invocation), event ?? '');
  }

  step(reply) {
    return JSON.parse(this.#engine.step(reply === undefined || reply === null ? undefined : JSON.stringify(reply)));
  }

  /** Frees the engine's WebAssembly memory now rather than when it is garbage-collected. */
  free() {
    this.#engine.free();
  }
}

export function createEngine(invocation) {
  load();
  return new Engine(invocation);
}

/** `{ targets, problems: [{ line, column, message }] }` for a deploy.yml's text. */
export function validate(text) {
  load();
  return JSON.parse(validateJson(text));
}
