#!/usr/bin/env bash
# Builds dist/: the WebAssembly engine, the bundled action, CLI and npm library, reproducibly.
#
#   scripts/build.sh          # after scripts/setup.sh
#   scripts/build.sh js       # only the JavaScript, over the engine last built (build/pkg, dist/deliverybot.wasm)
#
# The same sources with the same pinned tools give byte-identical files (CI checks it): paths that
# would end up in the .wasm are remapped, and the JS bundle is built without timestamps.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/toolchain.sh

target=wasm32-unknown-unknown
build_engine() {
  rm -rf build/pkg
  mkdir -p build/pkg dist

  echo "build: engine → wasm32 ($(toolchain_describe))" >&2
  RUSTFLAGS="--remap-path-prefix=$PWD=/deliverybot --remap-path-prefix=${CARGO_HOME:-$HOME/.cargo}=/cargo" \
    toolchain_cargo build --quiet --release --locked --target "$target" -p deliverybot-wasm

  # JS glue and .wasm come from one wasm-bindgen run (they must agree on every import and export).
  wasm-bindgen --target web --out-dir build/pkg --out-name deliverybot_wasm \
    "target/$target/release/deliverybot_wasm.wasm"

  # Smallest code that runs: -Oz repeated while it still shrinks the module, minus debug names and
  # the producers and target-features sections (for tools; wasm-bindgen has read the latter).
  node node_modules/binaryen/bin/wasm-opt -Oz --converge --strip-debug --strip-producers --strip-target-features \
    --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
    --enable-reference-types --enable-multivalue \
    build/pkg/deliverybot_wasm_bg.wasm -o dist/deliverybot.wasm
}
[ "${1:-}" = js ] || build_engine

rm -f dist/*.mjs dist/*.cjs dist/*.d.mts dist/*.d.cts
# package.json's version, written into the bundles (action/version.mjs): nothing reads it at run time.
version=$(node -p 'require("./package.json").version')
esbuild=(node_modules/.bin/esbuild --bundle --platform=node --target=node20 --legal-comments=none --log-level=warning
  "--define:DELIVERYBOT_VERSION=\"$version\"")
# The action's main and post steps: one file each, since every extra ES module costs its own load
# on every cold start (measured: the benchmark's ratio).
"${esbuild[@]}" action/main.mjs action/post.mjs --format=esm --out-extension:.js=.mjs --outdir=dist
# The CLI and the library (for import), sharing chunks with the engine loader.
"${esbuild[@]}" action/cli.mjs action/lib.mjs --splitting --format=esm \
  --chunk-names=shared-[hash] --out-extension:.js=.mjs --outdir=dist
# The library for require(): the same code as one CommonJS file, which finds the .wasm next to itself
# through __filename where the ESM build uses import.meta.url.
"${esbuild[@]}" action/lib.mjs --format=cjs --inject:scripts/cjs-import-meta.mjs \
  --define:import.meta.url=import_meta_url --outfile=dist/lib.cjs
# Hand-written types, for import (.d.mts) and require (.d.cts).
cp action/lib.d.ts dist/lib.d.mts
cp action/lib.d.ts dist/lib.d.cts

ls -l dist >&2
