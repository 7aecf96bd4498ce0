#!/usr/bin/env bash
# Writes data/dovecot/doveconf-d-2.4.4.txt: `doveconf -d -s` (every setting with its default, hidden ones and the built-in services and filters included) of the Dovecot 2.4.4 + Pigeonhole built by
# scripts/build-dovecot24.sh, run on a configuration holding only the two required version settings.
# scripts/gen-settings-24.mjs takes the setting names and defaults from it. The `# OS/Hostname` banner
# lines are left out, so the file does not depend on the machine.
# Also writes data/dovecot/doveconf-n-2.4.4-list-probe-VERSION.txt: `doveconf -n` of a configuration that opens
# every boolean and string list at top level, and the extra_groups list of every built-in service, with one
# entry of its own (`dovecot-lint-probe = no`), for dovecot_config_version 2.4.4 and 2.4.0: what Dovecot
# starts such a block from (the entries before the probe).
# Also writes data/dovecot/doveconf-x-2.4.4-process-limit-1.txt: the built-in services for which `doveconf -x` (the
# checks Dovecot runs when it starts) rejects `process_limit = 2` with `service(NAME): process_limit must be 1`,
# every protocol enabled so that each service is checked.
# Also writes data/dovecot/doveconf-x-2.4.4-functions-as-variables.json: for each name a `%{name}` may call as a
# function (data/dovecot/var-expand-functions-2.4.json), what doveconf -x says when a setting the master expands
# at start (a service's executable) holds `%{name}` alone, and `%{name}%{dovecot_lint_probe}`: its error, or its
# `Panic: …` line when doveconf aborts (null when it expands), so that the next `%{…}` is known to be reached or not.
set -euo pipefail
DOVECONF="${DOVECONF_24:-/opt/dovecot-2.4.4/bin/doveconf}"
DATA="$(cd "$(dirname "$0")/.." && pwd)/data/dovecot"
OUT="$DATA/doveconf-d-2.4.4.txt"
[ -x "$DOVECONF" ] || { echo "dump-doveconf-24: no $DOVECONF (run scripts/build-dovecot24.sh first)" >&2; exit 2; }
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
printf 'dovecot_config_version = 2.4.4\ndovecot_storage_version = 2.4.4\n' >"$dir/dovecot.conf"
(cd "$dir" && "$DOVECONF" -d -s -c dovecot.conf) | grep -v '^# OS: \|^# Hostname: ' >"$OUT"
echo "dump-doveconf-24: wrote $OUT ($(wc -l <"$OUT") lines)"
for version in 2.4.4 2.4.0; do
  {
    printf 'dovecot_config_version = %s\ndovecot_storage_version = 2.4.4\n' "$version"
    awk -F'\t' '$3 == "SET_BOOLLIST" || $3 == "SET_STRLIST" { print $2 }' "$DATA/settings-2.4.4-defines.tsv" |
      sort -u | while read -r name; do printf '%s {\n  dovecot-lint-probe = no\n}\n' "$name"; done
    sed -n 's/^service \(.*\) {$/\1/p' "$OUT" | while read -r name; do
      printf 'service %s {\n  extra_groups {\n    dovecot-lint-probe = no\n  }\n}\n' "$name"
    done
  } >"$dir/probe.conf"
  probe="$DATA/doveconf-n-2.4.4-list-probe-$version.txt"
  (cd "$dir" && "$DOVECONF" -n -c probe.conf) | grep -v '^#' >"$probe"
  echo "dump-doveconf-24: wrote $probe ($(wc -l <"$probe") lines)"
done
limit1="$DATA/doveconf-x-2.4.4-process-limit-1.txt"
{
  echo '# Built-in services of Dovecot 2.4.4 that must run as one process: doveconf -x rejects process_limit = 2'
  echo '# for them with "service(NAME): process_limit must be 1". Written by scripts/dump-doveconf-24.sh.'
  sed -n 's/^service \(.*\) {$/\1/p' "$OUT" | while read -r name; do
    printf 'dovecot_config_version = 2.4.4\ndovecot_storage_version = 2.4.4\nprotocols = imap pop3 lmtp submission sieve\nservice %s {\n  process_limit = 2\n}\n' "$name" >"$dir/limit.conf"
    errors="$(cd "$dir" && "$DOVECONF" -x -n -c limit.conf 2>&1 >/dev/null || true)"
    case "$errors" in *"service($name): process_limit must be 1"*) echo "$name" ;; esac
  done
} >"$limit1"
echo "dump-doveconf-24: wrote $limit1 ($(grep -vc '^#' "$limit1") services)"
functions="$DATA/doveconf-x-2.4.4-functions-as-variables.json"
expansion_error() {
  printf 'dovecot_config_version = 2.4.4\ndovecot_storage_version = 2.4.4\nservice imap {\n  executable = imap %s\n}\n' "$1" >"$dir/function.conf"
  (cd "$dir" && "$DOVECONF" -x -n -c function.conf 2>&1 >/dev/null || true) |
    sed -n -e 's/^doveconf: Fatal: .* setting variables: //p' -e 's/^doveconf: \(Panic: .*\)/\1/p'
}
node -e 'for (const f of require(process.argv[1]).functions) console.log(f.name)' "$DATA/var-expand-functions-2.4.json" |
  while read -r name; do
    printf '%s\t%s\t%s\n' "$name" "$(expansion_error "%{$name}")" "$(expansion_error "%{$name}%{dovecot_lint_probe}")"
  done |
  node -e '
    const rows = require("fs").readFileSync(0, "utf8").split("\n").filter(Boolean).map((line) => line.split("\t"));
    const functions = rows.map(([name, alone, followed]) => ({ name, alone: alone || null, followed: followed || null }));
    const header = { version: "2.4.4", writtenBy: "scripts/dump-doveconf-24.sh" };
    process.stdout.write(JSON.stringify({ ...header, functions }, null, 1) + "\n");
  ' >"$functions"
echo "dump-doveconf-24: wrote $functions"
