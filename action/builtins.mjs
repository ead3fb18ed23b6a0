// The Node built-ins that every step of the action loads, for the action, the CLI and the library.
//
// Loaded with process.getBuiltinModule (Node 20.16+), not an ES `import`: importing a built-in as an
// ES module enumerates its exports, which runs their lazy getters (`fs.promises` loads the promises
// API; `http.WebSocket` loads undici). Measured on every cold start: about 2 ms for node:fs and
// 20 ms for node:http on Node 24 (bench/run.mjs); getBuiltinModule costs next to nothing.

if (typeof process.getBuiltinModule !== 'function') {
  throw new Error(`Deliverybot needs Node.js 20.16 or newer; this is ${process.version}`);
}

export const { readFileSync, appendFileSync } = process.getBuiltinModule('node:fs');

/** `node:http` or `node:https`, whichever the API URL needs: node:https (TLS) costs milliseconds. */
export function transport(protocol) {
  return process.getBuiltinModule(protocol === 'http:' ? 'node:http' : 'node:https');
}
