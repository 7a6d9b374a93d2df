#!/usr/bin/env bash
# Installs what Stride needs to build, run and test, and skips whatever is already there.
# Sourced by scripts/run and scripts/test. Everything comes from the package registries:
# rustup (the wasm32 target), crates.io (cargo-leptos, wasm-bindgen-cli), Debian (chromium,
# chromium-driver) and npm (end2end/: Playwright and binaryen for wasm-opt; web/: Leaflet). No browser,
# toolchain or binary is downloaded from anywhere else.
set -euo pipefail

STRIDE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CARGO_LEPTOS_VERSION="0.3.10"
# Must equal the `wasm-bindgen = "=…"` pin in Cargo.toml: cargo-leptos runs this CLI with no check.
WASM_BINDGEN_VERSION="0.2.130"

export PATH="$HOME/.cargo/bin:$PATH"
# Build output lives outside the clone so that a fresh clone reuses it; nothing depends on it.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/stride/target}"
# Incremental caches grow by gigabytes per build and buy little for one full test run.
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"

say() { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

setup_rust() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  for component in clippy rustfmt; do
    if ! rustup component list --installed | grep -q "^$component"; then
      say "adding rustup component $component"
      rustup component add "$component"
    fi
  done
  if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
    say "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 10 minutes on 2 cores, once)"
    cargo install cargo-leptos --locked --version "$CARGO_LEPTOS_VERSION"
  fi
  if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
    say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
    # Not --locked: its lock file names a crate version the registry no longer has.
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
  fi
}

setup_chromium() {
  if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    say "installing Debian's chromium and chromium-driver"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver
  fi
}

# PostgreSQL, for the database tests that run on both SQLite and PostgreSQL (issue 6).
setup_postgres() {
  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    say "installing Debian's postgresql (for the PostgreSQL half of the database tests)"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql
  fi
}

# Starts a throwaway PostgreSQL cluster in folder $1 on 127.0.0.1 and a free port, and exports
# STRIDE_TEST_POSTGRES_URL. PostgreSQL refuses to run as root: as root, the cluster runs as the
# `postgres` user. Stop it with stride_postgres_stop $1.
stride_postgres_start() {
  local dir="$1" bin port run=()
  bin="$(dirname "$(ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -1)")"
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  mkdir -p "$dir"
  if [ "$(id -u)" -eq 0 ]; then
    chmod 755 "$dir"
    chown postgres "$dir"
    run=(runuser -u postgres --)
  fi
  "${run[@]}" "$bin/initdb" -D "$dir/pgdata" -U stride --auth=trust -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log"; return 1; }
  "${run[@]}" "$bin/pg_ctl" -D "$dir/pgdata" -l "$dir/postgres.log" -w -t 60 \
    -o "-h 127.0.0.1 -p $port -k $dir -c fsync=off -c max_connections=300" start >/dev/null \
    || { cat "$dir/postgres.log"; return 1; }
  export STRIDE_TEST_POSTGRES_URL="postgres://stride@127.0.0.1:$port/postgres"
  export STRIDE_REQUIRE_POSTGRES=1
  say "PostgreSQL test cluster on 127.0.0.1:$port"
}

stride_postgres_stop() {
  local dir="$1" bin run=()
  [ -d "$dir/pgdata" ] || return 0
  bin="$(dirname "$(ls -d /usr/lib/postgresql/*/bin/pg_ctl | sort -V | tail -1)")"
  if [ "$(id -u)" -eq 0 ]; then run=(runuser -u postgres --); fi
  "${run[@]}" "$bin/pg_ctl" -D "$dir/pgdata" -m immediate stop >/dev/null 2>&1 || true
}

setup_npm() {
  local dir="$STRIDE_ROOT/end2end"
  local stamp="$dir/node_modules/.stride-lock"
  if [ ! -f "$stamp" ] || ! cmp -s "$dir/package-lock.json" "$stamp"; then
    say "installing end2end npm packages (Playwright, binaryen)"
    (cd "$dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
    cp "$dir/package-lock.json" "$stamp"
  fi
  # cargo-leptos runs the first wasm-opt on PATH. Debian's binaryen makes wasm that never hydrates,
  # so npm's binaryen goes first.
  export PATH="$dir/node_modules/.bin:$PATH"
}

# Browser libraries the site serves (web/package.json, pinned: Leaflet for the run map), from npm
# into public/vendor/, which the build copies into the site. Not in git: npm keeps them.
setup_web_vendor() {
  local dir="$STRIDE_ROOT/web" out="$STRIDE_ROOT/public/vendor/leaflet"
  local stamp="$dir/node_modules/.stride-lock"
  if [ ! -f "$stamp" ] || ! cmp -s "$dir/package-lock.json" "$stamp"; then
    say "installing the site's browser libraries (Leaflet) from npm"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    cp "$dir/package-lock.json" "$stamp"
  fi
  local dist="$dir/node_modules/leaflet/dist"
  if ! cmp -s "$dist/leaflet.js" "$out/leaflet.js" 2>/dev/null; then
    rm -rf "$out"
    mkdir -p "$out"
    cp -r "$dist/leaflet.js" "$dist/leaflet.css" "$dist/images" "$dir/node_modules/leaflet/LICENSE" "$out/"
  fi
}

# Cargo identifies this workspace's crates by their path inside the workspace, so the build of
# another clone sharing CARGO_TARGET_DIR looks up to date here whenever this clone's files are
# older than it. When the last build came from another clone, touch our sources so cargo rebuilds
# our crates (dependencies stay cached).
claim_target_dir() {
  local stamp="$CARGO_TARGET_DIR/.stride-root"
  mkdir -p "$CARGO_TARGET_DIR"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$STRIDE_ROOT" ]; then
    find "$STRIDE_ROOT/Cargo.toml" "$STRIDE_ROOT"/{analysis,app,frontend,server,migrations} \
      -type f -not -path '*/target/*' -exec touch {} +
    printf '%s\n' "$STRIDE_ROOT" > "$stamp"
  fi
}

# A shared target folder only grows: every change of a workspace crate leaves another copy of its
# test executables and libraries (hundreds of MB each), and a failed link leaves its object files.
# Keep the newest few of each and drop the rest, so the cache stays a cache and never fills the
# disk (a rebuild of what was dropped is the worst case).
trim_target_dir() {
  local deps name
  for deps in "$CARGO_TARGET_DIR"/*/deps "$CARGO_TARGET_DIR"/*/*/deps "$CARGO_TARGET_DIR"/*/*/*/deps; do
    [ -d "$deps" ] || continue
    if [ "$CARGO_INCREMENTAL" = 0 ]; then rm -rf "${deps%/deps}/incremental"; fi
    find "$deps" -maxdepth 1 -name '*.rcgu.o' -mmin +60 -delete
    for name in $(find "$deps" -maxdepth 1 -type f -perm -u+x -printf '%f\n' |
      sed -nE 's/^([a-z0-9_]+)-[0-9a-f]{16}$/\1/p' | sort -u) \
      libanalysis libapp libstride libfrontend libbench_wasm; do
      # newest first; keep three (different feature sets of one crate live side by side)
      ls -t "$deps/$name"-???????????????? "$deps/$name"-????????????????.{rlib,rmeta,so,wasm} \
        2>/dev/null | awk -F/ '{ f = $NF; sub(/\.[a-z]+$/, "", f); if (!(f in seen)) { seen[f] = 1; n++ }
          if (n > 3) print }' | xargs -r rm -f || true
    done
  done
}

stride_setup() {
  claim_target_dir
  trim_target_dir
  setup_rust
  setup_chromium
  setup_postgres
  setup_npm
  setup_web_vendor
}
