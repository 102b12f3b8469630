#!/usr/bin/env bash
# Issue 14 §1c by hand: the S INBOX (bench2) through bench/tools/cutproxy.py, which cuts every connection after a random
# 2-40 MB from the server; `mailroom sync` is run again and again until it exits 0, then bench/tools/raw_check.py
# compares every stored message with the server's bytes. Writes runs.log (one line per run), cuts.log (one line per
# connection) and check.json under ROOT, and prints the totals.
#   bench/tools/cut-sync.sh BIN ROOT [SEED]       e.g. bench/tools/cut-sync.sh /var/tmp/cutproxy-bench/bin/mailroom /var/tmp/cutproxy-run1 1
#   MIN_MB=2 MAX_MB=40 CUT_PORT=10171 MAX_RUNS=200 BENCH_USER=bench2 IMAP_PORT=10143
#   MODE=serve: run `mailroom serve` once instead (SERVE_PORT=10172, MAX_SECONDS=1800) and poll the store until done
# Reads the bench mailbox only (EXAMINE / BODY.PEEK); ROOT is wiped first.
set -euo pipefail
bin=$1 root=$2 seed=${3:-1}
here=$(cd "$(dirname "$0")" && pwd)
port=${CUT_PORT:-10171} target=${IMAP_PORT:-10143} user=${BENCH_USER:-bench2}
max_runs=${MAX_RUNS:-200}
[ -x "$bin" ] || { echo "cut-sync: no executable mailroom at '$bin'" >&2; exit 2; }
case $root in /var/tmp/cutproxy-*) ;; *) echo "cut-sync: ROOT must be /var/tmp/cutproxy-* (it is wiped)" >&2; exit 2 ;; esac
rm -rf "$root"; mkdir -p "$root/data"

# INBOX only, as bench/product-sync.sh --scope inbox does.
i=0; for role in Sent Drafts Archive All Junk Trash Flagged; do export "MAILROOM__Sync__SkippedRoles__$i=$role"; i=$((i + 1)); done

python3 "$here/cutproxy.py" --listen "$port" --target "$target" --min-mb "${MIN_MB:-2}" --max-mb "${MAX_MB:-40}" \
  --seed "$seed" --log "$root/cuts.log" --max-seconds 7200 &
proxy=$!
trap 'kill "$proxy" 2>/dev/null || true' EXIT
for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done

printf '%s\n' "${user}pass" | "$bin" --data "$root/data" account add --imap "127.0.0.1:$port" --user "$user" \
  --password-stdin --security none --allow-plaintext --name bench >"$root/add.out" 2>&1

t0=$EPOCHREALTIME
if [ "${MODE:-sync}" = serve ]; then
  # `mailroom serve` alone: its worker reconnects after each cut; poll the store until INBOX holds what the server has.
  want=$(python3 -c "import imaplib; m = imaplib.IMAP4('127.0.0.1', $target); m.login('$user', '${user}pass'); \
print(int(m.select('INBOX', readonly=True)[1][0])); m.logout()")
  "$bin" --data "$root/data" serve --urls "http://127.0.0.1:${SERVE_PORT:-10172}" >"$root/serve.out" 2>&1 &
  serve=$!
  trap 'kill "$serve" "$proxy" 2>/dev/null || true' EXIT
  stored=0 deadline=$((SECONDS + ${MAX_SECONDS:-1800}))
  while [ "$stored" -lt "$want" ] && [ $SECONDS -lt $deadline ] && kill -0 "$serve" 2>/dev/null; do
    sleep 2
    stored=$(sqlite3 -readonly "$root/data/mailroom.db" "SELECT count(*) FROM folder_memberships fm JOIN folders f ON f.id = fm.folder_id WHERE f.path = 'INBOX';" 2>/dev/null || echo 0)
    printf '%s INBOX stored %s of %s\n' "$(date +%T)" "$stored" "$want" >>"$root/runs.log"
  done
  wall=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
  kill "$serve"; wait "$serve" 2>/dev/null || true
  connections=$(($(wc -l <"$root/cuts.log") - 2)) # less the readiness probe and account add
  echo "cut-serve: INBOX stored $stored of $want after ${wall} s; $connections connections, $(grep -c ' cut$' "$root/cuts.log") cuts" | tee -a "$root/runs.log"
  python3 "$here/raw_check.py" --db "$root/data/mailroom.db" --user "$user" --port "$target" | tee "$root/check.json"
  exit 0
fi
runs=0 rc=1
while [ $runs -lt "$max_runs" ]; do
  runs=$((runs + 1))
  s=$EPOCHREALTIME
  set +e
  "$bin" --data "$root/data" sync bench --quiet >"$root/run-$runs.out" 2>&1
  rc=$?
  set -e
  result=$(grep -o 'RESULT {"messages": [0-9]*}' "$root/run-$runs.out" | grep -o '[0-9]*}$' | tr -d '}' || true)
  stored=$(sqlite3 -readonly "$root/data/mailroom.db" "SELECT count(*) FROM folder_memberships fm JOIN folders f ON f.id = fm.folder_id WHERE f.path = 'INBOX';")
  printf 'run %d: exit %d, RESULT messages %s, INBOX stored %s, %.1f s\n' "$runs" "$rc" "${result:-?}" "$stored" \
    "$(awk -v a="$s" -v b="$EPOCHREALTIME" 'BEGIN { print b - a }')" | tee -a "$root/runs.log"
  [ $rc -eq 0 ] && break
done
wall=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
cuts=$(grep -c ' cut$' "$root/cuts.log" || true)
echo "cut-sync: $runs runs (last exit $rc), $cuts cuts, ${wall} s wall for the sync runs" | tee -a "$root/runs.log"
python3 "$here/raw_check.py" --db "$root/data/mailroom.db" --user "$user" --port "$target" | tee "$root/check.json"
