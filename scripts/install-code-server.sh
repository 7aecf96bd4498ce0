#!/usr/bin/env bash
# Installs code-server (VS Code's server + web workbench) from the npm registry into a cache directory
# outside the repository; Debian's chromium/libkrb5-dev/ripgrep come from install-system-deps.sh. Works offline (npm + apt only).
# Idempotent: a second run prints the entry path immediately. Prints the path of code-server's entry.js.
# Exit 3 means "cannot install here" (not root or no apt); callers turn that into a loud SKIPPED.
set -euo pipefail

CS_VERSION="${CS_VERSION:-4.100.3}"   # 4.100.x bundles VS Code 1.100.x, the last line that runs on Node 20
# @vscode/ripgrep version pinned by code-server 4.100.3 (lib/vscode/npm-shrinkwrap.json); its cache dir name depends on it
RIPGREP_PKG_VERSION=1.15.11
RIPGREP_ARCHIVE=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz
CS_PREFIX="${CS_PREFIX:-${XDG_CACHE_HOME:-$HOME/.cache}/dovecot-lsp/code-server-$CS_VERSION}"
ENTRY="$CS_PREFIX/node_modules/code-server/out/node/entry.js"

if [ -f "$CS_PREFIX/.installed" ] && [ -f "$ENTRY" ]; then
  echo "$ENTRY"
  exit 0
fi

missing_packages() {
  local missing=""
  for pkg in chromium libkrb5-dev ripgrep; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing="$missing $pkg"
  done
  echo "$missing"
}

if ! command -v dpkg >/dev/null 2>&1; then
  echo "install-code-server: dpkg not found (not a Debian system)" >&2
  exit 3
fi
if [ -n "$(missing_packages)" ]; then
  # Debian packages are installed in one place: the project's system-deps script.
  bash "$(dirname "$0")/install-system-deps.sh" >&2
  need="$(missing_packages)"
  if [ -n "$need" ]; then
    echo "install-code-server: missing Debian packages:$need (npm run system-deps could not install them)" >&2
    exit 3
  fi
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# @vscode/ripgrep's postinstall downloads rg from GitHub unless its archive is already cached in $TMPDIR;
# an archive holding Debian's rg (13.0.0) satisfies it.
mkdir -p "$work/vscode-ripgrep-cache-$RIPGREP_PKG_VERSION"
tar czf "$work/vscode-ripgrep-cache-$RIPGREP_PKG_VERSION/$RIPGREP_ARCHIVE" -C "$(dirname "$(command -v rg)")" rg

mkdir -p "$CS_PREFIX"
echo "install-code-server: installing code-server@$CS_VERSION into $CS_PREFIX (about 1 min)" >&2
# npm_config_unsafe_perm: code-server's postinstall refuses to run as root without it.
# npm_config_yes: node-pty's postinstall runs `npx node-gyp`, which a `yes=false` npmrc would cancel.
# npm_config_nodedir: node-gyp builds against the installed Node headers instead of downloading them.
if ! TMPDIR="$work" npm_config_unsafe_perm=true npm_config_yes=true npm_config_nodedir=/usr \
  npm install --prefix "$CS_PREFIX" --no-save --no-package-lock --no-audit --no-fund \
  "code-server@$CS_VERSION" >"$CS_PREFIX/install.log" 2>&1; then
  tail -40 "$CS_PREFIX/install.log" >&2
  echo "install-code-server: npm install failed, log: $CS_PREFIX/install.log" >&2
  # registry unreachable: this machine cannot install it (the caller skips); anything else is a real failure
  if grep -Eq 'ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNREFUSED|ECONNRESET' "$CS_PREFIX/install.log"; then exit 3; fi
  exit 1
fi

# code-server writes config/data under XDG dirs even for --version: keep them in the temp dir.
XDG_CONFIG_HOME="$work" XDG_DATA_HOME="$work" node "$ENTRY" --version >/dev/null
touch "$CS_PREFIX/.installed"
echo "$ENTRY"
