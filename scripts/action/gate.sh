#!/usr/bin/env bash
# Fails the job when the scan's exit code says so: 1 findings at or above fail-on, 2 the scan
# could not run (bad input or usage), 3 incomplete (unless fail-on-incomplete is false).
set -euo pipefail
code="${SCAN_EXIT_CODE:-}"
case "$code" in
  0)
    echo "hipaa-scan: passed (no findings at or above ${INPUT_FAIL_ON:-high})"
    ;;
  1)
    echo "::error title=hipaa-scan::findings at or above ${INPUT_FAIL_ON:-high}; see the job summary and code scanning"
    exit 1
    ;;
  3)
    if [ "${INPUT_FAIL_ON_INCOMPLETE:-true}" = true ]; then
      echo "::error title=hipaa-scan::the scan is incomplete: some checks could not run, and none of them counts as a pass"
      exit 3
    fi
    echo "::warning title=hipaa-scan::the scan is incomplete: some checks could not run"
    ;;
  *)
    echo "::error title=hipaa-scan::hipaa-scan could not run (exit ${code:-unknown}); see the Scan step's log"
    exit "${code:-2}"
    ;;
esac
