#!/usr/bin/env bash
# Load test of the upload API's list and view on loopback: `oha` with 200 concurrent clients for
# 60 s against `GET /api/v1/activities` and then 60 s against `GET /api/v1/activities/{id}`, on a
# release `stride serve` with SQLite in a throw-away folder holding 30 corpus runs. Prints
# p50/p99 latency, requests per second and every non-200 answer or error.
#
#   bench/load.sh [SECONDS] [CLIENTS]         # defaults 60 and 200
#
# Needs the release build (`cargo leptos build --release`) and oha on PATH or in $OHA
# (`cargo install oha --locked`; crates.io, built from source). Both client and server share the
# machine's cores, as they would on a 2-core box under test.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
secs="${1:-60}"
clients="${2:-200}"
bin="${STRIDE_BIN:-${CARGO_TARGET_DIR:-$root/target}/release/stride}"
oha="${OHA:-$(command -v oha || echo "$HOME/.cache/stride/tools/bin/oha")}"
port="${STRIDE_LOAD_PORT:-3188}"
base="http://127.0.0.1:$port"
data="$(mktemp -d "${TMPDIR:-/tmp}/stride-load.XXXXXX")"
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null; rm -rf "$data"; }
trap cleanup EXIT

echo 'a load-test passphrase' | "$bin" user create loadtest --password-stdin --data "$data" >/dev/null
token="$("$bin" token create loadtest --name load --data "$data" 2>/dev/null | tail -n 1)"
"$bin" serve --addr "127.0.0.1:$port" --data "$data" --site-root "$root/target/site" 2>"$data/server.log" &
server=$!
for _ in $(seq 100); do curl -fs "$base/healthz" >/dev/null && break; sleep 0.1; done

# 30 runs from the MIT/BSD corpus.
id=""
for f in $(ls "$root"/../shared/fixtures/python-fitparse/*.fit | head -n 30); do
  answer="$(curl -s -H "Authorization: Bearer $token" --data-binary @"$f" "$base/api/v1/activities")"
  case "$answer" in *'"id"'*) id="${id:-$(echo "$answer" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')}" ;; esac
done
[ -n "$id" ] || { echo "no run could be uploaded" >&2; exit 1; }
runs="$(curl -s -H "Authorization: Bearer $token" "$base/api/v1/activities?limit=100" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["activities"]))')"
echo "server: $bin, $runs runs; oha: $("$oha" --version); $(nproc) cores"

measure() {
  local label="$1" url="$2"
  "$oha" -z "${secs}s" -c "$clients" --wait-ongoing-requests-after-deadline --no-tui --output-format json \
    -H "Authorization: Bearer $token" "$url" > "$data/oha.json"
  python3 - "$label" "$data/oha.json" <<'PY'
import json, sys
label, path = sys.argv[1], sys.argv[2]
r = json.load(open(path))
s, p = r["summary"], r["latencyPercentiles"]
codes = r.get("statusCodeDistribution", {})
errors = r.get("errorDistribution", {})
total = sum(codes.values()) + sum(errors.values())
bad = {k: v for k, v in codes.items() if k != "200"}
print(f"{label}: {total} requests, {s['requestsPerSec']:.0f}/s, p50 {p['p50']*1000:.1f} ms, "
      f"p99 {p['p99']*1000:.1f} ms, max {s['slowest']*1000:.1f} ms, "
      f"non-200 {sum(bad.values())} {bad or ''}, errors {sum(errors.values())} {errors or ''}")
PY
}
measure "list (GET /api/v1/activities?limit=20)" "$base/api/v1/activities?limit=20"
measure "view (GET /api/v1/activities/{id})" "$base/api/v1/activities/$id"
