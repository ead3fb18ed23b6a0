#!/usr/bin/env bash
# Builds dist/: the WebAssembly engine and the bundled action, reproducibly.
#
#   scripts/build.sh          # after scripts/setup.sh
#
# The same sources with the same pinned tools give byte-identical files (CI checks it): paths that
# would end up in the .wasm are remapped, and the JS bundle is built without timestamps.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/toolchain.sh

target=wasm32-unknown-unknown
rm -rf build/pkg
mkdir -p build/pkg dist

echo "build: engine → wasm32 ($(toolchain_describe))" >&2
RUSTFLAGS="--remap-path-prefix=$PWD=/deliverybot --remap-path-prefix=${CARGO_HOME:-$HOME/.cargo}=/cargo" \
  toolchain_cargo build --quiet --release --locked --target "$target" -p deliverybot-wasm

# JS glue and .wasm come from one wasm-bindgen run (they must agree on every import and export).
wasm-bindgen --target web --out-dir build/pkg --out-name deliverybot_wasm \
  "target/$target/release/deliverybot_wasm.wasm"

# Smallest code that runs: -Oz, minus debug names and the producers section.
node node_modules/binaryen/bin/wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
  --strip-debug --strip-producers \
  build/pkg/deliverybot_wasm_bg.wasm -o dist/deliverybot.wasm

# Entry points (the action's main and post steps, the CLI) sharing chunks with the engine loader.
rm -f dist/*.mjs
node_modules/.bin/esbuild action/main.mjs action/post.mjs action/cli.mjs --bundle --splitting --platform=node --format=esm \
  --target=node20 --legal-comments=none --log-level=warning --chunk-names=shared-[hash] --out-extension:.js=.mjs --outdir=dist

ls -l dist >&2
