#!/usr/bin/env bash
# Installs code-server (VS Code 1.100.3's server build, from npm) into .vscode-test/code-server, offline-safe:
# its own postinstall downloads ripgrep from GitHub and refuses root, so we run the steps by hand and point VS Code
# at Debian's ripgrep. Idempotent: a version stamp makes a second run a no-op.
# System packages (chromium, ripgrep, libkrb5-dev) come from scripts/install-system-deps.sh.
set -euo pipefail
VERSION=4.100.3
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="${COMET_CODE_SERVER_ROOT:-$ROOT/.vscode-test/code-server}"
STAMP="$DEST/.installed-$VERSION"
[ -f "$STAMP" ] && exit 0

for bin in rg chromium; do
  command -v "$bin" >/dev/null || { echo "setup-code-server: '$bin' is missing; run scripts/install-system-deps.sh (as root)" >&2; exit 1; }
done

echo "setup-code-server: installing code-server $VERSION into $DEST (one time, a few minutes)"
mkdir -p "$DEST" && cd "$DEST"
[ -f package.json ] || echo '{"name":"comet-code-server","private":true}' > package.json
npm install --no-audit --no-fund --ignore-scripts "code-server@$VERSION" >/dev/null
cd node_modules/code-server/lib/vscode
npm install --no-audit --no-fund --omit=dev --ignore-scripts >/dev/null
mkdir -p node_modules/@vscode/ripgrep/bin
ln -sf "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
# Build the native modules VS Code needs (node-pty, spdlog, kerberos, ...); not ripgrep, whose script downloads.
npm_config_yes=true npm rebuild $(node -p "Object.keys(require('./package.json').dependencies).filter(n => n !== '@vscode/ripgrep').join(' ')") >/dev/null
ln -sfn node_modules node_modules.asar
(cd bin/remote-cli && ln -sf code-linux.sh code-server)
(cd bin/helpers && ln -sf browser-linux.sh browser.sh)
(cd extensions && npm install --no-audit --no-fund --omit=dev >/dev/null)
cd "$DEST" && npm rebuild argon2 >/dev/null
"$DEST/node_modules/.bin/code-server" --version
touch "$STAMP"
