#!/usr/bin/env bash
# Writes data/dovecot/doveconf-d-2.4.4.txt: `doveconf -d -s` (every setting with its default, hidden ones and the built-in services and filters included) of the Dovecot 2.4.4 + Pigeonhole built by
# scripts/build-dovecot24.sh, run on a configuration holding only the two required version settings.
# scripts/gen-settings-24.mjs takes the setting names and defaults from it. The `# OS/Hostname` banner
# lines are left out, so the file does not depend on the machine.
set -euo pipefail
DOVECONF="${DOVECONF_24:-/opt/dovecot-2.4.4/bin/doveconf}"
OUT="$(cd "$(dirname "$0")/.." && pwd)/data/dovecot/doveconf-d-2.4.4.txt"
[ -x "$DOVECONF" ] || { echo "dump-doveconf-24: no $DOVECONF (run scripts/build-dovecot24.sh first)" >&2; exit 2; }
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
printf 'dovecot_config_version = 2.4.4\ndovecot_storage_version = 2.4.4\n' >"$dir/dovecot.conf"
(cd "$dir" && "$DOVECONF" -d -s -c dovecot.conf) | grep -v '^# OS: \|^# Hostname: ' >"$OUT"
echo "dump-doveconf-24: wrote $OUT ($(wc -l <"$OUT") lines)"
