#!/usr/bin/env bash
# AWS Organizations benchmark against moto: seeds MEMBERS member accounts (default 50) with a
# small estate each, then times one `scan aws --organization` job against SHARDS jobs
# (default 4, run at once as a CI matrix would) plus `hipaa-scan merge`, and checks that both
# give the same verdicts. Prints wall time, CPU, peak resident memory and API calls.
# Usage: benches/aws-org.sh [MEMBERS SHARDS]
# Needs the test tools (scripts/test installs them) or HIPAA_SCAN_TEST_TOOLS pointing at a venv
# with moto[server] and boto3, and GNU time at /usr/bin/time.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/hipaa-scan/target}"
tools="${HIPAA_SCAN_TEST_TOOLS:-$CARGO_TARGET_DIR/test-tools/bin}"
members="${1:-50}" shards="${2:-4}"
role=HipaaScanAudit

# HIPAA_SCAN_BIN=path skips the release build (e.g. to time a debug build already at hand).
bin="${HIPAA_SCAN_BIN:-}"
if [ -z "$bin" ]; then
  cargo build --release --locked --quiet --bin hipaa-scan
  bin="$CARGO_TARGET_DIR/release/hipaa-scan"
fi
work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
MOTO_IAM_LOAD_MANAGED_POLICIES=true MOTO_EC2_LOAD_DEFAULT_AMIS=false \
  "$tools/moto_server" -H 127.0.0.1 -p "$port" 2> "$work/moto.log" &
moto=$!
trap 'kill $moto 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/moto-api/" >/dev/null && break; sleep 0.1; done

"$tools/python" benches/seed_org.py "http://127.0.0.1:$port" "$members" "$role" > /dev/null
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_EC2_METADATA_DISABLED=true
scan=("$bin" scan aws --endpoint-url "http://127.0.0.1:$port" --region us-east-1
      --organization --assume-role "$role" --format json --fail-on none)
calls() { grep -c '" [0-9][0-9][0-9] ' "$work/moto.log" || true; }
report() { # label, time file
  printf '%-28s %s, CPU %.1f s, peak RSS %s MB\n' "$1" \
    "$(grep -F 'Elapsed (wall clock)' "$2" | sed 's/.*: //')" \
    "$(awk -F': ' '/User time|System time/ {s += $2} END {print s}' "$2")" \
    "$(awk -F': ' '/Maximum resident/ {print int($2 / 1024)}' "$2")"
}

before=$(calls)
/usr/bin/time -v "${scan[@]}" --output "json=$work/whole.json" > /dev/null 2> "$work/whole.time" || true
one_calls=$(( $(calls) - before ))

before=$(calls)
start=$(date +%s.%N)
pids=()
for k in $(seq "$shards"); do
  /usr/bin/time -v "${scan[@]}" --shard "$k/$shards" --output "json=$work/shard-$k.json" \
    > /dev/null 2> "$work/shard-$k.time" &
  pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || true; done
end=$(date +%s.%N)
shard_calls=$(( $(calls) - before ))
files=()
for k in $(seq "$shards"); do files+=("$work/shard-$k.json"); done
/usr/bin/time -v "$bin" merge "${files[@]}" --expect-shards "$shards" --format json --fail-on none \
  --output "json=$work/merged.json" > /dev/null 2> "$work/merge.time" || true

python3 - "$work" "$shards" <<'PY'
import collections, json, sys
work, shards = sys.argv[1], int(sys.argv[2])
def load(name):
    return json.load(open(f"{work}/{name}"))
def verdicts(d):
    return collections.Counter((v["policy"], v["resource"]["id"], v["outcome"]) for v in d["verdicts"])
whole, merged = load("whole.json"), load("merged.json")
sizes = [len(load(f"shard-{k}.json")["accounts"]) for k in range(1, shards + 1)]
print(f"accounts:                    {len(whole['accounts'])} (shards: {', '.join(map(str, sizes))})")
print(f"resources:                   {whole['summary']['resources']}, verdicts {len(whole['verdicts'])}")
print(f"merged == one job:           {verdicts(whole) == verdicts(merged) and whole['summary'] == merged['summary']}")
PY
echo "API calls:                   one job $one_calls, $shards shards $shard_calls"
report "one job:" "$work/whole.time"
printf '%-28s %.1f s wall (all at once)\n' "$shards shards:" "$(echo "$end - $start" | bc)"
for k in $(seq "$shards"); do report "  shard $k/$shards:" "$work/shard-$k.time"; done
report "merge:" "$work/merge.time"
ls -l "$work"/whole.json "$work"/shard-1.json "$work"/merged.json | awk '{printf "%-28s %d MB\n", $NF": ", $5/1048576}' | sed "s|$work/||"
