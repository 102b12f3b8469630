#!/usr/bin/env bash
# One measured Mailroom run for ../shared/bench/run.sh (its PRODUCT_CMD). Called by bench/sync-e2e.sh as
#
#   bench/product-sync.sh --bin PUBLISHED/mailroom [--scope inbox|account] {host} {port} {user} {pass} {dest}
#
# - {dest} is a fresh folder per full-sync run; run.sh reuses the last run's {dest} for its two incremental runs
#   (no-change re-sync, +10 re-sync), so the Mailroom data folder lives at {dest}/mailroom and persists.
# - First run in a {dest}: create the data folder and `account add` (login checked, password on stdin), then sync.
#   Later runs: the account exists, so only sync. The incremental runs get a different {port} (run.sh's counting
#   proxy, 10144 instead of 10143), and Mailroom keeps HOST:PORT in its database with no CLI to change it, so the
#   stored port is re-pointed with sqlite3 (a few ms, inside the measured time; see bench/README.md).
# - --scope inbox (default): sync INBOX only, which is what every peer of the harness syncs (the bench mailbox
#   also has Sent with 2,042 messages). Done through configuration (MAILROOM__Sync__SkippedRoles), not code.
#   --scope account: Mailroom's default (every folder but Junk/Trash); the harness's count check then fails
#   (N + Sent != N), so use it only for a by-hand comparison.
# - `mailroom sync` prints `RESULT {"messages": N}`, which run.sh checks (full N, re-sync 0, +10 -> 10).
# Timing of the add step goes to stderr (run.sh keeps it in peers.log).
set -euo pipefail
bin="" scope=inbox
while [ $# -gt 0 ]; do
  case $1 in
    --bin) bin=$2; shift 2 ;;
    --scope) scope=$2; shift 2 ;;
    --) shift; break ;;
    -*) echo "product-sync: unknown option $1" >&2; exit 2 ;;
    *) break ;;
  esac
done
[ $# -eq 5 ] || { echo "usage: $0 --bin MAILROOM [--scope inbox|account] HOST PORT USER PASS DEST" >&2; exit 2; }
host=$1 port=$2 user=$3 pass=$4 dest=$5
[ -x "$bin" ] || { echo "product-sync: no executable mailroom at '$bin'" >&2; exit 2; }

case $scope in
  inbox)
    # Every role except Inbox (and None: the bench server marks all its other folders with SPECIAL-USE).
    i=0
    for role in Sent Drafts Archive All Junk Trash Flagged; do
      export "MAILROOM__Sync__SkippedRoles__$i=$role"; i=$((i + 1))
    done ;;
  account) ;;
  *) echo "product-sync: --scope must be inbox or account" >&2; exit 2 ;;
esac

data=$dest/mailroom
db=$data/mailroom.db
mkdir -p "$data"

stored_port=""
if [ -s "$db" ]; then
  stored_port=$(sqlite3 -readonly "$db" "SELECT port FROM mailboxes WHERE name = 'bench';" 2>/dev/null || true)
fi

if [ -z "$stored_port" ]; then
  t0=$EPOCHREALTIME
  printf '%s\n' "$pass" | "$bin" --data "$data" account add --imap "$host:$port" --user "$user" \
    --password-stdin --security none --allow-plaintext --name bench >&2
  t1=$EPOCHREALTIME
  echo "product-sync: account add took $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') s" >&2
elif [ "$stored_port" != "$port" ]; then
  sqlite3 "$db" "UPDATE mailboxes SET port = $port WHERE name = 'bench';"
  echo "product-sync: account 'bench' re-pointed from port $stored_port to $port" >&2
fi

exec "$bin" --data "$data" sync bench --quiet
