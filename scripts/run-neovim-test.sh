#!/usr/bin/env bash
# Second real LSP client: headless Neovim (Debian's 0.7.2) drives the bundled server over stdio and
# checks diagnostics, completion, a code action, doveconf, references, range formatting and selection
# ranges (test/neovim/lsp-check.lua).
# Prints `N passed, N failed`; exits non-zero on failure. Loud SKIPPED (exit 0) if nvim is missing and
# cannot be installed (not root or no apt).
set -uo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

skip() {
  echo "##############################################################################"
  echo "# SKIPPED: Neovim LSP test: $1"
  echo "##############################################################################"
  echo "0 passed, 0 failed (skipped)"
  exit 0
}

if ! command -v nvim >/dev/null 2>&1; then
  # Debian packages are installed in one place: the project's system-deps script.
  bash "$repo/scripts/install-system-deps.sh" >&2
  command -v nvim >/dev/null 2>&1 || skip "nvim is not installed and npm run system-deps could not install neovim"
fi

if [ ! -f "$repo/dist/server.js" ]; then
  node "$repo/scripts/build.mjs" || { echo "build failed"; echo "0 passed, 1 failed"; exit 1; }
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r "$repo/test/neovim/fixtures/." "$work/"
# keep nvim's state, shada and LSP log out of $HOME
export XDG_STATE_HOME="$work/state" XDG_DATA_HOME="$work/data" XDG_CACHE_HOME="$work/cache" XDG_CONFIG_HOME="$work/config"

# The server runs with the Node options the README gives Neovim users (those the extension passes).
node_options="$(node -e 'process.stdout.write(require(process.argv[1]).join(" "))' "$repo/server/src/launcher/nodeOptions.json")"
DOVECOT_LSP_SERVER="$repo/dist/server.js" DOVECOT_TEST_FILE="$work/etc/dovecot/dovecot.conf" \
  DOVECOT_LSP_NODE_OPTIONS="$node_options" timeout 60 nvim --headless --clean -n -i NONE -u NONE -c "luafile $repo/test/neovim/lsp-check.lua" </dev/null \
  >"$work/out.txt" 2>&1
status=$?
cat "$work/out.txt"
if ! grep -Eq '^[0-9]+ passed, [0-9]+ failed$' "$work/out.txt"; then
  [ "$status" -eq 124 ] && echo "nvim timed out after 60 s"
  echo "0 passed, 1 failed"
  exit 1
fi
exit "$status"
