#!/usr/bin/env bash
# Prints one version's section of CHANGELOG.md without its heading: the release notes.
# Usage: changelog-section.sh VERSION [CHANGELOG]   (VERSION as in "## [0.2.0] - 2026-12-01",
# or Unreleased). Fails when the section is missing or empty, so a tag cannot ship without notes.
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 VERSION [CHANGELOG]" >&2; exit 2; }
version=$1
file=${2:-$(dirname "$0")/../../CHANGELOG.md}
notes=$(awk -v v="$version" '
  /^## / {
    if (on) exit
    h = $0
    sub(/^## \[?/, "", h)
    sub(/[] ].*$/, "", h)
    on = (h == v)
    next
  }
  on { print }
' "$file" | sed -e '/./,$!d') # from the first line with text; $( ) drops the trailing blank lines
if [ -z "${notes//[[:space:]]/}" ]; then
  echo "changelog-section.sh: no notes for $version in $file (a '## [$version] - DATE' section)" >&2
  exit 1
fi
printf '%s\n' "$notes"
