# shellcheck shell=bash
# Finding test servers by the ports they hold. The ports are fixed (common.sh, dns.sh, oidc.sh), so a server started
# from another state folder (an earlier run, a developer's `test-env.sh up`) blocks a fresh start even though the new
# folder has no pid file for it. Everything here reads /proc, so it needs no package and sees only this network
# namespace's sockets. Source it from test-env.sh; never run it.

mr_all_ports() {
  printf '%s\n' "$MR_IMAP_PORT" "$MR_IMAPS_PORT" "$MR_POP3_PORT" "$MR_POP3S_PORT" "$MR_LMTP_PORT" "$MR_SMTP_PORT" \
    "$MR_PG_PORT" "$MR_OIDC_PORT" "$MR_DNS_PORT"
}

# Socket inodes bound to one of the ports: TCP listeners (state 0A) and UDP sockets (dnsmasq).
mr_port_inodes() {
  local hex
  hex=$(mr_all_ports | while read -r p; do printf ':%04X ' "$p"; done)
  awk -v ports="$hex" '
    FNR == 1 { next }
    { split($2, local_addr, ":"); port = ":" local_addr[2] " " }
    index(ports, port) && (FILENAME ~ /udp/ || $4 == "0A") { print $10 }
  ' /proc/net/tcp /proc/net/tcp6 /proc/net/udp /proc/net/udp6 2>/dev/null | sort -u
}

# Pids of the processes holding those sockets (a daemon and the children that inherited its listener).
mr_port_pids() {
  local inode args=()
  for inode in $(mr_port_inodes); do
    [ ${#args[@]} -eq 0 ] || args+=(-o)
    args+=(-lname "socket:\\[$inode\\]")
  done
  [ ${#args[@]} -gt 0 ] || return 0
  # find fails on processes that end meanwhile or whose fds are not readable: not an error here.
  { find /proc/[0-9]*/fd -mindepth 1 -maxdepth 1 \( "${args[@]}" \) -printf '%h\n' 2>/dev/null || true; } |
    sed -n 's|^/proc/\([0-9]*\)/fd$|\1|p' | sort -un
}

# The state folder a test server process was started from, if it is one of ours: from the command line that
# test-env.sh gave it (dovecot -c, postgres -D, dnsmasq -C), the Postfix master's working directory (its queue
# directory), or the OpenID provider's environment. Prints nothing for anything else.
mr_state_folder_of() {
  local pid=$1 arg prev="" dir=""
  [ -r "/proc/$pid/cmdline" ] || return 0
  while IFS= read -r -d '' arg; do
    case "$prev" in
      -c) [[ "$arg" == */dovecot/dovecot.conf ]] && dir=${arg%/dovecot/dovecot.conf} ;;
      -D) [[ "$arg" == */pg/data ]] && dir=${arg%/pg/data} ;;
      -C) [[ "$arg" == */dns/dnsmasq.conf ]] && dir=${arg%/dns/dnsmasq.conf} ;;
    esac
    prev=$arg
  done 2>/dev/null < "/proc/$pid/cmdline"
  if [ -z "$dir" ]; then
    arg=$(readlink "/proc/$pid/cwd" 2>/dev/null) || arg=""
    [[ "$arg" == */postfix/spool ]] && dir=${arg%/postfix/spool}
  fi
  if [ -z "$dir" ]; then
    arg=$(tr '\0' '\n' < "/proc/$pid/environ" 2>/dev/null | sed -n 's|^MR_OIDC_TOKENS=\(.*\)/oidc/tokens\.tsv$|\1|p')
    dir=$arg
  fi
  [ -n "$dir" ] && [ -d "$dir" ] && printf '%s\n' "$dir"
  return 0
}

# Whether a process is a test server or one of its children, by its program: only those are ever signalled.
mr_is_test_server() {
  local exe
  exe=$(readlink "/proc/$1/exe" 2>/dev/null) || return 1
  case "$exe" in
    /usr/sbin/dovecot|/usr/lib/dovecot/*|/usr/lib/postfix/*|/usr/lib/postgresql/*|*/dnsmasq) return 0 ;;
    */node|*/nodejs) tr '\0' '\n' < "/proc/$1/cmdline" 2>/dev/null | grep -q '/tests/oidc/server\.mjs$' ;;
    *) return 1 ;;
  esac
}

mr_describe_pid() { printf 'pid %s (%s)' "$1" "$(tr '\0' ' ' < "/proc/$1/cmdline" 2>/dev/null | cut -c1-100)"; }

# Stops whatever holds the test ports: each state folder found is brought down the normal way (its pid files, fast
# PostgreSQL shutdown); a test server still holding a port after that is sent SIGTERM, then SIGKILL. A port held by
# anything else is an error: it is not ours to stop. The folders are kept.
mr_free_ports() {
  local pids pid dir dirs="" i
  pids=$(mr_port_pids)
  [ -n "$pids" ] || return 0
  for pid in $pids; do
    mr_is_test_server "$pid" || mr_die "a test port is held by $(mr_describe_pid "$pid"), which is not a Mailroom test server"
    dir=$(mr_state_folder_of "$pid")
    [ -n "$dir" ] && case " $dirs " in *" $dir "*) ;; *) dirs="$dirs $dir" ;; esac
  done
  for dir in $dirs; do
    mr_log "ports: stopping the test servers started from $dir"
    MAILROOM_TEST_WORK=$dir "$MR_REPO/scripts/test-env.sh" down || mr_log "ports: 'down' for $dir failed; signalling"
  done
  pids=$(mr_port_pids)
  [ -n "$pids" ] || return 0
  for pid in $pids; do
    mr_is_test_server "$pid" || continue
    mr_log "ports: SIGTERM to $(mr_describe_pid "$pid")"
    kill -TERM "$pid" 2>/dev/null || true
  done
  for i in $(seq 100); do
    [ -z "$(mr_port_pids)" ] && return 0
    sleep 0.1
  done
  for pid in $(mr_port_pids); do
    mr_is_test_server "$pid" || continue
    mr_log "ports: SIGKILL to $(mr_describe_pid "$pid")"
    kill -KILL "$pid" 2>/dev/null || true
  done
  sleep 0.5
  pids=$(mr_port_pids)
  [ -z "$pids" ] || mr_die "the test ports are still held by pid(s) $(echo $pids)"
}

# For `up`: pids holding the ports that are not this state folder's servers (another folder's, or not ours at all).
# A server's children (login processes, smtpd) show no folder; their parent, which holds the same socket, is judged.
mr_port_pids_of_others() {
  local pid dir
  for pid in $(mr_port_pids); do
    dir=$(mr_state_folder_of "$pid")
    if [ -n "$dir" ]; then
      [ "$(realpath -m "$dir")" = "$MR_WORK" ] || echo "$pid"
    elif ! mr_is_test_server "$pid"; then
      echo "$pid"
    fi
  done
}
