#!/usr/bin/env bash
# Regenerates schema/deploy.schema.json from the Rust types (crates/deliverybot-core/src/schema.rs).
# A test fails while the committed file is stale.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run --quiet --locked -p deliverybot-core --features schema --example schema > schema/deploy.schema.json
echo "wrote schema/deploy.schema.json" >&2
