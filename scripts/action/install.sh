#!/usr/bin/env bash
# Installs hipaa-scan for the action: the release binary for this runner, verified by SHA-256,
# when the action's version has a release; otherwise `cargo install --locked` from the action's
# own checkout. A binary already in INSTALL_DIR (restored from the cache) is reused.
#
# Environment: GITHUB_ACTION_PATH, GITHUB_OUTPUT, RUNNER_OS, RUNNER_ARCH, INSTALL_DIR,
# ACTION_REPOSITORY (owner/name of the action), and optionally HIPAA_SCAN_RELEASE_BASE_URL
# (where release assets are fetched from) and CARGO (the cargo to build with).
set -euo pipefail
: "${GITHUB_ACTION_PATH:?}" "${GITHUB_OUTPUT:?}" "${RUNNER_OS:?}" "${RUNNER_ARCH:?}" "${INSTALL_DIR:?}"

exe=hipaa-scan
case "$RUNNER_OS/$RUNNER_ARCH" in
  Linux/X64) target=x86_64-unknown-linux-gnu ;;
  Linux/ARM64) target=aarch64-unknown-linux-gnu ;;
  macOS/X64) target=x86_64-apple-darwin ;;
  macOS/ARM64) target=aarch64-apple-darwin ;;
  Windows/X64) target=x86_64-pc-windows-msvc; exe=hipaa-scan.exe ;;
  *) target="" ;;
esac

bin="$INSTALL_DIR/bin/$exe"
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$GITHUB_ACTION_PATH/Cargo.toml" | head -n 1)

sha256() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1" | cut -d' ' -f1; else shasum -a 256 "$1" | cut -d' ' -f1; fi
}

installed_version() {
  "$bin" --version 2>/dev/null | awk '{print $2}'
}

if [ -x "$bin" ] && [ "$(installed_version)" = "$version" ]; then
  echo "hipaa-scan $version restored from the cache"
elif [ -n "$target" ] && [ -n "${ACTION_REPOSITORY:-}${HIPAA_SCAN_RELEASE_BASE_URL:-}" ] && {
  base="${HIPAA_SCAN_RELEASE_BASE_URL:-https://github.com/${ACTION_REPOSITORY:-}/releases/download/v$version}"
  tmp=$(mktemp -d)
  curl -fsSL --retry 3 -o "$tmp/asset.tar.gz" "$base/hipaa-scan-$target.tar.gz"
}; then
  # A release exists: its checksum must match, or nothing is installed.
  curl -fsSL --retry 3 -o "$tmp/asset.tar.gz.sha256" "$base/hipaa-scan-$target.tar.gz.sha256"
  expected=$(cut -d' ' -f1 < "$tmp/asset.tar.gz.sha256")
  actual=$(sha256 "$tmp/asset.tar.gz")
  if [ "$expected" != "$actual" ]; then
    echo "::error title=hipaa-scan::SHA-256 mismatch for hipaa-scan-$target.tar.gz: expected $expected, got $actual" >&2
    exit 1
  fi
  mkdir -p "$INSTALL_DIR/bin"
  tar -xzf "$tmp/asset.tar.gz" -C "$INSTALL_DIR/bin" "$exe"
  chmod +x "$bin"
  echo "hipaa-scan $version installed from the release (sha256 $actual)"
else
  echo "No release binary of hipaa-scan $version for ${target:-this runner}; building it with cargo"
  "${CARGO:-cargo}" install --locked --path "$GITHUB_ACTION_PATH" --root "$INSTALL_DIR"
fi

"$bin" --version
echo "bin=$bin" >> "$GITHUB_OUTPUT"
