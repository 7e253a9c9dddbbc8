#!/usr/bin/env bash
# Appends the scan's job summary (already under GitHub's 1 MiB limit) to the step summary.
set -euo pipefail
: "${GITHUB_STEP_SUMMARY:?}" "${SUMMARY_FILE:?}"
cat "$SUMMARY_FILE" >> "$GITHUB_STEP_SUMMARY"
