#!/usr/bin/env bash
# Packs one release binary as hipaa-scan-VERSION-TARGET.tar.gz (.zip for Windows), holding
# hipaa-scan-VERSION-TARGET/ with the binary, README.md and CHANGELOG.md, and prints its path.
# The release workflow runs it on every target; tests/action.rs installs what it makes.
# Usage: package.sh VERSION TARGET BINARY OUTDIR
set -euo pipefail
[ $# -eq 4 ] || { echo "usage: $0 VERSION TARGET BINARY OUTDIR" >&2; exit 2; }
version=$1 target=$2 binary=$3 out=$4
root=$(cd "$(dirname "$0")/../.." && pwd)
name="hipaa-scan-$version-$target"
exe=hipaa-scan
case "$target" in *-windows-*) exe=hipaa-scan.exe ;; esac

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir "$stage/$name"
cp "$binary" "$stage/$name/$exe"
chmod 755 "$stage/$name/$exe"
cp "$root/README.md" "$root/CHANGELOG.md" "$stage/$name/"
mkdir -p "$out"
out=$(cd "$out" && pwd)
export COPYFILE_DISABLE=1 # no macOS ._ files in the archive
case "$target" in
  *-windows-*)
    (cd "$stage" && 7z a -tzip -bd "$out/$name.zip" "$name" >/dev/null)
    echo "$out/$name.zip"
    ;;
  *)
    tar -czf "$out/$name.tar.gz" -C "$stage" "$name"
    echo "$out/$name.tar.gz"
    ;;
esac
