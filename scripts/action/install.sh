#!/usr/bin/env bash
# Installs hipaa-scan for the action and prints bin=PATH to GITHUB_OUTPUT.
#
# The release binary of the action's own version is used when the action carries its checksum:
# scripts/action/release.sha256 (written by the release workflow into the commit the release tag
# points at; absent on other commits) lists the SHA-256 of every platform's archive and the URL
# they are downloaded from. The checksum never comes with the download. An archive is verified
# when downloaded and again, from the cache (INSTALL_DIR), before every use; a cached archive
# that no longer matches is discarded and downloaded again, a download that does not match stops
# the job. With no release for this runner (or no checksum for it), it builds with
# `cargo install --locked` from the action's own checkout, with only the provider's feature when
# the crate has one per cloud.
#
# Environment: GITHUB_ACTION_PATH, GITHUB_OUTPUT, RUNNER_OS, RUNNER_ARCH, INSTALL_DIR (kept by the
# cache), optionally RUNNER_TEMP, INPUT_PROVIDER and CARGO (the cargo to build with).
set -euo pipefail
: "${GITHUB_ACTION_PATH:?}" "${GITHUB_OUTPUT:?}" "${RUNNER_OS:?}" "${RUNNER_ARCH:?}" "${INSTALL_DIR:?}"

exe=hipaa-scan
ext=tar.gz
case "$RUNNER_OS/$RUNNER_ARCH" in
  Linux/X64) target=x86_64-unknown-linux-musl ;;
  Linux/ARM64) target=aarch64-unknown-linux-musl ;;
  macOS/X64) target=x86_64-apple-darwin ;;
  macOS/ARM64) target=aarch64-apple-darwin ;;
  Windows/X64) target=x86_64-pc-windows-msvc; exe=hipaa-scan.exe; ext=zip ;;
  *) target="" ;;
esac

version=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$GITHUB_ACTION_PATH/Cargo.toml" | head -n 1)
sums="$GITHUB_ACTION_PATH/scripts/action/release.sha256"
asset="hipaa-scan-$version-$target.$ext"

sha256() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum -- "$1" | cut -d' ' -f1; else shasum -a 256 -- "$1" | cut -d' ' -f1; fi
}

# The release entry for this runner, from the action's own files only.
expected=""
url=""
if [ -n "$target" ] && [ -f "$sums" ] && [ "$(sed -n 's/^# version: //p' "$sums")" = "$version" ]; then
  expected=$(awk -v f="$asset" '$2 == f || $2 == "*" f { print $1 }' "$sums" | head -n 1)
  url=$(sed -n 's/^# url: //p' "$sums" | head -n 1)
  if ! [[ "$expected" =~ ^[0-9a-f]{64}$ ]] || [ -z "$url" ]; then
    expected=""
  fi
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bin_dir="${RUNNER_TEMP:-$work}/hipaa-scan-bin"
cached="$INSTALL_DIR/$asset"
installed=""

if [ -n "$expected" ]; then
  if [ -f "$cached" ]; then
    # Verified on a private copy, which is what gets unpacked.
    cp "$cached" "$work/$asset"
    actual=$(sha256 "$work/$asset")
    if [ "$actual" = "$expected" ]; then
      echo "hipaa-scan $version: cached $asset matches its SHA-256 ($expected)"
      installed=cache
    else
      echo "::warning title=hipaa-scan::the cached $asset does not match the action's SHA-256 (expected $expected, got $actual); discarding it and downloading it again"
      rm -f "$cached" "$work/$asset"
    fi
  fi
  if [ -z "$installed" ]; then
    if curl -fsSL --retry 3 -o "$work/$asset" "$url/$asset"; then
      actual=$(sha256 "$work/$asset")
      if [ "$actual" != "$expected" ]; then
        echo "::error title=hipaa-scan::SHA-256 mismatch for $asset from $url: expected $expected (scripts/action/release.sha256), got $actual; nothing was installed" >&2
        exit 1
      fi
      mkdir -p "$INSTALL_DIR"
      cp "$work/$asset" "$cached"
      echo "hipaa-scan $version: downloaded $asset, SHA-256 verified ($actual)"
      installed=release
    else
      echo "::warning title=hipaa-scan::could not download $url/$asset; building hipaa-scan $version from source instead"
    fi
  fi
fi

if [ -n "$installed" ]; then
  rm -rf "$bin_dir"
  mkdir -p "$bin_dir"
  member="hipaa-scan-$version-$target/$exe"
  if [ "$ext" = zip ]; then
    if command -v unzip >/dev/null 2>&1; then
      unzip -q -j "$work/$asset" "$member" -d "$bin_dir"
    else
      7z e -bd -y -o"$bin_dir" "$work/$asset" "$member" >/dev/null
    fi
  else
    tar -xzf "$work/$asset" -C "$bin_dir" --strip-components=1 "$member"
  fi
  bin="$bin_dir/$exe"
  chmod +x "$bin"
else
  # No release for this runner: build from the action's own checkout, once per cache key.
  bin="$INSTALL_DIR/bin/$exe"
  if [ -x "$bin" ] && [ "$("$bin" --version 2>/dev/null | awk '{print $2}')" = "$version" ]; then
    echo "hipaa-scan $version: restored the build from the cache"
  else
    features=()
    manifest="$GITHUB_ACTION_PATH/Cargo.toml"
    has_feature() {
      awk -v f="$1" '/^\[/ { on = ($0 == "[features]") } on && $1 == f && $2 == "=" { found = 1 } END { exit !found }' "$manifest"
    }
    provider="${INPUT_PROVIDER:-}"
    if has_feature aws && has_feature gcp && has_feature azure; then
      case "$provider" in
        aws | gcp | azure) features=(--no-default-features --features "$provider") ;;
        snapshot | merge) features=(--no-default-features) ;;
      esac
    fi
    echo "No release binary of hipaa-scan $version for ${target:-$RUNNER_OS/$RUNNER_ARCH}; building it with cargo${features[*]:+ (${features[*]})}"
    "${CARGO:-cargo}" install --locked "${features[@]}" --path "$GITHUB_ACTION_PATH" --root "$INSTALL_DIR"
  fi
fi

reported=$("$bin" --version)
if [ "$reported" != "hipaa-scan $version" ]; then
  echo "::error title=hipaa-scan::$bin reports '$reported', not hipaa-scan $version" >&2
  exit 1
fi
echo "$reported ($bin)"
echo "bin=$bin" >> "$GITHUB_OUTPUT"
