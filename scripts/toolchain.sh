# Shared by scripts/setup.sh and scripts/build.sh: which Rust toolchain builds the wasm32 engine.
#
# Route 1 (preferred): rustup's toolchain with the wasm32-unknown-unknown target added.
# Route 2 (fallback): Debian's rustc-web, building the standard library from source (-Z build-std).
# The route changes the bytes of the .wasm, so dist/ is committed from route 1; route 2 exists so a
# machine without rustup downloads can still build and test.

export PATH="$HOME/.cargo/bin:$PATH"
TOOLCHAIN_DEBIAN_CARGO=/usr/bin/cargo

toolchain_route() {
  if command -v rustup >/dev/null 2>&1 && rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    echo rustup
  elif [ -x "$TOOLCHAIN_DEBIAN_CARGO" ] && [ -d /usr/lib/rustlib/src/rust ]; then
    echo debian
  else
    echo none
  fi
}

toolchain_describe() {
  case "$(toolchain_route)" in
    rustup) echo "rustup, $(rustc --version)" ;;
    debian) echo "Debian rustc-web, $(/usr/bin/rustc --version)" ;;
    none) echo "no wasm32 toolchain" ;;
  esac
}

toolchain_cargo() {
  case "$(toolchain_route)" in
    rustup) cargo "$@" ;;
    debian) RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 "$TOOLCHAIN_DEBIAN_CARGO" "$@" -Z build-std=std,panic_abort ;;
    none) echo "error: no wasm32 toolchain; run scripts/setup.sh" >&2; return 1 ;;
  esac
}
