// Loads the WebAssembly engine that sits next to the bundle (dist/deliverybot.wasm).

import { readFileSync } from 'node:fs';
import { initSync, Engine } from '../build/pkg/deliverybot_wasm.js';

let ready = false;

export function createEngine(invocation) {
  if (!ready) {
    initSync({ module: readFileSync(new URL('./deliverybot.wasm', import.meta.url)) });
    ready = true;
  }
  return new Engine(invocation);
}
