#!/usr/bin/env bash
# By-hand experiments behind bench/RESULTS.notes.md: one INBOX-only `mailroom sync` of bench1 into a fresh data
# folder, the account added beforehand (--no-verify, not timed), `mailroom sync` alone under /usr/bin/time.
#   bench/tools/sync-once.sh LABEL DATAROOT [ENV=VALUE ...]
#   BIN=$WORK/mailroom-bin/mailroom   the build to use
#   PAGE_SIZE=65536                   pre-create the SQLite file with this page size (before Mailroom migrates it)
# e.g.  bench/tools/sync-once.sh base /var/tmp/mailbench/exp
#       bench/tools/sync-once.sh tmpfs /dev/shm
#       bench/tools/sync-once.sh pgo0 /var/tmp/mailbench/exp DOTNET_TieredPGO=0
# Profiles: DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 perf record -F 999 -g -- mailroom ... sync ...
#           strace -f -c -w -e trace=pread64,pwrite64,fsync,... -- mailroom ... sync ...
set -euo pipefail
label=$1 root=$2; shift 2
B=${BIN:-${WORK:-/var/tmp/mailbench}/mailroom-bin/mailroom}
i=0; for role in Sent Drafts Archive All Junk Trash Flagged; do export "MAILROOM__Sync__SkippedRoles__$i=$role"; i=$((i+1)); done
for kv in "$@"; do export "$kv"; done
D=$root/$label; rm -rf "$D"; mkdir -p "$D"
if [ -n "${PAGE_SIZE:-}" ]; then
  sqlite3 "$D/mailroom.db" "PRAGMA page_size=$PAGE_SIZE; PRAGMA journal_mode=WAL; CREATE TABLE _x(a); DROP TABLE _x;" >/dev/null
fi
echo bench1pass | "$B" --data "$D" account add --imap 127.0.0.1:10143 --user bench1 --password-stdin --security none \
  --allow-plaintext --name bench --no-verify >/dev/null
l0=$(cut -d' ' -f1 /proc/loadavg)
/usr/bin/time -f "%e %U %S %M" -o "$D.time" "$B" --data "$D" sync bench --quiet > "$D.out" 2>&1
read -r e u s m < "$D.time"
echo "$label: wall ${e}s user ${u}s sys ${s}s rss $((m / 1024))MB load_before $l0 | $(grep -o 'in [0-9.]* s ([0-9,]* msg/s)' "$D.out") | $*"
rm -rf "$D"
