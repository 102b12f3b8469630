#!/usr/bin/env bash
# Real servers for the live tests, private and bound to 127.0.0.1 only:
# Dovecot (IMAP/POP3/LMTP), Postfix (SMTP -> Dovecot LMTP) and PostgreSQL, all state
# under $MAILROOM_TEST_WORK (default /var/tmp/mailroom-test). The system instances
# (/etc/dovecot, /etc/postfix, the packaged PostgreSQL cluster) are never touched. dnsmasq serves the
# discovery tests' DNS zones (scripts/lib/dns.sh).
#
#   scripts/test-env.sh up             install what is missing (apt), configure, start, self-check
#   scripts/test-env.sh down [--purge] stop them all; --purge also deletes the work dir
#   scripts/test-env.sh free-ports     stop any test servers holding this environment's ports, whatever state folder
#                                      they were started from (their folders are kept)
#   scripts/test-env.sh status         what is running; exit 1 unless everything is
#   scripts/test-env.sh env            `export` lines for the tests: eval "$(scripts/test-env.sh env)"
#   scripts/test-env.sh reset USER...  wipe those users' mailboxes (fresh UIDVALIDITY on next login)
#   scripts/test-env.sh restart-dovecot  stop and start Dovecot, keeping its data (fault tests)
#   scripts/test-env.sh recipient-access ADDRESS defer|allow   Postfix answers 451 for ADDRESS, or no longer
#
# `up` is idempotent: run it again and it rewrites the configuration and reloads.
# SKIP_APT=1 skips the package step. up, down and reset need root.
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
source "$MR_LIB/tls.sh"
source "$MR_LIB/dovecot.sh"
source "$MR_LIB/postfix.sh"
source "$MR_LIB/postgres.sh"
source "$MR_LIB/oidc.sh"
source "$MR_LIB/dns.sh"
source "$MR_LIB/chromium.sh"
source "$MR_LIB/ports.sh"

PKGS=(dovecot-imapd dovecot-pop3d dovecot-lmtpd postfix postgresql openssl python3 util-linux dnsmasq-base)

need_root() { [ "$(id -u)" = 0 ] || mr_die "'$1' must run as root (apt, vmail user, privileged daemons)"; }

install_packages() {
  [ "${SKIP_APT:-0}" = 1 ] && return 0
  local p missing=()
  for p in "${PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  mr_log "apt-get install ${missing[*]}"
  # We run our own Postfix instance: debconf must not write a system-wide config.
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  mr_apt_install "${missing[@]}"
}

print_env() {
  local psql_bin
  psql_bin="$(mr_pg_bin 2>/dev/null || echo /usr/bin)/psql"
  cat <<ENV
export MAILROOM_TEST_IMAP_HOST='$MR_HOST'
export MAILROOM_TEST_IMAP_PORT='$MR_IMAP_PORT'
export MAILROOM_TEST_IMAPS_PORT='$MR_IMAPS_PORT'
export MAILROOM_TEST_POP3_PORT='$MR_POP3_PORT'
export MAILROOM_TEST_POP3S_PORT='$MR_POP3S_PORT'
export MAILROOM_TEST_SMTP_PORT='$MR_SMTP_PORT'
export MAILROOM_TEST_SMTP_REJECT='$MR_SMTP_REJECT'
export MAILROOM_TEST_LMTP_PORT='$MR_LMTP_PORT'
export MAILROOM_TEST_DOMAIN='$MR_DOMAIN'
export MAILROOM_TEST_USERS='$MR_USERS'
export MAILROOM_TEST_CLUSTER_USER_COUNT='$MR_CLUSTER_USER_COUNT'
export MAILROOM_TEST_DOVEADM='doveadm -c $MR_DOVECOT_CONF'
export MAILROOM_TEST_CA='$MR_CA'
export MAILROOM_TEST_PG='$MR_PG_CONNSTR'
export MAILROOM_TEST_MAILDIR_ROOT='$MR_MAIL'
export MAILROOM_TEST_WORK='$MR_WORK'
export MAILROOM_TEST_PSQL='$psql_bin'
export MAILROOM_TEST_DNS='$MR_HOST:$MR_DNS_PORT'
export MAILROOM_TEST_EWS_PORT='$MR_EWS_PORT'
export PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH='$MR_CHROMIUM'
ENV
  oidc_env
}

cmd_up() {
  need_root up
  local others pid
  others=$(mr_port_pids_of_others)
  if [ -n "$others" ]; then
    for pid in $others; do mr_log "test port in use: $(mr_describe_pid "$pid"), state folder: $(mr_state_folder_of "$pid")"; done
    mr_die "the test ports are held by servers not started from $MR_WORK; stop them first: scripts/test-env.sh free-ports"
  fi
  install_packages
  command -v dovecot >/dev/null && command -v postfix >/dev/null || mr_die "dovecot/postfix not installed"
  id "$MR_VMAIL_USER" >/dev/null 2>&1 || useradd --system --user-group --no-create-home \
    --home-dir /nonexistent --shell /usr/sbin/nologin "$MR_VMAIL_USER"
  mkdir -p "$MR_WORK"; chmod 755 "$MR_WORK"
  # Every ancestor must be traversable by the unprivileged daemons.
  local d="$MR_WORK"
  while [ "$d" != / ]; do
    d=$(dirname "$d")
    runuser -u "$MR_VMAIL_USER" -- test -x "$d" ||
      mr_die "$d is not traversable by $MR_VMAIL_USER; choose another MAILROOM_TEST_WORK"
  done

  chromium_install; chromium_check
  tls_setup
  oidc_install; oidc_start
  dovecot_configure; oidc_dovecot_configure; dovecot_start
  postfix_configure; postfix_start
  pg_configure; pg_start
  dns_configure; dns_start

  local port
  for port in $MR_IMAP_PORT $MR_IMAPS_PORT $MR_POP3_PORT $MR_POP3S_PORT $MR_LMTP_PORT $MR_SMTP_PORT $MR_PG_PORT $MR_OIDC_PORT $MR_DNS_PORT; do
    mr_wait_port "$port" || mr_die "nothing listens on $MR_HOST:$port (logs under $MR_WORK)"
  done
  eval "$(print_env)"
  python3 "$MR_LIB/selfcheck.py" && python3 "$MR_LIB/oidc_check.py" ||
    mr_die "self-check failed (logs: $MR_DOVECOT/dovecot.log, $MR_POSTFIX/postfix.log, $MR_PG/postgresql.log)"
  cat <<SUMMARY

Mailroom test servers (loopback only; state in $MR_WORK):
  IMAP    $MR_HOST:$MR_IMAP_PORT (STARTTLS offered, plaintext LOGIN allowed)   IMAPS $MR_HOST:$MR_IMAPS_PORT
  POP3    $MR_HOST:$MR_POP3_PORT (STLS offered)                                POP3S $MR_HOST:$MR_POP3S_PORT
  SMTP    $MR_HOST:$MR_SMTP_PORT (STARTTLS/AUTH offered; *@$MR_DOMAIN -> LMTP $MR_HOST:$MR_LMTP_PORT; other domains discarded;
          $MR_SMTP_REJECT always 554; recipient-access defers others with 451)
  PG      $MR_PG_CONNSTR
  OIDC    $MR_OIDC_ISSUER (oidc-provider; XOAUTH2/OAUTHBEARER for $MR_OIDC_USER at Dovecot)
  DNS     $MR_HOST:$MR_DNS_PORT (dnsmasq: discovery test zones under .test)
  users   $MR_USERS (password <user>pass), also as <user>@$MR_DOMAIN
          cl1 .. cl$MR_CLUSTER_USER_COUNT likewise (cluster tests, bench/cluster.sh)
  CA      $MR_CA
  doveadm doveadm -c $MR_DOVECOT_CONF ...
  tests   eval "\$(scripts/test-env.sh env)"
SUMMARY
}

cmd_down() {
  need_root down
  postfix_stop
  dovecot_stop
  pg_stop
  oidc_stop
  dns_stop
  if [ "${1:-}" = --purge ]; then
    case "$MR_WORK" in ""|/|/tmp|/var/tmp) mr_die "refusing to delete '$MR_WORK'";; esac
    rm -rf -- "$MR_WORK"; mr_log "removed $MR_WORK"
  fi
}

cmd_free_ports() {
  need_root free-ports
  mr_free_ports
}

cmd_status() {
  local bad=0 port state
  if [ "$(id -u)" != 0 ]; then
    # The pid files and the control commands are root's; the ports tell enough.
    echo "(not root: checking the ports only)"
  else
    if dovecot_running; then echo "dovecot   running (pid $(cat "$(dovecot_pidfile)"), $MR_DOVECOT_CONF)"
    else echo "dovecot   stopped"; bad=1; fi
    if postfix_running; then echo "postfix   running ($MR_PF_CONF)"
    else echo "postfix   stopped"; bad=1; fi
    if pg_running; then echo "postgres  running ($MR_PGDATA)"
    else echo "postgres  stopped"; bad=1; fi
    if dns_running; then echo "dnsmasq   running ($MR_DNS_CONF)"
    else echo "dnsmasq   stopped"; bad=1; fi
  fi
  for port in $MR_IMAP_PORT $MR_IMAPS_PORT $MR_POP3_PORT $MR_POP3S_PORT $MR_LMTP_PORT $MR_SMTP_PORT $MR_PG_PORT $MR_OIDC_PORT $MR_DNS_PORT; do
    if (exec 3<>"/dev/tcp/$MR_HOST/$port") 2>/dev/null; then state=listening; else state=closed; bad=1; fi
    echo "  $MR_HOST:$port $state"
  done
  return $bad
}

# Delete the users' Maildirs so their next login starts empty: new UIDVALIDITY,
# special-use folders re-created. Their open sessions are kicked first.
cmd_reset() {
  need_root reset
  [ $# -gt 0 ] || mr_die "usage: scripts/test-env.sh reset USER... (e.g. mr3)"
  local u
  for u in "$@"; do
    case " $MR_USERS $MR_CLUSTER_USERS " in *" $u "*) ;; *) mr_die "unknown test user '$u'";; esac
    mr_doveadm kick "$u" >/dev/null 2>&1 || true
    rm -rf -- "${MR_MAIL:?}/$u/Maildir"
    mr_log "reset $u"
  done
}

# Stop and start Dovecot (fault tests: a server restart while clients idle). Its data stays. Client sessions
# are kicked first: a stopped master can leave its imap processes serving their connections.
cmd_restart_dovecot() {
  need_root restart-dovecot
  mr_doveadm kick '*' >/dev/null 2>&1 || true
  dovecot_stop
  DOVECOT_CONF_CHANGED=0 dovecot_start
}

cmd_recipient_access() {
  need_root recipient-access
  [ $# -eq 2 ] || mr_die "usage: scripts/test-env.sh recipient-access ADDRESS defer|allow"
  postfix_running || mr_die "postfix is not running (scripts/test-env.sh up)"
  postfix_recipient_access "$1" "$2"
  mr_log "recipient-access: $1 $2"
}

case "${1:-}" in
  up) cmd_up ;;
  recipient-access) shift; cmd_recipient_access "$@" ;;
  restart-dovecot) cmd_restart_dovecot ;;
  down) shift; cmd_down "$@" ;;
  free-ports) cmd_free_ports ;;
  status) cmd_status ;;
  env) print_env ;;
  reset) shift; cmd_reset "$@" ;;
  *) sed -n '2,17p' "$0" >&2; exit 2 ;;
esac
