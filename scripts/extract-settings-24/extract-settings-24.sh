#!/usr/bin/env bash
# Writes data/dovecot/settings-2.4.4-defines.tsv: every setting definition of Dovecot 2.4.4 (struct,
# key, type, hidden flag, enum values, required setting, the name setting of a named list filter), read from the compiled definitions of a core
# build tree (src/config/all-settings.o, the list doveconf itself uses) and from the settings modules
# installed in the prefix (Pigeonhole). Both come from scripts/build-dovecot24.sh.
#   scripts/extract-settings-24/extract-settings-24.sh [CORE_BUILD_DIR] [PREFIX]
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
OUT="$HERE/../../data/dovecot/settings-2.4.4-defines.tsv"
BUILD="${1:-${DOVECOT24_BUILD_DIR:-/tmp/dovecot24-build}/core}"
PREFIX="${2:-/opt/dovecot-2.4.4}"
[ -f "$BUILD/src/config/all-settings.o" ] || { echo "extract-settings-24: no $BUILD/src/config/all-settings.o (build with scripts/build-dovecot24.sh)" >&2; exit 2; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
gcc -I"$BUILD" -I"$BUILD/src/lib" -I"$BUILD/src/lib-settings" -DHAVE_CONFIG_H -c "$HERE/print-settings.c" -o "$work/print-settings.o"
(cd "$BUILD/src/config" && gcc -rdynamic -o "$work/print-settings" "$work/print-settings.o" all-settings.o -Wl,--whole-archive .libs/libconfig.a -Wl,--no-whole-archive "$BUILD/src/lib-dovecot/.libs/libdovecot.so" -Wl,-rpath,"$BUILD/src/lib-dovecot/.libs" -ldl -lm)
modules=()
for so in "$PREFIX"/lib/dovecot/settings/*.so; do
  [ -e "$so" ] || continue
  name="$(basename "$so" .so)"; name="${name#lib}"
  modules+=("$so:$name")
done
{
  echo "# Setting definitions of Dovecot 2.4.4 + Pigeonhole 2.4.4 as compiled (scripts/extract-settings-24)."
  printf 'struct\tkey\ttype\tflags\tenum values\trequired setting\tname setting\n'
  "$work/print-settings" "${modules[@]}"
} >"$OUT"
echo "extract-settings-24: wrote $OUT ($(($(wc -l <"$OUT") - 2)) definitions; settings modules: ${modules[*]:-none})"
