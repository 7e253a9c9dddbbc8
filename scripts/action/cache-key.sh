#!/usr/bin/env bash
# Computes where the action keeps its hipaa-scan install and the cache key for it: the runner's
# OS and architecture and a hash of the action's own sources, so a new action version rebuilds.
set -euo pipefail
: "${GITHUB_ACTION_PATH:?}" "${GITHUB_OUTPUT:?}" "${RUNNER_OS:?}" "${RUNNER_ARCH:?}"
root="${RUNNER_TOOL_CACHE:-${RUNNER_TEMP:-/tmp}}/hipaa-scan"
hash=$(cd "$GITHUB_ACTION_PATH" && find Cargo.toml Cargo.lock src policies -type f -print0 | sort -z | xargs -0 cat | sha256sum | cut -c1-16)
{
  echo "dir=$root/$hash"
  echo "key=hipaa-scan-$RUNNER_OS-$RUNNER_ARCH-$hash"
} >> "$GITHUB_OUTPUT"
