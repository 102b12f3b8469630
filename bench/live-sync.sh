#!/usr/bin/env bash
# Live-sync benchmarks of issue 3 (Acceptance -> Benchmarks), against the shared harness's private Dovecot:
#   1. latency  new-mail latency: `mailroom serve` follows LAT_USER's INBOX (IDLE) while another client APPENDs
#               LAT_COUNT messages one by one (tools/live_appender.py); time from each APPEND's tagged OK until
#               the message is visible in Mailroom's SQLite store (tools/store_watch.py polls it every POLL_MS).
#   2. resync   the L mailbox (100,000 messages, corpus.py --size L --profile lite) loaded into L_USER, one timed
#               full `mailroom sync` into a fresh store, then RUNS unchanged re-syncs through the harness's
#               counting proxy (bytes both ways, wall time, and the sync's own elapsed from `sync --json`).
#   3. changes  for each N in CHANGES, RUNS times: tools/mailbox_changes.py makes N changes on L (a third flag
#               changes, a third APPENDs, a third UID EXPUNGEs), then one `mailroom sync` through the proxy.
#               Each sync's counts are checked against what was changed, and at the end the store is compared
#               with the server (tools/store_check.py: same UIDs, same flags).
# Writes bench/results/<stamp>/ (raw data: results.jsonl, latency logs, run.json, mailroom output) and the
# "Live sync" section of bench/RESULTS.md (also kept alone in bench/RESULTS.live.md). Run as root:
#
#   bench/live-sync.sh                          # everything (~15-20 min on 2 shared cores)
#   PARTS=latency bench/live-sync.sh            # only the latency test (~4 min)
#   PARTS="resync changes" RUNS=1 BUILD=0 bench/live-sync.sh
#
# Knobs (environment):
#   PARTS="latency resync changes"   what to measure (changes needs resync's full sync in the same run)
#   RUNS=3                 unchanged re-syncs, and syncs per change count (median reported)
#   LAT_USER=bench3        mailbox followed in the latency test (its INBOX holds the harness's few self-check
#                          messages; the appended probes are expunged again afterwards)
#   LAT_COUNT=200 LAT_INTERVAL=1.0 LAT_JITTER=0.5   APPENDs, mean seconds between them, relative spread
#   LAT_RUNS=1             latency runs (each LAT_COUNT samples; percentiles over all samples)
#   POLL_MS=5              store_watch.py's sleep between polls of the SQLite store
#   L_USER=bench2          the bench user that gets the L mailbox (bench1 keeps S for sync-e2e.sh)
#   L_LOAD=1               0: don't reload L (corpus.py load: hard links + doveadm force-resync, ~4 s) before the
#                          full sync; it is reloaded by default so every run starts from the same mailbox
#   L_FULL=1               0: skip the load and the full sync and re-use L_DATA, an existing data folder already
#                          synced with L_USER's current INBOX (for trying the re-sync parts quickly; kept afterwards)
#   CHANGES="10 100 1000"  change counts
#   VARIANTS="default"     Mailroom settings each re-sync is measured with: default (QRESYNC where offered, since
#                          commit "QRESYNC: ..."), condstore (MAILROOM__Imap__UseQuickResync=false: CONDSTORE only).
#                          "default condstore" alternates them: for unchanged re-syncs run by run, for changes each
#                          variant gets its own fresh set of N changes before its sync
#   BUILD=1 BUILD_FROM=snapshot   as in sync-e2e.sh: publish (ReadyToRun) from a snapshot copy of src/, so the
#                          build never races other builds in the tree; BUILD=0 reuses $MAILROOM_BIN
#   MAILROOM_BIN=$WORK/live-bin   its own build folder (sync-e2e.sh's $WORK/mailroom-bin is left alone)
#   PROXY_PORT=10154       the counting proxy (its own port, so it never collides with run.sh's 10144)
#   SERVE_URLS=http://127.0.0.1:5181   where `mailroom serve` listens during the latency test
#   QUIET_LOAD=2.0 QUIET_WAIT=300 QUIET_BUDGET=900   before each measured part, wait up to QUIET_WAIT s for
#                          load1 < QUIET_LOAD, and at most QUIET_BUDGET s in all (then go ahead; the load is recorded)
#   SKIP_SETUP=0           1: don't run ../shared/bench/setup.sh
#   RESULTS_MD=bench/RESULTS.md LIVE_MD=bench/RESULTS.live.md   where the report and the section alone go
# Scope: Mailroom syncs INBOX only (MAILROOM__Sync__SkippedRoles, as bench/product-sync.sh does), like the peers.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"
export WORK="${WORK:-/var/tmp/mailbench}"
SHARED="${SHARED_BENCH:-$REPO/../shared/bench}"
[ -d "$SHARED" ] || SHARED=/work/shared/bench   # a git worktree beside the main checkout
SHARED=$(cd "$SHARED" && pwd)
PARTS="${PARTS:-latency resync changes}"
RUNS="${RUNS:-3}"
LAT_USER="${LAT_USER:-bench3}" LAT_COUNT="${LAT_COUNT:-200}" LAT_INTERVAL="${LAT_INTERVAL:-1.0}"
LAT_JITTER="${LAT_JITTER:-0.5}" LAT_RUNS="${LAT_RUNS:-1}" POLL_MS="${POLL_MS:-5}"
L_USER="${L_USER:-bench2}" L_LOAD="${L_LOAD:-1}" L_FULL="${L_FULL:-1}" L_DATA="${L_DATA:-}"
CHANGES="${CHANGES:-10 100 1000}"
VARIANTS="${VARIANTS:-default}"
BUILD="${BUILD:-1}" BUILD_FROM="${BUILD_FROM:-snapshot}"
MAILROOM_BIN="${MAILROOM_BIN:-$WORK/live-bin}"
export PROXY_PORT="${PROXY_PORT:-10154}" IMAP_PORT="${IMAP_PORT:-10143}"
SERVE_URLS="${SERVE_URLS:-http://127.0.0.1:5181}"
QUIET_LOAD="${QUIET_LOAD:-2.0}" QUIET_WAIT="${QUIET_WAIT:-300}" QUIET_BUDGET="${QUIET_BUDGET:-900}"
WAITED_TOTAL=0
RESULTS_MD="${RESULTS_MD:-$REPO/bench/RESULTS.md}"
LIVE_MD="${LIVE_MD:-$REPO/bench/RESULTS.live.md}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
DOVEADM=(doveadm -c "$WORK/dovecot/dovecot.conf")
TOOLS="$REPO/bench/tools"

STAMP=$(date +%Y%m%d-%H%M%S)
KEEP="$REPO/bench/results/$STAMP"
SCRATCH="$WORK/live/$STAMP"          # Mailroom data folders (the L store is ~3 GB): not in the repository
mkdir -p "$KEEP" "$SCRATCH"
chmod 755 "$WORK"
OUT="$KEEP/results.jsonl"
LOG="$KEEP/live-sync.log"
log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" | tee -a "$LOG" >&2; }
die() { log "ERROR: $*"; exit 1; }
# shellcheck source=tools/publish-mailroom.sh
. "$REPO/bench/tools/publish-mailroom.sh"
[ "$(id -u)" = 0 ] || die "run as root (the harness runs private Dovecot/Postfix and owns \$WORK)"
INVOCATION="PARTS=\"$PARTS\" RUNS=$RUNS LAT_COUNT=$LAT_COUNT LAT_INTERVAL=$LAT_INTERVAL LAT_RUNS=$LAT_RUNS CHANGES=\"$CHANGES\" VARIANTS=\"$VARIANTS\" L_USER=$L_USER LAT_USER=$LAT_USER bench/live-sync.sh"
log "live-sync $STAMP: $INVOCATION"
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
has_part() { case " $PARTS " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }

# INBOX only, the same work as the peers (every role but Inbox; the bench server marks its other folders).
i=0
for role in Sent Drafts Archive All Junk Trash Flagged; do export "MAILROOM__Sync__SkippedRoles__$i=$role"; i=$((i + 1)); done

# ------------------------------------------------------------------ build (as sync-e2e.sh)
COMMIT=$(git -C "$REPO" rev-parse HEAD 2>/dev/null || echo unknown)
SUBJECT=$(git -C "$REPO" log -1 --format=%s 2>/dev/null || echo unknown)
DIRTY=$(git -C "$REPO" status --porcelain -- src 2>/dev/null | wc -l)
SRC_SHA="" BUILD_S=""
if [ "$BUILD" = 1 ]; then
  publish_mailroom live-src
  echo "$COMMIT $SRC_SHA" > "$MAILROOM_BIN/BUILT_FROM"
fi
BIN="$MAILROOM_BIN/mailroom"
[ -x "$BIN" ] || die "no $BIN (BUILD=0 needs an earlier build)"
[ "$BUILD" = 1 ] || { read -r COMMIT SRC_SHA < "$MAILROOM_BIN/BUILT_FROM" 2>/dev/null || true; }

# ------------------------------------------------------------------ servers
if [ "${SKIP_SETUP:-0}" != 1 ]; then
  log "setup.sh (Dovecot/Postfix on 127.0.0.1:101xx, state in $WORK)"
  "$SHARED/setup.sh" >"$KEEP/setup.log" 2>&1 || { tail -30 "$KEEP/setup.log" >&2; die "setup.sh failed"; }
fi
CAPS=$(python3 -c "
import imaplib; m = imaplib.IMAP4('127.0.0.1', $IMAP_PORT); m.login('$L_USER', '${L_USER}pass')
print(m.capability()[1][0].decode()); m.logout()")
log "server capabilities: $CAPS"

wait_quiet() { # label
  local waited=0
  while awk -v l="$(cut -d' ' -f1 /proc/loadavg)" -v q="$QUIET_LOAD" 'BEGIN { exit !(l >= q) }' \
        && [ "$waited" -lt "$QUIET_WAIT" ] && [ "$WAITED_TOTAL" -lt "$QUIET_BUDGET" ]; do
    [ $((waited % 60)) = 0 ] && log "load $(cut -d' ' -f1-3 /proc/loadavg) >= $QUIET_LOAD: waiting before $1 (at most ${QUIET_WAIT}s; ${WAITED_TOTAL}s of ${QUIET_BUDGET}s used)"
    sleep 10; waited=$((waited + 10)); WAITED_TOTAL=$((WAITED_TOTAL + 10))
  done
  log "load before $1: $(cut -d' ' -f1-3 /proc/loadavg) (waited ${waited}s)"
  echo "{\"event\": \"quiet\", \"before\": \"$1\", \"load\": \"$(cut -d' ' -f1-3 /proc/loadavg)\", \"waited_s\": $waited}" >> "$OUT"
}

add_account() { # data user
  printf '%s\n' "${2}pass" | "$BIN" --data "$1" account add --imap "127.0.0.1:$IMAP_PORT" --user "$2" \
    --password-stdin --security none --allow-plaintext --name bench >> "$LOG" 2>&1
}

point_at() { # data port: Mailroom keeps HOST:PORT in its database and has no CLI to change it (see bench/README.md)
  sqlite3 "$1/mailroom.db" "UPDATE mailboxes SET port = $2 WHERE name = 'bench';"
}

variant_env() { # variant -> the env assignments it adds (for `env`)
  case $1 in
    default) echo "MAILROOM_BENCH_VARIANT=default" ;;
    condstore) echo "MAILROOM__Imap__UseQuickResync=false" ;;
    *) die "unknown variant $1 (default|condstore)" ;;
  esac
}
for v in $VARIANTS; do variant_env "$v" > /dev/null; done

# One `mailroom sync --json` under the harness's measure.py (/usr/bin/time -v; with --proxy through countproxy.py
# on $PROXY_PORT), then one line appended to $OUT with the sync's own summary.
# Args: phase run data proxy(0|1) [extra-json] [variant]
sync_measured() {
  local phase=$1 run=$2 data=$3 proxy=$4 extra=${5:-"{}"} variant=${6:-default} p=() raw="$KEEP/tmp.jsonl"
  local outlog="$KEEP/mailroom-$1-$2-${6:-default}.out"
  if [ "$proxy" = 1 ]; then point_at "$data" "$PROXY_PORT"; p=(--proxy); else point_at "$data" "$IMAP_PORT"; fi
  rm -f "$raw" "$outlog"
  python3 "$SHARED/tools/measure.py" --peer mailroom --size L --phase "$phase" --run "$run" --allow-unverified \
    --out "$raw" --log "$outlog" "${p[@]}" -- env "$(variant_env "$variant")" "$BIN" --data "$data" sync bench --json --quiet 2>>"$LOG"
  python3 - "$raw" "$outlog" "$extra" "$variant" >> "$OUT" <<'EOF'
import json, re, sys
rec = json.loads(open(sys.argv[1]).read().splitlines()[-1])
text = open(sys.argv[2], errors="replace").read()
summary = None
try:
    summary = json.loads(text[text.index("\n[") + 1:])[0].get("summary")
except (ValueError, IndexError, KeyError):
    pass
rec["summary"] = summary
if summary and summary.get("elapsed"):
    h, m, s = summary["elapsed"].split(":")
    rec["sync_s"] = int(h) * 3600 + int(m) * 60 + float(s)
rec.update(json.loads(sys.argv[3]))
rec["variant"] = sys.argv[4]
print(json.dumps(rec))
EOF
  rm -f "$raw" "$raw.time.txt" "$raw.proxy.json"
  tail -n 1 "$OUT" | python3 -c "
import json, sys; r = json.loads(sys.stdin.read()); s = r.get('summary') or {}; px = r.get('proxy') or {}
print('  %-12s %-9s run %s: rc %s wall %.2fs sync %ss rss %d MB fetched %s flags %s removed %s plans %s bytes c->s %s s->c %s load %s' % (
  r['phase'], r['variant'], r['run'], r['rc'], r['wall_s'], r.get('sync_s'), (r.get('maxrss_kb') or 0) // 1024, s.get('messagesFetched'),
  s.get('flagsUpdated'), s.get('membershipsRemoved'), s.get('plans'), px.get('sent', '-'), px.get('received', '-'), r['load1_before']))" \
    | tee -a "$LOG" >&2
}

# ------------------------------------------------------------------ 1. new-mail latency
if has_part latency; then
  LD="$SCRATCH/latency"
  for lrun in $(seq "$LAT_RUNS"); do
    rm -rf "$LD"; mkdir -p "$LD"
    add_account "$LD" "$LAT_USER"
    first_uid=$("${DOVEADM[@]}" mailbox status -u "$LAT_USER" uidnext INBOX | sed 's/.*uidnext=\([0-9]*\).*/\1/')
    wait_quiet "latency run $lrun"
    load_lat=$(cut -d' ' -f1 /proc/loadavg)
    "$BIN" --data "$LD" serve --urls "$SERVE_URLS" > "$KEEP/serve-$lrun.log" 2>&1 &
    SERVE_PID=$!
    trap 'kill $SERVE_PID 2>/dev/null || true' EXIT
    # Ready = the worker's first full sync is done (state 'ok' and every INBOX message stored); then IDLE follows.
    n_server=$("${DOVEADM[@]}" mailbox status -u "$LAT_USER" messages INBOX | sed 's/.*messages=\([0-9]*\).*/\1/')
    for _ in $(seq 600); do
      st=$(sqlite3 -readonly "$LD/mailroom.db" "SELECT state || ' ' || (SELECT count(*) FROM folder_memberships) FROM mailboxes" 2>/dev/null || true)
      [ "$st" = "ok $n_server" ] && break
      kill -0 $SERVE_PID 2>/dev/null || die "mailroom serve exited (log: $KEEP/serve-$lrun.log)"
      sleep 0.2
    done
    [ "$st" = "ok $n_server" ] || die "mailroom serve did not finish its first sync in 120 s (state '$st'; log: $KEEP/serve-$lrun.log)"
    sleep 2   # from the first sync to IDLE
    RUN_ID="${STAMP//-/}r$lrun"
    rm -f "$LD/watch.ready"
    python3 "$TOOLS/store_watch.py" --db "$LD/mailroom.db" --prefix "livebench-$RUN_ID-" --expect "$LAT_COUNT" \
      --interval "$(awk -v m="$POLL_MS" 'BEGIN { print m / 1000 }')" \
      --timeout "$(awk -v c="$LAT_COUNT" -v i="$LAT_INTERVAL" 'BEGIN { print int(c * i * 2 + 120) }')" \
      --log "$KEEP/latency-watch-$lrun.jsonl" --ready "$LD/watch.ready" &
    WATCH_PID=$!
    # A second, independent IDLE client on the same INBOX records when Dovecot announces each message (EXISTS):
    # that splits the latency into the server's notification delay and Mailroom's own part.
    rm -f "$LD/idle.ready"
    python3 "$TOOLS/idle_watch.py" --user "$LAT_USER" --expect "$LAT_COUNT" --log "$KEEP/latency-exists-$lrun.jsonl" \
      --ready "$LD/idle.ready" &
    IDLE_PID=$!
    while [ ! -e "$LD/watch.ready" ] || [ ! -e "$LD/idle.ready" ]; do sleep 0.05; done
    log "latency run $lrun: serve pid $SERVE_PID follows $LAT_USER; APPENDing $LAT_COUNT messages, ~${LAT_INTERVAL}s apart"
    python3 "$TOOLS/live_appender.py" --user "$LAT_USER" --count "$LAT_COUNT" --interval "$LAT_INTERVAL" \
      --jitter "$LAT_JITTER" --run-id "$RUN_ID" --seed "$lrun" --log "$KEEP/latency-append-$lrun.jsonl"
    wait $WATCH_PID || log "store_watch exited $?"
    sleep 1; kill $IDLE_PID 2>/dev/null || true; wait $IDLE_PID 2>/dev/null || true
    # The serve process's CPU and peak RSS over the whole test (first sync included).
    read -r ut stt < <(awk '{ print $14, $15 }' /proc/$SERVE_PID/stat)
    hwm=$(awk '/VmHWM/ { print $2 }' /proc/$SERVE_PID/status)
    kill $SERVE_PID; wait $SERVE_PID 2>/dev/null || true
    trap - EXIT
    "${DOVEADM[@]}" expunge -u "$LAT_USER" mailbox INBOX uid "$first_uid:*"   # leave LAT_USER as it was
    cpu=$(awk -v u="$ut" -v s="$stt" -v t="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", (u + s) / t }')
    echo "{\"phase\": \"latency\", \"run\": $lrun, \"run_id\": \"$RUN_ID\", \"count\": $LAT_COUNT, \"interval_s\": $LAT_INTERVAL, \"jitter\": $LAT_JITTER, \"poll_ms\": $POLL_MS, \"user\": \"$LAT_USER\", \"load1_before\": $load_lat, \"load_after\": \"$(cut -d' ' -f1-3 /proc/loadavg)\", \"serve_cpu_s\": $cpu, \"serve_hwm_kb\": ${hwm:-0}, \"append_log\": \"latency-append-$lrun.jsonl\", \"watch_log\": \"latency-watch-$lrun.jsonl\", \"exists_log\": \"latency-exists-$lrun.jsonl\"}" >> "$OUT"
    python3 "$TOOLS/live_report.py" --latency-only "$KEEP" | tee -a "$LOG" >&2
  done
fi

# ------------------------------------------------------------------ 2. L: full sync, then unchanged re-syncs
LDATA="${L_DATA:-$SCRATCH/L}"
if [ "$L_FULL" = 0 ]; then
  [ -s "$LDATA/mailroom.db" ] || die "L_FULL=0 needs L_DATA=<a data folder synced with $L_USER>"
  "${DOVEADM[@]}" mailbox status -u "$L_USER" "messages vsize uidnext uidvalidity highestmodseq" INBOX > "$KEEP/mailbox-L.txt"
  log "re-using $LDATA (no load, no full sync)"
elif has_part resync || has_part changes; then
  if [ "$L_LOAD" = 1 ]; then
    log "corpus.py load --size L --profile lite --user $L_USER"
    python3 "$SHARED/corpus.py" load --size L --profile lite --user "$L_USER" 2>&1 | tail -n 1 | tee -a "$LOG" >&2
    sync   # flush the freshly linked Maildir before Dovecot's index fsyncs (as run.sh does)
  fi
  "${DOVEADM[@]}" mailbox status -u "$L_USER" "messages vsize uidnext uidvalidity highestmodseq" INBOX > "$KEEP/mailbox-L.txt"
  cp "$WORK/corpus/L-42-lite/manifest.json" "$KEEP/corpus-L.json" 2>/dev/null || true
  log "L mailbox: $(cat "$KEEP/mailbox-L.txt")"
  log "warm-up read (discarded): Dovecot builds its index/cache on first access"
  python3 "$SHARED/tools/rawfetch.py" --port "$IMAP_PORT" --user "$L_USER" > /dev/null
  rm -rf "$LDATA"; mkdir -p "$LDATA"
  t0=$EPOCHREALTIME
  add_account "$LDATA" "$L_USER"
  log "account add: $(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }') s (not in the full-sync time)"
  wait_quiet "the full sync of L"
  sync_measured full 1 "$LDATA" 0
fi
if has_part resync; then
  wait_quiet "the unchanged re-syncs"
  for run in $(seq "$RUNS"); do
    for v in $VARIANTS; do sync_measured resync-unchanged "$run" "$LDATA" 1 "{}" "$v"; done
  done
fi

# ------------------------------------------------------------------ 3. cost of changes on L
if has_part changes; then
  for n in $CHANGES; do
    wait_quiet "$n changes"
    for run in $(seq "$RUNS"); do
     for v in $VARIANTS; do
      ch=$(python3 "$TOOLS/mailbox_changes.py" --user "$L_USER" --n "$n" --corpus "$WORK/corpus/L-42-lite/inbox" \
             --tag "${STAMP//-/}n${n}r$run$v" --seed "$run")
      echo "$ch" > "$KEEP/changes-$n-$run-$v.json"
      extra=$(printf '%s' "$ch" | python3 -c "
import json, sys; c = json.load(sys.stdin)
print(json.dumps({'changes': {k: c[k] for k in ('n', 'flag_changes', 'flagged', 'marked_unread', 'appended', 'appended_bytes', 'expunged', 'before', 'after')}}))")
      sync_measured "changes-$n" "$run" "$LDATA" 1 "$extra" "$v"
     done
    done
  done
fi
if has_part resync || has_part changes; then
  log "store vs server (UIDs and flags of $L_USER's INBOX)"
  python3 "$TOOLS/store_check.py" --db "$LDATA/mailroom.db" --user "$L_USER" | tee -a "$LOG" "$KEEP/store-check.json" >&2
  du -sb "$LDATA" | awk '{ printf "{\"event\": \"store_size\", \"bytes\": %d}\n", $1 }' >> "$OUT"
fi

# ------------------------------------------------------------------ report
cat > "$KEEP/run.json" <<EOF
{"stamp": "$STAMP", "date": "$(date -u +%FT%TZ)", "commit": "$COMMIT", "subject": "$(printf '%s' "$SUBJECT" | sed 's/"/\\"/g')",
 "main_commit": "$(git -C "$REPO" rev-parse main 2>/dev/null || echo unknown)", "dirty_src_files": $DIRTY,
 "src_sha": "$SRC_SHA", "build_from": "$BUILD_FROM", "build_s": "$BUILD_S", "runs": $RUNS, "parts": "$PARTS", "variants": "$VARIANTS", "l_user": "$L_USER", "lat_user": "$LAT_USER",
 "invocation": "$(printf '%s' "$INVOCATION" | sed 's/"/\\"/g')", "nproc": $(nproc), "load_start": "$LOAD_START",
 "load_end": "$(cut -d' ' -f1-3 /proc/loadavg)", "capabilities": "$CAPS", "scratch": "$SCRATCH", "work": "$WORK",
 "dotnet": "$(dotnet --version 2>/dev/null)", "dovecot": "$(dovecot --version 2>/dev/null)"}
EOF
python3 "$TOOLS/live_report.py" "$KEEP" > "$LIVE_MD"
python3 "$TOOLS/live_report.py" --splice "$LIVE_MD" "$RESULTS_MD"
log "wrote the 'Live sync' section of $RESULTS_MD (and $LIVE_MD); raw data in $KEEP"
rm -rf "$SCRATCH"
