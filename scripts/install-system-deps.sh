#!/usr/bin/env bash
# Installs the Debian packages the test tiers need (real Dovecot for the oracle and end-to-end tests,
# Chromium for the VS Code workbench, Neovim as a second LSP client). Idempotent. Without root or apt it
# installs nothing and says so loudly: the tests that need a missing package then report SKIPPED.
set -uo pipefail
PACKAGES="dovecot-core dovecot-imapd dovecot-lmtpd dovecot-sieve dovecot-managesieved binutils openssl neovim chromium libkrb5-dev ripgrep pre-commit"
missing=""
for pkg in $PACKAGES; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing="$missing $pkg"
done
if [ -z "$missing" ]; then
  echo "system packages: all present"
  exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "SKIPPED: cannot install Debian packages:$missing (not root or no apt-get); tests that need them will be skipped" >&2
  exit 0
fi
echo "system packages: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null || echo "WARNING: apt-get update failed" >&2
# shellcheck disable=SC2086
if ! apt-get install -y -qq --no-install-recommends $missing >/tmp/dovecot-lsp-apt.log 2>&1; then
  echo "WARNING: apt-get install failed (see /tmp/dovecot-lsp-apt.log); tests that need these packages will be skipped" >&2
fi
exit 0
