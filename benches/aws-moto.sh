#!/usr/bin/env bash
# End-to-end AWS scan benchmark against moto: seeds a large account, then times
# `hipaa-scan scan aws` and counts the API calls it makes per resource.
# Usage: benches/aws-moto.sh [BUCKETS USERS RDS]   (default 1000 500 200)
# Needs the test tools (scripts/test installs them) or HIPAA_SCAN_TEST_TOOLS pointing at a venv
# with moto[server] and boto3.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/hipaa-scan/target}"
tools="${HIPAA_SCAN_TEST_TOOLS:-$CARGO_TARGET_DIR/test-tools/bin}"
buckets="${1:-1000}" users="${2:-500}" dbs="${3:-200}"

# HIPAA_SCAN_BIN=path skips the release build (e.g. to time a debug build already at hand).
bin="${HIPAA_SCAN_BIN:-}"
if [ -z "$bin" ]; then
  cargo build --release --locked --quiet --bin hipaa-scan
  bin="$CARGO_TARGET_DIR/release/hipaa-scan"
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
log=$(mktemp)
MOTO_IAM_LOAD_MANAGED_POLICIES=true MOTO_EC2_LOAD_DEFAULT_AMIS=false \
  "$tools/moto_server" -H 127.0.0.1 -p "$port" 2> "$log" &
moto=$!
trap 'kill $moto 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/moto-api/" >/dev/null && break; sleep 0.1; done

"$tools/python" benches/seed_moto.py "http://127.0.0.1:$port" "$buckets" "$users" "$dbs"
before=$(grep -c '" [0-9][0-9][0-9] ' "$log" || true)
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_EC2_METADATA_DISABLED=true
/usr/bin/time -v "$bin" scan aws --endpoint-url "http://127.0.0.1:$port" --region us-east-1 \
  --format json --fail-on none > /tmp/hipaa-scan-bench.json 2> /tmp/hipaa-scan-bench.time || true
after=$(grep -c '" [0-9][0-9][0-9] ' "$log" || true)
resources=$(python3 -c 'import json; print(json.load(open("/tmp/hipaa-scan-bench.json"))["summary"]["resources"])')
calls=$((after - before))
echo "resources:          $resources"
echo "API calls:          $calls ($(python3 -c "print(round($calls / $resources, 2))") per resource)"
grep -E "Elapsed \(wall clock\)|Maximum resident set size" /tmp/hipaa-scan-bench.time | sed 's/^\t//'
