#!/usr/bin/env bash
# Builds Dovecot 2.4.4 and Pigeonhole 2.4.4 from source into /opt/dovecot-2.4.4, so that the live 2.4
# oracle tier can compare our analysis with the real `doveconf`. It never downloads anything.
#
# Usage:
#   scripts/build-dovecot24.sh CORE PIGEONHOLE
# where CORE and PIGEONHOLE are each either an unpacked source tree or a bare git repository (a
# mirror of github.com/dovecot/core and github.com/dovecot/pigeonhole); from a git repository the tag
# 2.4.4 (or $DOVECOT24_TAG) is exported with `git archive`.
#
# Idempotent: a finished install (doveconf reports 2.4.4 and knows the sieve settings) is left alone;
# set DOVECOT24_REBUILD=1 to build again. Build folders live under $DOVECOT24_BUILD_DIR
# (default /tmp/dovecot24-build). Installs the Debian build dependencies when run as root.
set -euo pipefail

TAG="${DOVECOT24_TAG:-2.4.4}"
PREFIX="${DOVECOT24_PREFIX:-/opt/dovecot-$TAG}"
BUILD_DIR="${DOVECOT24_BUILD_DIR:-/tmp/dovecot24-build}"
JOBS="${DOVECOT24_JOBS:-2}"
BUILD_DEPS="autoconf automake libtool bison flex gettext pkg-config make gcc g++ libssl-dev zlib1g-dev unicode-data python3"
UCD_FILES="CaseFolding CompositionExclusions DerivedCoreProperties DerivedNormalizationProps emoji-data GraphemeBreakProperty GraphemeBreakTest PropertyValueAliases PropList SpecialCasing UnicodeData WordBreakProperty"

die() { echo "build-dovecot24: $*" >&2; exit 1; }
step() { echo "== build-dovecot24: $*"; }

[ $# -eq 2 ] || die "usage: $0 CORE_SOURCE_OR_GIT_REPO PIGEONHOLE_SOURCE_OR_GIT_REPO"
CORE_SRC="$1"
PIGEONHOLE_SRC="$2"

core_is_built() {
  [ -x "$PREFIX/sbin/dovecot" ] && "$PREFIX/sbin/dovecot" --version 2>/dev/null | grep -q "^$TAG "
}

already_built() {
  [ -x "$PREFIX/bin/doveconf" ] || return 1
  local cfg
  cfg="$(mktemp)"
  printf 'dovecot_config_version = %s\ndovecot_storage_version = %s\n' "$TAG" "$TAG" >"$cfg"
  local ok=1
  "$PREFIX/bin/doveconf" -c "$cfg" -a 2>/dev/null | grep -q '^sieve_' && ok=0
  core_is_built || ok=1
  rm -f "$cfg"
  return $ok
}

if [ "${DOVECOT24_REBUILD:-0}" != 1 ] && already_built; then
  step "$PREFIX already holds Dovecot $TAG with Pigeonhole; nothing to do (DOVECOT24_REBUILD=1 rebuilds)"
  exit 0
fi

install_build_deps() {
  local missing="" pkg
  for pkg in $BUILD_DEPS; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing="$missing $pkg"
  done
  [ -z "$missing" ] && return 0
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    die "missing build dependencies:$missing (run as root with apt-get, or install them)"
  fi
  step "installing build dependencies:$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null || echo "WARNING: apt-get update failed" >&2
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing
}

# Puts the sources of $1 (tree or git repository) into the empty folder $2.
unpack() {
  local src="$1" dest="$2"
  rm -rf "$dest"
  mkdir -p "$dest"
  if git -C "$src" rev-parse --git-dir >/dev/null 2>&1 && git -C "$src" rev-parse -q --verify "refs/tags/$TAG" >/dev/null; then
    step "exporting tag $TAG of $src"
    git -C "$src" archive "$TAG" | tar x -C "$dest"
  elif [ -f "$src/configure.ac" ]; then
    step "copying source tree $src"
    cp -a "$src/." "$dest/"
  else
    die "$src is neither a source tree (no configure.ac) nor a git repository with tag $TAG"
  fi
}

# A git export lacks the Unicode data files a release tarball carries; its Makefile would download them.
provide_unicode_data() {
  local ucd="$1/src/lib/ucd" name found
  mkdir -p "$ucd"
  for name in $UCD_FILES; do
    [ -s "$ucd/$name.txt" ] && continue
    found="$(find /usr/share/unicode -name "$name.txt" -print -quit 2>/dev/null || true)"
    [ -n "$found" ] || die "$name.txt not found under /usr/share/unicode (install the unicode-data package)"
    cp "$found" "$ucd/$name.txt"
  done
  # Only the (skipped) normalization unit test reads this one; an empty file keeps make from fetching it.
  [ -e "$ucd/NormalizationTest.txt" ] || : >"$ucd/NormalizationTest.txt"
}

build_core() {
  local dir="$BUILD_DIR/core"
  unpack "$CORE_SRC" "$dir"
  provide_unicode_data "$dir"
  step "building Dovecot $TAG into $PREFIX"
  (cd "$dir" && ./autogen.sh >autogen.log 2>&1 \
    && ./configure --prefix="$PREFIX" --without-docs >configure.log 2>&1 \
    && make -j"$JOBS" >make.log 2>&1 \
    && make install >install.log 2>&1) \
    || die "Dovecot build failed; see the logs in $dir (autogen.log, configure.log, make.log, install.log)"
}

build_pigeonhole() {
  local dir="$BUILD_DIR/pigeonhole"
  unpack "$PIGEONHOLE_SRC" "$dir"
  step "building Pigeonhole $TAG against $PREFIX"
  (cd "$dir" && ./autogen.sh >autogen.log 2>&1 \
    && ./configure --prefix="$PREFIX" --with-dovecot="$PREFIX/lib/dovecot" --without-docs >configure.log 2>&1 \
    && make -j"$JOBS" >make.log 2>&1 \
    && make install >install.log 2>&1) \
    || die "Pigeonhole build failed; see the logs in $dir (autogen.log, configure.log, make.log, install.log)"
}

install_build_deps
mkdir -p "$BUILD_DIR"
if [ "${DOVECOT24_REBUILD:-0}" = 1 ] || ! core_is_built; then
  build_core
fi
build_pigeonhole
already_built || die "the install in $PREFIX does not report Dovecot $TAG with the sieve settings"
step "done: $PREFIX/bin/doveconf ($("$PREFIX/sbin/dovecot" --version))"
