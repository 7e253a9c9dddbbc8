#!/usr/bin/env bash
# Runs the scan for the action and keeps its exit code: the gate step decides, after the SARIF
# upload and the job summary, whether the job fails. Inputs arrive as INPUT_* variables.
set -uo pipefail
: "${GITHUB_OUTPUT:?}"

bin="${HIPAA_SCAN_BIN:-hipaa-scan}"
work="${RUNNER_TEMP:-/tmp}/hipaa-scan-run"
mkdir -p "$work"
sarif="${INPUT_SARIF_FILE:-hipaa-scan.sarif}"
results="${INPUT_RESULTS_FILE:-$work/results.json}"

list() { tr ',\n' '  ' <<< "$1"; }

args=(scan)
case "${INPUT_PROVIDER:-}" in
  merge)
    args=(merge)
    # Globs are expanded here, on purpose: results of a matrix arrive as artifacts.
    # shellcheck disable=SC2086
    for f in $(list "${INPUT_RESULTS:-}"); do args+=("$f"); done
    [ -n "${INPUT_EXPECT_SHARDS:-}" ] && args+=(--expect-shards "$INPUT_EXPECT_SHARDS")
    ;;
  snapshot)
    for f in $(list "${INPUT_SNAPSHOT:-}"); do args+=(--snapshot "$f"); done
    ;;
  aws)
    args+=(aws)
    for r in $(list "${INPUT_REGIONS:-}"); do args+=(--region "$r"); done
    ;;
  gcp)
    args+=(gcp)
    for p in $(list "${INPUT_PROJECTS:-}"); do args+=(--project "$p"); done
    ;;
  azure)
    args+=(azure)
    for s in $(list "${INPUT_SUBSCRIPTIONS:-}"); do args+=(--subscription "$s"); done
    ;;
  *)
    echo "::error title=hipaa-scan::provider must be aws, gcp, azure, snapshot or merge, not '${INPUT_PROVIDER:-}'"
    echo "exit-code=2" >> "$GITHUB_OUTPUT"
    exit 0
    ;;
esac
[ -n "${INPUT_SHARD:-}" ] && args+=(--shard "$INPUT_SHARD")
[ -n "${INPUT_POLICIES:-}" ] && args+=(--policies "$INPUT_POLICIES")
[ -n "${INPUT_CONFIG:-}" ] && args+=(--config "$INPUT_CONFIG")
[ -n "${INPUT_WAIVERS:-}" ] && args+=(--waivers "$INPUT_WAIVERS")
[ -n "${INPUT_BASELINE:-}" ] && args+=(--baseline "$INPUT_BASELINE")
[ "${INPUT_FAIL_ON_NEW:-false}" = true ] && args+=(--fail-on-new)
args+=(
  --fail-on "${INPUT_FAIL_ON:-high}"
  --format text --color never --no-step-summary
  --output "sarif=$sarif"
  --output "json=$results"
  --output "github-summary=$work/summary.md"
  --output "github-outputs=$work/outputs.txt"
)

# Only this run's files may be reported or uploaded: a SARIF left by an earlier step is removed.
rm -f "$sarif" "$work/outputs.txt" "$work/summary.md" "$results"
"$bin" "${args[@]}"
code=$?

{
  if [ -f "$work/outputs.txt" ]; then grep -v '^exit-code=' "$work/outputs.txt"; fi
  echo "exit-code=$code"
  if [ -f "$sarif" ] && [ "$code" != 2 ]; then echo "sarif-file=$sarif"; fi
  if [ -f "$work/summary.md" ]; then echo "summary-file=$work/summary.md"; fi
  if [ -f "$results" ]; then echo "results-file=$results"; fi
} >> "$GITHUB_OUTPUT"
exit 0
