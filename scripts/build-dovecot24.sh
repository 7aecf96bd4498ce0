#!/usr/bin/env bash
# Builds Dovecot 2.4.4 and Pigeonhole 2.4.4 from source into /opt/dovecot-2.4.4, so that the live 2.4
# oracle tier can compare our analysis with the real `doveconf`. It never downloads anything.
#
# The build has the optional drivers a Debian 13 / Ubuntu admin can install as packages (dovecot-ldap,
# -pgsql, -mysql, -sqlite, -auth-lua, -gssapi, -solr, -flatcurve, and the ones built into dovecot-core:
# ICU/stemmer/textcat language support, libsodium password schemes, zstd/lz4/bzip2 compression,
# libcap, AppArmor, systemd, PAM). Their settings only exist in doveconf when the driver is built, so a
# build without them would call `pgsql`, `mysql_host` or `ldap_uris` unknown. Cassandra is left out:
# its C++ driver is not in Debian and Debian's dovecot does not build it either.
#
# Usage:
#   scripts/build-dovecot24.sh CORE PIGEONHOLE
# where CORE and PIGEONHOLE are each either an unpacked source tree or a bare git repository (a
# mirror of github.com/dovecot/core and github.com/dovecot/pigeonhole); from a git repository the tag
# 2.4.4 (or $DOVECOT24_TAG) is exported with `git archive`.
#
# Idempotent: a finished install (doveconf reports 2.4.4 and knows the sieve and driver settings) is left alone;
# set DOVECOT24_REBUILD=1 to build again. Build folders live under $DOVECOT24_BUILD_DIR
# (default /tmp/dovecot24-build). Installs the Debian build dependencies when run as root.
# DOVECOT24_REUSE_BUILD=1 skips compiling a package whose build folder already holds a finished build
# of the same tag and configure flags (after a failed later step).
# Both packages are compiled before anything is installed (Pigeonhole against the core build tree); an
# existing install in the prefix is then moved aside to $PREFIX-previous (put back if the new install
# fails its check), so the prefix is never half-built for long.
set -euo pipefail

TAG="${DOVECOT24_TAG:-2.4.4}"
PREFIX="${DOVECOT24_PREFIX:-/opt/dovecot-$TAG}"
BUILD_DIR="${DOVECOT24_BUILD_DIR:-/tmp/dovecot24-build}"
JOBS="${DOVECOT24_JOBS:-2}"
BUILD_DEPS="autoconf automake libtool bison flex gettext pkg-config make gcc g++ libssl-dev zlib1g-dev unicode-data python3"
# The libraries of the optional drivers (Debian 12 package names).
DRIVER_DEPS="libpq-dev default-libmysqlclient-dev libsqlite3-dev libldap-dev libsasl2-dev liblua5.4-dev libkrb5-dev libexpat1-dev libxapian-dev libicu-dev libstemmer-dev libexttextcat-dev libsodium-dev libzstd-dev liblz4-dev libbz2-dev libcap-dev libapparmor-dev libsystemd-dev libpam0g-dev"
# The drivers Debian's dovecot source package ships (its binary packages and build dependencies on
# packages.debian.org), with SQL, LDAP, Lua and GSSAPI as plugins as in its 2.3 debian/rules.
CORE_DRIVER_FLAGS="--with-sql=plugin --with-pgsql --with-mysql --with-sqlite --with-ldap=plugin --with-lua=plugin --with-gssapi=plugin --with-solr --with-flatcurve --with-icu --with-stemmer --with-textcat --with-sodium --with-zstd --with-lz4 --with-bzlib --with-libcap --with-apparmor --with-systemd --with-pam"
# Pigeonhole's LDAP script storage is built in: 2.4.4's --with-ldap=plugin does not compile (its generated
# settings module includes <ldap.h> only under LDAP_PLUGIN, which nothing defines). The settings are the same.
PIGEONHOLE_DRIVER_FLAGS="--with-ldap=yes"
UCD_FILES="CaseFolding CompositionExclusions DerivedCoreProperties DerivedNormalizationProps emoji-data GraphemeBreakProperty GraphemeBreakTest PropertyValueAliases PropList SpecialCasing UnicodeData WordBreakProperty"

die() { echo "build-dovecot24: $*" >&2; exit 1; }
step() { echo "== build-dovecot24: $*"; }

[ $# -eq 2 ] || die "usage: $0 CORE_SOURCE_OR_GIT_REPO PIGEONHOLE_SOURCE_OR_GIT_REPO"
CORE_SRC="$1"
PIGEONHOLE_SRC="$2"

core_is_built() {
  [ -x "$PREFIX/sbin/dovecot" ] && "$PREFIX/sbin/dovecot" --version 2>/dev/null | grep -q "^$TAG "
}

# Setting names (prefixes) that only a build with the drivers knows: sieve (Pigeonhole), the SQL drivers,
# Lua, Solr, flatcurve and the LDAP passdb.
EXPECTED_SETTINGS="sieve_script mysql_host sqlite_path pgsql lua_file fts_solr_url fts_flatcurve passdb_ldap"

already_built() {
  [ -x "$PREFIX/bin/doveconf" ] || return 1
  core_is_built || return 1
  local cfg all name ok=0
  cfg="$(mktemp)"
  printf 'dovecot_config_version = %s\ndovecot_storage_version = %s\n' "$TAG" "$TAG" >"$cfg"
  all="$("$PREFIX/bin/doveconf" -c "$cfg" -a 2>/dev/null || true)"
  rm -f "$cfg"
  for name in $EXPECTED_SETTINGS; do
    grep -q "^ *$name" <<<"$all" || { echo "build-dovecot24: $PREFIX lacks $name" >&2; ok=1; }
  done
  return $ok
}

if [ "${DOVECOT24_REBUILD:-0}" != 1 ] && already_built; then
  step "$PREFIX already holds Dovecot $TAG with Pigeonhole and the drivers; nothing to do (DOVECOT24_REBUILD=1 rebuilds)"
  exit 0
fi

install_build_deps() {
  local missing="" pkg
  for pkg in $BUILD_DEPS $DRIVER_DEPS; do
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

CORE_DIR="$BUILD_DIR/core"
PIGEONHOLE_DIR="$BUILD_DIR/pigeonhole"

# True when folder $1 holds a finished build made with the flags $2 (and DOVECOT24_REUSE_BUILD=1).
reusable_build() {
  [ "${DOVECOT24_REUSE_BUILD:-0}" = 1 ] && [ "$(cat "$1/.build-dovecot24-done" 2>/dev/null)" = "$TAG $2" ]
}

build_core() {
  if reusable_build "$CORE_DIR" "$CORE_DRIVER_FLAGS"; then
    step "reusing the finished core build in $CORE_DIR"
    return 0
  fi
  unpack "$CORE_SRC" "$CORE_DIR"
  provide_unicode_data "$CORE_DIR"
  step "compiling Dovecot $TAG for $PREFIX with: $CORE_DRIVER_FLAGS"
  # The systemd unit goes into the prefix too, so that a distribution's dovecot.service is left alone.
  # shellcheck disable=SC2086
  (cd "$CORE_DIR" && ./autogen.sh >autogen.log 2>&1 \
    && systemdsystemunitdir="$PREFIX/lib/systemd/system" \
      ./configure --prefix="$PREFIX" --without-docs $CORE_DRIVER_FLAGS >configure.log 2>&1 \
    && make -j"$JOBS" >make.log 2>&1) \
    || die "Dovecot build failed; see the logs in $CORE_DIR (autogen.log, configure.log, make.log)"
  echo "$TAG $CORE_DRIVER_FLAGS" >"$CORE_DIR/.build-dovecot24-done"
}

# Compiled against the core build tree (its dovecot-config), so nothing needs installing first.
build_pigeonhole() {
  if reusable_build "$PIGEONHOLE_DIR" "$PIGEONHOLE_DRIVER_FLAGS"; then
    step "reusing the finished Pigeonhole build in $PIGEONHOLE_DIR"
    return 0
  fi
  unpack "$PIGEONHOLE_SRC" "$PIGEONHOLE_DIR"
  step "compiling Pigeonhole $TAG against $CORE_DIR"
  # shellcheck disable=SC2086
  (cd "$PIGEONHOLE_DIR" && ./autogen.sh >autogen.log 2>&1 \
    && ./configure --prefix="$PREFIX" --with-dovecot="$CORE_DIR" --without-docs $PIGEONHOLE_DRIVER_FLAGS >configure.log 2>&1 \
    && make -j"$JOBS" >make.log 2>&1) \
    || die "Pigeonhole build failed; see the logs in $PIGEONHOLE_DIR (autogen.log, configure.log, make.log)"
  echo "$TAG $PIGEONHOLE_DRIVER_FLAGS" >"$PIGEONHOLE_DIR/.build-dovecot24-done"
}

install_both() {
  local previous="$PREFIX-previous"
  if [ -e "$PREFIX" ]; then
    rm -rf "$previous"
    step "moving the existing $PREFIX aside to $previous"
    mv "$PREFIX" "$previous"
  fi
  step "installing into $PREFIX"
  if (cd "$CORE_DIR" && make install systemdsystemunitdir="$PREFIX/lib/systemd/system" >install.log 2>&1) \
    && (cd "$PIGEONHOLE_DIR" && make install >install.log 2>&1) \
    && already_built; then
    return 0
  fi
  if [ -e "$previous" ]; then
    rm -rf "$PREFIX"
    mv "$previous" "$PREFIX"
    die "the new install failed (logs: $CORE_DIR/install.log, $PIGEONHOLE_DIR/install.log); the previous $PREFIX is back"
  fi
  die "the install in $PREFIX does not report Dovecot $TAG with the driver and sieve settings (logs: $CORE_DIR/install.log, $PIGEONHOLE_DIR/install.log)"
}

install_build_deps
mkdir -p "$BUILD_DIR"
build_core
build_pigeonhole
install_both
step "done: $PREFIX/bin/doveconf ($("$PREFIX/sbin/dovecot" --version)); the previous install, if any, is in $PREFIX-previous"
