#!/usr/bin/env bash
# test/e2e/lab.sh: two real Dovecot 2.3 instances on loopback that replicate to each other.
#
#   A listens on 127.0.0.2, B on 127.0.0.3 (all of 127/8 is routed to lo), each with its own
#   base_dir, state_dir, log file and mail homes under WORKDIR/a and WORKDIR/b. Users alice@lab.test
#   and bob@lab.test (passwd-file, password "secret") run as the system user `mail` (uid 8).
#
# Usage: lab.sh [-w WORKDIR] COMMAND [ARGS]
#   init                     create WORKDIR and the test CA + certificates (idempotent; `up` runs it).
#                            Prints WORKDIR. Files: WORKDIR/certs/{ca.pem,a.crt,a.key,b.crt,b.key};
#                            each host certificate has subjectAltName IP:<its address>.
#   up                       render both configs, start A and B, re-queue a full sync on both, and wait
#                            (LAB_READY_TIMEOUT s, default 15) until both replicators report every user
#                            synced; exit 0 when ready, 3 when started but not ready, 2 on start failure.
#   deliver [-n A|B] USER [MSGID]
#                            deliver one message with dovecot-lda (default into A); prints the Message-ID.
#   wait-replicated [-n A|B] USER MSGID TIMEOUT
#                            poll the Maildir (cur/ and new/) of B (or -n) every 20 ms until MSGID is there;
#                            prints the seconds it took; exit 1 on timeout. Involves no Dovecot process.
#   has [-n A|B] USER MSGID  exit 0 if the message is in that Maildir now.
#   status                   doveadm replicator status '*' and dsync-status on A and B, and their processes.
#   doveadm A|B ARGS...      doveadm against one instance;   doveconf A|B ARGS...  the same for doveconf.
#   conf A|B                 path of the rendered dovecot.conf;   log A|B  print the instance's log.
#   down [--keep]            stop both masters (by PID) and delete WORKDIR (kept with --keep).
#
# WORKDIR: -w DIR, else $LAB_DIR, else /tmp/dovecot-e2e-lab. Absolute, at most 70 characters (unix socket
# paths under base_dir must fit in 107 bytes), every parent world-executable (mail runs as `mail`).
# Must run as root: Dovecot's master drops privileges itself.
#
# Config: templates/dovecot.conf + templates/conf.d/*.conf (no replication at all), then
#   LAB_REPLICATION=good   adds templates/replication-good/90-replication.conf (a known-good setup);
#   LAB_CONF_A / LAB_CONF_B directories: each *.conf there replaces the conf.d file of the same name or is
#                          added (e.g. a generated 90-replication.conf, or a broken variant of it).
# Placeholders substituted in every template and override file:
#   @LAB@ workdir  @NAME@ a|b  @DIR@ instance dir  @IP@  @PEER_IP@  @PORT@ doveadm port (LAB_PORT, 12345)
#   @PROTO@ tcp|tcps and @LISTENER_SSL@ no|yes (LAB_TLS=1)  @PASSWORD@ (LAB_PASSWORD)  @CA_FILE@
#   @CERT@ @KEY@ this instance's certificate/key  @MAIL_USER@ @MAIL_UID@ @MAIL_GID@  @IMAP_PORT@ (10143)
#   @PROTOCOLS@ (LAB_PROTOCOLS, default none; imap also works)  @DEBUG@ no|yes (LAB_DEBUG=1)
#   LAB_HTTP_PORT=N        adds templates/doveadm-http/20-doveadm-http.conf: the doveadm HTTP API on
#                          http://@IP@:N/doveadm/v1 (https with LAB_HTTP_SSL=1), key LAB_API_KEY
#                          (default e2e-lab-api-key); placeholders @HTTP_PORT@ @HTTP_SSL@ @API_KEY@.
#
# Pitfalls handled (see the project's notes): the master's output is never captured with $(...) (the
# daemon keeps the pipe open and the caller would hang); both replicators are re-queued with
# `doveadm replicator replicate -f '*'` once both are up (the first one started found its peer down and
# would retry only after 5 minutes); `doveadm replicator replicate` exits 0 even when the sync fails, so
# success is checked by arrival or the replicator's `failed` column.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TEMPLATES=$HERE/templates
DOVECOT=/usr/sbin/dovecot
DOVEADM=/usr/bin/doveadm
DOVECONF=/usr/bin/doveconf
LDA=/usr/lib/dovecot/dovecot-lda
MAIL_USER=mail

W=${LAB_DIR:-/tmp/dovecot-e2e-lab}
if [[ ${1:-} == -w ]]; then W=${2:?-w needs a directory}; shift 2; fi

fail() { echo "lab.sh: $*" >&2; exit 2; }
say() { echo "lab.sh: $*" >&2; }

instance() {
  case ${1:-} in a | A) echo a ;; b | B) echo b ;; *) fail "instance must be A or B, got '${1:-}'" ;; esac
}
other() { if [[ $1 == a ]]; then echo b; else echo a; fi; }
ip_of() { if [[ $1 == a ]]; then echo 127.0.0.2; else echo 127.0.0.3; fi; }
conf_of() { echo "$W/$1/etc/dovecot.conf"; }
seconds_now() { date +%s%N; }
# elapsed START_NS -> seconds with 3 decimals
elapsed() { local ns=$(($(seconds_now) - $1)); printf '%d.%03d' $((ns / 1000000000)) $((ns % 1000000000 / 1000000)); }

running_pid() {  # PID of instance $1's live master, or exit 1
  local file="$W/$1/run/master.pid" pid
  [[ -f $file ]] || return 1
  pid=$(<"$file")
  [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
  echo "$pid"
}

require_root() { [[ $EUID -eq 0 ]] || fail "must run as root (Dovecot's master drops privileges itself)"; }

require_dovecot() {
  local binary
  for binary in "$DOVECOT" "$DOVEADM" "$DOVECONF" "$LDA"; do
    [[ -x $binary ]] || fail "$binary missing: apt-get install dovecot-core dovecot-imapd"
  done
  [[ -f /usr/lib/dovecot/modules/lib20_replication_plugin.so ]] || fail "replication plugin missing (dovecot-core 2.3)"
  command -v openssl >/dev/null || fail "openssl missing"
  getent passwd dovecot dovenull "$MAIL_USER" >/dev/null || fail "system users dovecot, dovenull and $MAIL_USER are needed"
}

check_workdir() {
  [[ $W == /* && $W != *[[:space:]\|@]* ]] || fail "WORKDIR must be absolute, without spaces, '|' or '@': $W"
  ((${#W} <= 70)) || fail "WORKDIR too long for unix socket paths (max 70 characters): $W"
}

# ---------------------------------------------------------------------------- certificates --
make_certs() {
  local dir="$W/certs" x
  mkdir -p "$dir"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
    -subj "/CN=dovecot-e2e test CA" -keyout "$dir/ca.key" -out "$dir/ca.pem" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
  for x in a b; do
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=$(ip_of $x)" \
      -keyout "$dir/$x.key" -out "$dir/$x.csr" 2>/dev/null
    printf 'subjectAltName=IP:%s,DNS:%s.lab.test\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth,clientAuth\n' \
      "$(ip_of $x)" "$x" >"$dir/$x.ext"
    openssl x509 -req -in "$dir/$x.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial -days 2 \
      -extfile "$dir/$x.ext" -out "$dir/$x.crt" 2>/dev/null
    chmod 600 "$dir/$x.key"
  done
}

init() {
  check_workdir
  mkdir -p "$W"
  chmod 755 "$W"
  runuser -u "$MAIL_USER" -- test -x "$W" || fail "WORKDIR $W is not reachable by user $MAIL_USER (a parent is not world-executable)"
  [[ -f $W/certs/ca.pem && -f $W/certs/b.key ]] || make_certs
}

# ------------------------------------------------------------------------------- rendering --
render_to() {  # render_to SRC DST INSTANCE
  local x=$3 peer proto=tcp listener_ssl=no debug=no http_ssl=no uid gid
  peer=$(other "$x")
  if [[ ${LAB_TLS:-0} == 1 ]]; then proto=tcps; listener_ssl=yes; fi
  [[ ${LAB_DEBUG:-0} == 1 ]] && debug=yes
  [[ ${LAB_HTTP_SSL:-0} == 1 ]] && http_ssl=yes
  uid=$(id -u "$MAIL_USER"); gid=$(id -g "$MAIL_USER")
  sed -e "s|@LAB@|$W|g" -e "s|@NAME@|$x|g" -e "s|@DIR@|$W/$x|g" \
      -e "s|@IP@|$(ip_of "$x")|g" -e "s|@PEER_IP@|$(ip_of "$peer")|g" \
      -e "s|@PORT@|${LAB_PORT:-12345}|g" -e "s|@PROTO@|$proto|g" -e "s|@LISTENER_SSL@|$listener_ssl|g" \
      -e "s|@PASSWORD@|${LAB_PASSWORD:-e2e-lab-password}|g" -e "s|@CA_FILE@|$W/certs/ca.pem|g" \
      -e "s|@CERT@|$W/certs/$x.crt|g" -e "s|@KEY@|$W/certs/$x.key|g" \
      -e "s|@MAIL_USER@|$MAIL_USER|g" -e "s|@MAIL_UID@|$uid|g" -e "s|@MAIL_GID@|$gid|g" \
      -e "s|@IMAP_PORT@|${LAB_IMAP_PORT:-10143}|g" -e "s|@PROTOCOLS@|${LAB_PROTOCOLS:-none}|g" \
      -e "s|@HTTP_PORT@|${LAB_HTTP_PORT:-0}|g" -e "s|@HTTP_SSL@|$http_ssl|g" \
      -e "s|@API_KEY@|${LAB_API_KEY:-e2e-lab-api-key}|g" \
      -e "s|@DEBUG@|$debug|g" "$1" >"$2"
}

render() {  # render INSTANCE
  local x=$1 dir="$W/$1" var overrides file
  var="LAB_CONF_${x^^}"
  overrides=${!var:-}
  [[ -z $overrides || -d $overrides ]] || fail "$var=$overrides is not a directory"
  rm -rf "$dir/etc"
  mkdir -p "$dir/etc/conf.d" "$dir/run" "$dir/state" "$dir/log" "$dir/mail"
  render_to "$TEMPLATES/dovecot.conf" "$dir/etc/dovecot.conf" "$x"
  render_to "$TEMPLATES/users" "$dir/etc/users" "$x"
  chmod 644 "$dir/etc/users"
  for file in "$TEMPLATES"/conf.d/*.conf; do render_to "$file" "$dir/etc/conf.d/${file##*/}" "$x"; done
  if [[ ${LAB_REPLICATION:-none} == good ]]; then
    render_to "$TEMPLATES/replication-good/90-replication.conf" "$dir/etc/conf.d/90-replication.conf" "$x"
  fi
  if [[ -n ${LAB_HTTP_PORT:-} ]]; then
    render_to "$TEMPLATES/doveadm-http/20-doveadm-http.conf" "$dir/etc/conf.d/20-doveadm-http.conf" "$x"
  fi
  if [[ -n $overrides ]]; then
    for file in "$overrides"/*.conf; do
      [[ -f $file ]] && render_to "$file" "$dir/etc/conf.d/${file##*/}" "$x"
    done
  fi
  chown "$MAIL_USER:$MAIL_USER" "$dir/mail"
  chmod 750 "$dir/mail"
}

# ----------------------------------------------------------------------------- start/stop --
start() {
  local x=$1 out="$W/$1/log/startup.out" i pid
  if pid=$(running_pid "$x"); then fail "instance ${x^^} already running (pid $pid)"; fi
  # Output to a file, never $(...): the daemonised master inherits the pipe (pitfall 1).
  if ! "$DOVECOT" -c "$(conf_of "$x")" >"$out" 2>&1 </dev/null; then
    cat "$out" >&2
    fail "instance ${x^^} did not start; see $W/$x/log/dovecot.log"
  fi
  [[ -s $out ]] && cat "$out" >&2
  for ((i = 0; i < 200; i++)); do
    if running_pid "$x" >/dev/null && [[ -S $W/$x/run/doveadm-server ]]; then return 0; fi
    sleep 0.05
  done
  fail "instance ${x^^} did not come up within 10 s; see $W/$x/log/dovecot.log"
}

child_pids() {  # child_pids PID: direct children, read from /proc
  local stat fields
  for stat in /proc/[0-9]*/stat; do
    { fields=$(<"$stat"); } 2>/dev/null || continue
    fields=${fields##*) }              # drop "pid (comm) ", comm may hold spaces
    read -r _state ppid _rest <<<"$fields"
    if [[ $ppid == "$1" ]]; then stat=${stat#/proc/}; echo "${stat%/stat}"; fi
  done
}

processes() {  # processes INSTANCE: the master and its children, one "pid state title" line each
  local master pid
  master=$(running_pid "$1") || { echo "(master not running)"; return 0; }
  for pid in "$master" $(child_pids "$master"); do
    { echo "$pid $(cut -d' ' -f3 "/proc/$pid/stat") $(tr '\0' ' ' <"/proc/$pid/cmdline")"; } 2>/dev/null || true
  done
}

stop() {  # stop INSTANCE...: SIGTERM every master first, then wait for each (they take ~3 s)
  local x pid children="" child i
  local -a masters=()
  for x in "$@"; do
    pid=$(running_pid "$x") || continue
    masters+=("$pid")
    children+=" $(child_pids "$pid")"
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${masters[@]}"; do
    for ((i = 0; i < 300; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      # A child the master started after the first look would outlive it holding a listener: look again.
      ((i % 10 == 9)) && children+=" $(child_pids "$pid")"
      sleep 0.05
    done
    if kill -0 "$pid" 2>/dev/null; then say "master $pid ignored SIGTERM for 15 s, killing it"; kill -KILL "$pid" 2>/dev/null || true; fi
  done
  for child in $children; do
    for ((i = 0; i < 100; i++)); do kill -0 "$child" 2>/dev/null || break; sleep 0.05; done
    kill -KILL "$child" 2>/dev/null || true
  done
  for x in "$@"; do rm -f "$W/$x/run/master.pid"; done
}

# Every user known to the replicator has synced successfully and none is marked failed.
synced() {
  "$DOVEADM" -c "$(conf_of "$1")" replicator status '*' 2>/dev/null |
    awk 'NR > 1 { users++; if ($5 == "-" || $6 != "-") bad++ } END { exit !(users > 0 && bad == 0) }'
}

wait_ready() {
  local start deadline
  start=$(seconds_now)
  deadline=$((start + ${LAB_READY_TIMEOUT:-15} * 1000000000))
  until synced a && synced b; do
    (($(seconds_now) < deadline)) || return 1
    sleep 0.1
  done
}

up() {
  require_root
  require_dovecot
  if running_pid a >/dev/null || running_pid b >/dev/null; then fail "lab already running in $W (lab.sh down first)"; fi
  init
  render a
  render b
  start a
  start b
  say "A (127.0.0.2) and B (127.0.0.3) running in $W"
  # Pitfall 2: the replicator started first found its peer down; re-queue everything now.
  "$DOVEADM" -c "$(conf_of a)" replicator replicate -f '*' >/dev/null 2>&1 || true
  "$DOVEADM" -c "$(conf_of b)" replicator replicate -f '*' >/dev/null 2>&1 || true
  if wait_ready; then
    say "initial full sync done on A and B"
  else
    say "WARNING: replicators not in sync after ${LAB_READY_TIMEOUT:-15} s (broken config?): lab.sh status / lab.sh log A"
    exit 3
  fi
}

# ---------------------------------------------------------------------------------- mail --
maildir() { echo "$W/$1/mail/$2/Maildir"; }

has_message() {  # has_message INSTANCE USER MSGID -- a file check only, triggers nothing
  local dir
  dir=$(maildir "$1" "$2")
  [[ -d $dir ]] || return 1
  grep -rlqsF --exclude-dir=tmp -e "$3" "$dir"
}

deliver() {
  local x=a user msgid
  if [[ ${1:-} == -n ]]; then x=$(instance "${2:-}"); shift 2; fi
  user=${1:?deliver needs USER}
  msgid=${2:-<e2e-$(date +%s%N)-$RANDOM@lab.test>}
  printf 'From: sender@lab.test\nTo: %s\nSubject: e2e %s\nDate: %s\nMessage-ID: %s\n\nDelivered on %s.\n' \
    "$user" "$msgid" "$(date -R)" "$msgid" "${x^^}" |
    "$LDA" -c "$(conf_of "$x")" -d "$user" -f sender@lab.test -m INBOX
  echo "$msgid"
}

wait_replicated() {
  local x=b user msgid timeout start deadline
  if [[ ${1:-} == -n ]]; then x=$(instance "${2:-}"); shift 2; fi
  user=${1:?USER}; msgid=${2:?MSGID}; timeout=${3:?TIMEOUT (seconds)}
  [[ $timeout =~ ^[0-9]+$ ]] || fail "TIMEOUT must be whole seconds, got '$timeout'"
  start=$(seconds_now)
  deadline=$((start + timeout * 1000000000))
  until has_message "$x" "$user" "$msgid"; do
    if (($(seconds_now) >= deadline)); then
      echo "lab.sh: $msgid not on ${x^^} for $user after ${timeout}s" >&2
      return 1
    fi
    sleep 0.02
  done
  elapsed "$start"; echo
}

# ---------------------------------------------------------------------------------- main --
command=${1:-help}
shift || true
case $command in
  init) require_root; init; echo "$W" ;;
  up) up ;;
  down)
    require_root
    stop a b
    if [[ ${1:-} == --keep ]]; then say "stopped; kept $W"; else rm -rf "$W"; say "stopped; removed $W"; fi
    ;;
  deliver) deliver "$@" ;;
  wait-replicated) wait_replicated "$@" ;;
  has)
    x=b
    if [[ ${1:-} == -n ]]; then x=$(instance "${2:-}"); shift 2; fi
    has_message "$x" "${1:?USER}" "${2:?MSGID}"
    ;;
  status)
    for x in a b; do
      echo "== ${x^^} ($(ip_of $x))"
      # Bounded: this also describes an instance that has stopped answering.
      timeout 5 "$DOVEADM" -c "$(conf_of $x)" replicator status '*' || true
      timeout 5 "$DOVEADM" -c "$(conf_of $x)" replicator dsync-status || true
      processes "$x"
    done
    ;;
  doveadm) x=$(instance "${1:-}"); shift; exec "$DOVEADM" -c "$(conf_of "$x")" "$@" ;;
  doveconf) x=$(instance "${1:-}"); shift; exec "$DOVECONF" -c "$(conf_of "$x")" "$@" ;;
  conf) conf_of "$(instance "${1:-}")" ;;
  log) cat "$W/$(instance "${1:-}")/log/dovecot.log" ;;
  help | -h | --help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}" ;;
  *) fail "unknown command '$command' (lab.sh help)" ;;
esac
