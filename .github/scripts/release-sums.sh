#!/usr/bin/env bash
# Writes scripts/action/release.sha256 to stdout: the SHA-256 of every release archive of VERSION
# in DIR, with the version and the URL they are downloaded from. The release workflow commits it
# on the release tag, so the action at that tag carries the checksums of its own binaries: they
# never come with the download. Its lines without '#' are the release's SHA256SUMS.
# Usage: release-sums.sh VERSION BASE_URL DIR
set -euo pipefail
[ $# -eq 3 ] || { echo "usage: $0 VERSION BASE_URL DIR" >&2; exit 2; }
version=$1 url=$2 dir=$3
sha256() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum -- "$1" | cut -d' ' -f1; else shasum -a 256 -- "$1" | cut -d' ' -f1; fi
}
cd "$dir"
lines=()
for f in hipaa-scan-"$version"-*.tar.gz hipaa-scan-"$version"-*.zip; do
  [ -f "$f" ] || continue
  lines+=("$(sha256 "$f")  $f")
done
if [ "${#lines[@]}" -eq 0 ]; then
  echo "release-sums.sh: no hipaa-scan-$version-* archive in $dir" >&2
  exit 1
fi
echo "# SHA-256 of the hipaa-scan release archives this action installs (scripts/action/install.sh)."
echo "# Written by .github/workflows/release.yml into the commit the release tag points at."
echo "# version: $version"
echo "# url: $url"
printf '%s\n' "${lines[@]}"
