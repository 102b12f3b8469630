#!/usr/bin/env bash
# Cluster mode benchmark (issue 21, docs/cluster.md), against the test environment's Dovecot and PostgreSQL
# (scripts/test-env.sh up; its cluster users cl1..cl1000). Run as root (it resets those users' Maildirs):
#   bench/cluster.sh [idle|sync|failover|all]
#   idle      1,000 idle IMAP mailboxes on one node: RSS per mailbox beyond the empty node's, and the node's CPU
#             while idle (% of one core over IDLE_SECONDS)
#   sync      300 mailboxes of 200 messages: seconds to the first full sync with 1 node and with 3 nodes (a ratio:
#             all nodes share this machine's cores), and mailboxes per node
#   failover  3 nodes, 60 idle mailboxes, KILLS kill -9 rounds: seconds from the kill until every mailbox has one IMAP
#             session again (p50, max); the node is restarted and the cluster left to rebalance between rounds
# Knobs: IDLE_MAILBOXES=1000 IDLE_SECONDS=60 SYNC_MAILBOXES=300 SYNC_MESSAGES=200 KILLS=10
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
eval "$("$REPO/scripts/test-env.sh" env)"
WHAT=${1:-all}
WORK=$(mktemp -d /var/tmp/mailroom-cluster-bench.XXXXXX)
trap 'stop_all; rm -rf "$WORK"' EXIT
PIDS=()
log() { printf '[cluster-bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
psql_() { "$MAILROOM_TEST_PSQL" -qtAX "$1" -c "$2"; }
who_count() { $MAILROOM_TEST_DOVEADM who 2>/dev/null | awk '$3 == "imap" && $1 ~ /^cl[0-9]+$/ { n[$1] += $2 } END { for (u in n) print u, n[u] }'; }

log "building mailroom"
dotnet build "$REPO/src/Mailroom.Server" -c Release -v q -nologo >&2
MR=(dotnet "$REPO/src/Mailroom.Server/bin/Release/net10.0/mailroom.dll")
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$WORK/k.pem" -out "$WORK/c.pem" -days 30 -subj "/CN=bench key ring" 2>/dev/null
openssl pkcs12 -export -inkey "$WORK/k.pem" -in "$WORK/c.pem" -out "$WORK/keyring.pfx" -passout pass: 2>/dev/null

new_database() {
  DB="mailroom_bench_cluster_$RANDOM$RANDOM"
  psql_ "$MAILROOM_TEST_PG_URL" "CREATE DATABASE $DB" >/dev/null
  CONN="${MAILROOM_TEST_PG%Database=*}Database=$DB"
}
MAILROOM_TEST_PG_URL="postgresql://mailroom:mailroom@127.0.0.1:15432/mailroom"
db_url() { echo "postgresql://mailroom:mailroom@127.0.0.1:15432/$DB"; }

node_env() { # node index
  export MAILROOM__Storage__ConnectionString="$CONN" MAILROOM__Cluster__Enabled=true MAILROOM__Cluster__AdvertisedAddress=127.0.0.1
  export MAILROOM__Secrets__CertificatePath="$WORK/keyring.pfx" MAILROOM__DataPath="$WORK/node$1"
  export MAILROOM__Cluster__SiloPort=$((22110 + $1)) MAILROOM__Cluster__GatewayPort=$((22210 + $1))
}
start_node() { # index
  ( node_env "$1"; exec "${MR[@]}" serve --urls "http://127.0.0.1:$((22310 + $1))" >"$WORK/node$1.log" 2>&1 ) &
  PIDS[$1]=$!
}
stop_all() {
  local p
  for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]:-}"; do [ -n "$p" ] && wait "$p" 2>/dev/null || true; done
  PIDS=()
}
wait_http() { local i; for i in $(seq 300); do curl -sf "http://127.0.0.1:$((22310 + $1))/health" >/dev/null && return 0; sleep 0.2; done; return 1; }

# Adds cl1..clN through node 0's API (verify=false: no login at add time; the worker logs in).
add_mailboxes() { # count
  local key i
  key=$( (node_env 0; "${MR[@]}" apikey create --name bench) | grep -o 'mr_[A-Za-z0-9_-]*' | head -n 1)
  for i in $(seq 1 "$1"); do
    curl -sf -o /dev/null -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
      -d "{\"host\":\"127.0.0.1\",\"port\":$MAILROOM_TEST_IMAP_PORT,\"security\":\"none\",\"allowPlaintext\":true,\"userName\":\"cl$i\",\"password\":\"cl${i}pass\",\"verify\":false}" \
      "http://127.0.0.1:22310/v1/mailboxes"
  done
}

reset_users() { # count
  "$REPO/scripts/test-env.sh" reset $(seq -f 'cl%g' 1 "$1") 2>/dev/null
}

# Waits until N cl users have exactly one IMAP session each; prints the seconds it took.
wait_sessions() { # count timeout
  local start=$SECONDS n
  while [ $((SECONDS - start)) -lt "$2" ]; do
    n=$(who_count | awk '$2 == 1' | wc -l)
    [ "$n" -ge "$1" ] && { echo $((SECONDS - start)); return 0; }
    sleep 0.5
  done
  log "only $n of $1 mailboxes had one session after $2 s"; return 1
}
rss_kb() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status"; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

bench_idle() {
  local n=${IDLE_MAILBOXES:-1000} secs=${IDLE_SECONDS:-60} empty full t0 t1
  log "idle: resetting cl1..cl$n"; reset_users "$n"
  new_database; start_node 0; wait_http 0
  sleep 20; empty=$(rss_kb "${PIDS[0]}")
  log "idle: empty node RSS ${empty} KB; adding $n mailboxes"
  add_mailboxes "$n"
  wait_sessions "$n" 600 >/dev/null
  log "idle: $n sessions up; settling 60 s"; sleep 60
  full=$(rss_kb "${PIDS[0]}")
  t0=$(cpu_ticks "${PIDS[0]}"); sleep "$secs"; t1=$(cpu_ticks "${PIDS[0]}")
  echo "idle: $n mailboxes: RSS empty $((empty / 1024)) MB, with $n idle $((full / 1024)) MB," \
    "per mailbox $(( (full - empty) / n )) KB; CPU while idle $(awk -v d=$((t1 - t0)) -v s="$secs" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", 100 * d / hz / s }') % of a core over $secs s"
  stop_all
}

load_mail() { # mailboxes messages
  local root=$MAILROOM_TEST_MAILDIR_ROOT
  python3 - "$root" "$1" "$2" <<'PY'
import os, sys, time
root, boxes, per = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
body = ("Lorem ipsum dolor sit amet. " * 40 + "\r\n") * 20
for b in range(1, boxes + 1):
    md = os.path.join(root, f"cl{b}", "Maildir")
    for d in ("cur", "new", "tmp"):
        os.makedirs(os.path.join(md, d), exist_ok=True)
    for m in range(1, per + 1):
        raw = (f"From: Sender {m % 17} <s{m % 17}@example.org>\r\nTo: cl{b}@mailroom.test\r\nSubject: Bench {b}/{m}\r\n"
               f"Message-ID: <bench-{b}-{m}@mailroom.test>\r\nDate: Mon, 07 Dec 2026 10:00:00 +0000\r\n\r\n{body}")
        with open(os.path.join(md, "new", f"{int(time.time())}.b{b}m{m}.bench"), "w", newline="") as f:
            f.write(raw)
PY
  chown -R vmail:vmail $(seq -f "$root/cl%g" 1 "$1")
}

bench_sync_with() { # nodes
  local nodes=$1 n=${SYNC_MAILBOXES:-300} per=${SYNC_MESSAGES:-200} start i stored
  new_database
  for i in $(seq 0 $((nodes - 1))); do start_node "$i"; done
  for i in $(seq 0 $((nodes - 1))); do wait_http "$i"; done
  start=$(date +%s.%N)
  add_mailboxes "$n"
  while :; do
    stored=$(psql_ "$(db_url)" "SELECT count(*) FROM messages")
    [ "$stored" -ge $((n * per)) ] && break
    sleep 1
  done
  echo "sync: $n x $per messages on $nodes node(s): $(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }') s;" \
    "mailboxes per node: $(psql_ "$(db_url)" "SELECT string_agg(c::text, ' ') FROM (SELECT count(*) c FROM mailbox_leases WHERE expires_at > now() GROUP BY owner ORDER BY 1 DESC) x")"
  stop_all
}

bench_sync() {
  local n=${SYNC_MAILBOXES:-300} per=${SYNC_MESSAGES:-200}
  log "sync: loading $per messages into each of cl1..cl$n"
  reset_users "$n"; load_mail "$n" "$per"
  bench_sync_with 1
  bench_sync_with 3
}

bench_failover() {
  local kills=${KILLS:-10} n=60 k victim t start times=()
  reset_users "$n"; new_database
  for k in 0 1 2; do start_node "$k"; done
  for k in 0 1 2; do wait_http "$k"; done
  add_mailboxes "$n"; wait_sessions "$n" 300 >/dev/null
  for k in $(seq 1 "$kills"); do
    sleep 25 # rebalance settles between rounds
    victim=$((k % 3))
    start=$(date +%s.%N)
    kill -9 "${PIDS[$victim]}"; wait "${PIDS[$victim]}" 2>/dev/null || true
    sleep 1
    wait_sessions "$n" 120 >/dev/null
    t=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
    log "failover: kill $k of node $victim: every mailbox has one session again after $t s"
    times+=("$t")
    start_node "$victim"; wait_http "$victim"
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { printf "failover: %d kills: p50 %.1f s, max %.1f s\n", NR, (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2), a[NR] }'
  stop_all
}

case "$WHAT" in
  idle) bench_idle ;;
  sync) bench_sync ;;
  failover) bench_failover ;;
  all) bench_idle; bench_sync; bench_failover ;;
  *) echo "usage: bench/cluster.sh [idle|sync|failover|all]" >&2; exit 2 ;;
esac
