#!/usr/bin/env bash
# Benchmarks Stride's FIT decoder compiled to wasm against @garmin/fitsdk and fit-file-parser, in one
# Node process on the same bytes. Builds what it needs. Usage: bench/fit.sh [FILE]
# (default: the 0.7 MB Forerunner 955 run of the shared corpus).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/setup.sh"
setup_rust
setup_npm
cd "$STRIDE_ROOT"

file="${1:-$STRIDE_ROOT/../shared/fixtures/goldencheetah/14211916346_ACTIVITY.fit}"
file="$(cd "$(dirname "$file")" && pwd)/$(basename "$file")"

cargo build -p bench-wasm --locked --target wasm32-unknown-unknown --profile wasm-release >&2
wasm-bindgen --target nodejs --out-dir bench/pkg \
  "$CARGO_TARGET_DIR/wasm32-unknown-unknown/wasm-release/bench_wasm.wasm"
echo '{ "type": "commonjs" }' > bench/pkg/package.json
# The same optimiser as the release site (cargo-leptos runs wasm-opt -Oz); -O3 for speed here.
wasm-opt -O3 --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals bench/pkg/bench_wasm_bg.wasm -o bench/pkg/bench_wasm_bg.wasm
if [ ! -d bench/node_modules ] || ! cmp -s bench/package-lock.json bench/node_modules/.stride-lock; then
  (cd bench && npm ci --no-audit --no-fund --loglevel=error >&2 && cp package-lock.json node_modules/.stride-lock)
fi
node bench/fit.mjs "$file"
