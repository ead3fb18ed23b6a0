// Loads the WebAssembly engine that sits next to the bundle (dist/deliverybot.wasm).

import { readFileSync } from 'node:fs';
import { initSync, Engine, validate as validateConfig } from '../build/pkg/deliverybot_wasm.js';

let ready = false;

function load() {
  if (!ready) {
    initSync({ module: readFileSync(new URL('./deliverybot.wasm', import.meta.url)) });
    ready = true;
  }
}

export function createEngine(invocation) {
  load();
  return new Engine(invocation);
}

/** `{ targets, problems: [{ line, column, message }] }` for a deploy.yml's text. */
export function validate(text) {
  load();
  return validateConfig(text);
}
