#!/usr/bin/env bash
# Debian packages the real-VS-Code tests and `npm start` need: Chromium (renders the workbench and the webview),
# ripgrep (VS Code 1.100's search, put where it looks for it), the Kerberos headers code-server's native module builds
# against, and a C++ toolchain with Python for node-gyp (code-server 4.139.1's native modules are rebuilt for Node 24).
# Idempotent; uses sudo when not root.
set -euo pipefail
packages=(chromium ripgrep libkrb5-dev pkg-config build-essential python3)
if ! command -v dpkg >/dev/null || ! command -v apt-get >/dev/null; then
  for bin in rg chromium; do
    command -v "$bin" >/dev/null || echo "install-system-deps: not a Debian/Ubuntu machine; install '$bin' yourself (the tests need ${packages[*]})" >&2
  done
  exit 0
fi
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
[ ${#missing[@]} -eq 0 ] && exit 0
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
echo "install-system-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
