# shellcheck shell=bash
# Settings shared by scripts/test-env.sh and scripts/test.sh. Source it; never run it.
#
# Ports are fixed (11xxx) so this environment can run next to the benchmark servers
# from the shared bench (10xxx). Only the state directory can be moved:
#   MAILROOM_TEST_WORK=/some/dir scripts/test-env.sh up
# It must be traversable by the vmail and postgres users (so not under /root).

MR_REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
MR_LIB="$MR_REPO/scripts/lib"
# Absolute: the daemons change directory, and ports.sh recognises a server's folder by its path.
MR_WORK="$(realpath -m "${MAILROOM_TEST_WORK:-/var/tmp/mailroom-test}")"

MR_HOST=127.0.0.1
MR_IMAP_PORT=11143    # IMAP, STARTTLS offered, plaintext LOGIN allowed (loopback only)
MR_IMAPS_PORT=11993   # IMAP over implicit TLS
MR_POP3_PORT=11110    # POP3, STLS offered
MR_POP3S_PORT=11995   # POP3 over implicit TLS
MR_LMTP_PORT=11024    # Dovecot LMTP; only Postfix talks to it
MR_SMTP_PORT=11025    # Postfix smtpd: STARTTLS and AUTH offered, neither required
MR_PG_PORT=15432      # private PostgreSQL cluster

MR_DOMAIN=mailroom.test
MR_SMTP_REJECT="refused@$MR_DOMAIN"   # Postfix answers 554 for this recipient (send tests)
# mr21: the console's Playwright tests (tests/Mailroom.Console.Tests), a mailbox no other test resets.
MR_USERS="mr1 mr2 mr3 mr4 mr5 mr6 mr7 mr8 mr9 mr10 mr11 mr12 mr13 mr14 mr15 mr16 mr17 mr18 mr19 mr20 mr21"
# The cluster tests and bench/cluster.sh (issue 21): cl1 .. cl1000, many mailboxes idling at once. Kept apart from
# MR_USERS so that nothing iterating the ordinary users walks a thousand more.
MR_CLUSTER_USER_COUNT=1000
MR_CLUSTER_USERS="$(seq -f 'cl%g' 1 "$MR_CLUSTER_USER_COUNT" | tr '\n' ' ')"
# Deliberately trivial: loopback-only test users.
mr_pass() { printf '%spass\n' "$1"; }

MR_VMAIL_USER=vmail   # owns every Maildir; the same system user the shared bench uses

MR_TLS="$MR_WORK/tls"
MR_CA="$MR_TLS/ca.pem"            # trust anchor for every TLS port
MR_CERT="$MR_TLS/server.pem"
MR_KEY="$MR_TLS/server.key"

MR_DOVECOT="$MR_WORK/dovecot"
MR_DOVECOT_CONF="$MR_DOVECOT/dovecot.conf"
MR_MAIL="$MR_WORK/mail"           # <user>/Maildir below this

MR_POSTFIX="$MR_WORK/postfix"
MR_PF_CONF="$MR_POSTFIX/etc"

MR_PG="$MR_WORK/pg"
MR_PGDATA="$MR_PG/data"
MR_PGRUN="$MR_PG/run"             # unix socket directory
MR_PG_CONNSTR="Host=$MR_HOST;Port=$MR_PG_PORT;Username=mailroom;Password=mailroom;Database=mailroom"

mr_log() { printf '[test-env %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
mr_die() { printf '[test-env] ERROR: %s\n' "$*" >&2; exit 1; }

mr_doveadm() { doveadm -c "$MR_DOVECOT_CONF" "$@"; }

# apt-get that waits for another package manager (unattended-upgrades, a provisioning script) instead of failing on
# its lock, for up to 10 minutes. DPkg::Lock::Timeout covers dpkg's lock (install); `apt-get update` takes the package
# lists' lock, which that option does not cover (apt 2.6 fails at once), so a lock failure is retried.
mr_apt() {
  local out rc deadline=$((SECONDS + 600)) said=0
  while :; do
    rc=0
    out=$(DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 "$@" 2>&1) || rc=$?
    [ "$rc" = 0 ] && return 0
    case "$out" in
      *"Could not get lock"*|*"Unable to lock"*|*"Unable to acquire the dpkg"*)
        if [ "$SECONDS" -lt "$deadline" ]; then
          [ "$said" = 1 ] || mr_log "apt-get $1: another package manager holds the lock; waiting (up to 10 min)"
          said=1; sleep 5; continue
        fi ;;
    esac
    printf '%s\n' "$out" >&2
    return "$rc"
  done
}

# Installs packages, refreshing the package lists first (once per script run: a fresh machine has none).
MR_APT_UPDATED=0
mr_apt_install() {
  if [ "$MR_APT_UPDATED" = 0 ]; then
    mr_apt update -qq || mr_die "apt-get update failed"
    MR_APT_UPDATED=1
  fi
  mr_apt install -y -q --no-install-recommends "$@" || mr_die "apt-get install failed: $*"
}

# Newest installed PostgreSQL server binaries, e.g. /usr/lib/postgresql/15/bin.
mr_pg_bin() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$d" ] && [ -x "$d/initdb" ] || return 1
  printf '%s\n' "$d"
}

# Wait until something accepts TCP connections on 127.0.0.1:$1 (at most ~10 s).
mr_wait_port() {
  local i
  for i in $(seq 100); do
    (exec 3<>"/dev/tcp/$MR_HOST/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}
