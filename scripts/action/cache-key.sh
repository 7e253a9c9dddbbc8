#!/usr/bin/env bash
# Computes where the action keeps its hipaa-scan install (a verified release archive, or a cargo
# build) and the cache key for it: the runner's OS and architecture, a hash of the action's own
# sources and release checksums (so a new action version installs afresh), and the provider,
# whose feature a source build may be limited to.
set -euo pipefail
: "${GITHUB_ACTION_PATH:?}" "${GITHUB_OUTPUT:?}" "${RUNNER_OS:?}" "${RUNNER_ARCH:?}"
root="${RUNNER_TOOL_CACHE:-${RUNNER_TEMP:-/tmp}}/hipaa-scan"
if command -v sha256sum >/dev/null 2>&1; then sum=(sha256sum); else sum=(shasum -a 256); fi
hash=$(cd "$GITHUB_ACTION_PATH" && find Cargo.toml Cargo.lock src crates policies scripts/action -type f -print0 | sort -z | xargs -0 cat | "${sum[@]}" | cut -c1-16)
case "${INPUT_PROVIDER:-}" in
  aws | gcp | azure | snapshot | merge) provider=$INPUT_PROVIDER ;;
  *) provider="" ;;
esac
{
  echo "dir=$root/$hash-${provider:-any}"
  echo "key=hipaa-scan-$RUNNER_OS-$RUNNER_ARCH-$hash-${provider:-any}"
} >> "$GITHUB_OUTPUT"
