// The Node built-ins that every step of the action loads, for the action, the CLI and the library.
//
// Loaded with process.getBuiltinModule (Node 20.16+), not an ES `import`: importing a built-in as an
// ES module enumerates its exports, which runs their lazy getters (`fs.promises` loads the promises
// API; `http.WebSocket` loads undici). Measured on every cold start: about 2 ms for node:fs and
// 20 ms for node:http on Node 24 (bench/run.mjs); getBuiltinModule costs next to nothing.

if (typeof process.getBuiltinModule !== 'function') {
  throw new Error(`Deliverybot needs Node.js 20.16 or newer; this is ${process.version}`);
}

const fs = process.getBuiltinModule('node:fs');
export const { readFileSync, appendFileSync, readdirSync } = fs;

/**
 * The bytes of the regular file at `path`, read no further than `limit` bytes. Anything else is
 * refused before a byte is read: a device such as /dev/zero would be read until memory runs out, a
 * FIFO would wait for a writer. Throws an error whose message says why (`code`: the system's, or
 * `ENOTREG`, or `EFBIG` for a file larger than `limit`).
 */
export function readRegularFile(path, limit) {
  // Opened without blocking: opening a FIFO for reading would otherwise wait for a writer.
  const fd = fs.openSync(path, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) throw Object.assign(new Error(`not a regular file (${fileKind(stat)})`), { code: 'ENOTREG' });
    // Up to one byte past the limit, to tell a file at the limit from a larger one; the size that
    // stat gives is not trusted (files under /proc say 0, a file may grow).
    const chunks = [];
    let length = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(limit + 1 - length, 1 << 16));
      const read = fs.readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) break;
      chunks.push(chunk.subarray(0, read));
      length += read;
      if (length > limit) throw Object.assign(new Error(`larger than ${limit} bytes, the limit`), { code: 'EFBIG' });
    }
    return Buffer.concat(chunks, length);
  } finally {
    fs.closeSync(fd);
  }
}

function fileKind(stat) {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  return 'not a file';
}

/** `node:http` or `node:https`, whichever the API URL needs: node:https (TLS) costs milliseconds. */
export function transport(protocol) {
  return process.getBuiltinModule(protocol === 'http:' ? 'node:http' : 'node:https');
}
