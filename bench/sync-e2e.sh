#!/usr/bin/env bash
# End-to-end sync benchmark: `mailroom sync` of the standard S mailbox (10,000 messages) into a fresh SQLite
# store, measured by the shared harness (../shared/bench/run.sh) in the same run as its peers, exactly like them:
# RUNS full syncs into fresh folders, then a no-change re-sync and a +10 re-sync through the counting proxy.
# Writes bench/RESULTS.md. Run as root from the repository root (or anywhere: it cd's there):
#
#   bench/sync-e2e.sh                  # RUNS=3, peers "limit mailkit node seed" + product  (~10 min)
#   RUNS=1 bench/sync-e2e.sh           # quick
#   PRODUCT=0 PEERS="limit mailkit" RUNS=1 bench/sync-e2e.sh   # dry run of the harness without Mailroom
#
# Knobs (environment):
#   RUNS=3                 full syncs per peer (median reported)
#   PEERS="limit seed node mailkit"   harness peers besides the product. run.sh measures them in this order and
#                          appends 'product' last, so mailkit (the reference for the acceptance ratio) runs right
#                          before Mailroom, under the same machine load. (seed's FETCH RFC822 marks messages \Seen;
#                          that changes no later peer's work: they all fetch BODY.PEEK[] and every UID.)
#   PRODUCT=1              0: don't build or measure Mailroom (harness dry run)
#   PRODUCT_SCOPE=inbox    inbox: Mailroom syncs INBOX only, the same work as the peers (default);
#                          account: Mailroom's default folder set (INBOX + Sent, count check then fails)
#   BUILD=1                0: reuse $MAILROOM_BIN from an earlier run
#   BUILD_FROM=snapshot    snapshot: copy src/ + build props to $WORK/mailroom-src and publish there, so the
#                          build never races the working tree's obj/ folders; tree: publish src/Mailroom.Server in place
#   WORK=/var/tmp/mailbench   the harness's state (Dovecot, corpus, results); must be traversable by vmail
#   SHARED_BENCH=../shared/bench   the harness (read-only is fine)
#   SKIP_SETUP=0           1: don't run setup.sh (services already up)
#   RESULTS_MD=bench/RESULTS.md   where the report goes
#   QUIET_LOAD=2.0 QUIET_WAIT=300   before the measured runs, wait up to QUIET_WAIT s for the 1-min load average
#                          to drop below QUIET_LOAD (2 cores shared with other work); then go ahead anyway (logged)
# Raw data: $WORK/results/<stamp>/ (harness) and bench/results/<stamp>/ (copy of the small files + build info).
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"
export WORK="${WORK:-/var/tmp/mailbench}"
SHARED="${SHARED_BENCH:-$REPO/../shared/bench}"
SHARED=$(cd "$SHARED" && pwd)
RUNS="${RUNS:-3}"
PEERS="${PEERS:-limit seed node mailkit}"
PRODUCT="${PRODUCT:-1}"
PRODUCT_SCOPE="${PRODUCT_SCOPE:-inbox}"
BUILD="${BUILD:-1}"
BUILD_FROM="${BUILD_FROM:-snapshot}"
RESULTS_MD="${RESULTS_MD:-$REPO/bench/RESULTS.md}"
MAILROOM_BIN="${MAILROOM_BIN:-$WORK/mailroom-bin}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

STAMP=$(date +%Y%m%d-%H%M%S)
KEEP="$REPO/bench/results/$STAMP"
mkdir -p "$KEEP" "$WORK"
chmod 755 "$WORK"
LOG="$KEEP/sync-e2e.log"
log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" | tee -a "$LOG" >&2; }
die() { log "ERROR: $*"; exit 1; }
# shellcheck source=tools/publish-mailroom.sh
. "$REPO/bench/tools/publish-mailroom.sh"

[ "$(id -u)" = 0 ] || die "run as root (the harness installs packages and runs private Dovecot/Postfix)"
[ -x "$SHARED/run.sh" ] || die "no harness at $SHARED"
INVOCATION="RUNS=$RUNS PEERS=\"$PEERS\" PRODUCT=$PRODUCT PRODUCT_SCOPE=$PRODUCT_SCOPE WORK=$WORK bench/sync-e2e.sh"
log "sync-e2e $STAMP: $INVOCATION"
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)

# ------------------------------------------------------------------ 1. build Mailroom once (Release)
COMMIT=$(git -C "$REPO" rev-parse HEAD 2>/dev/null || echo unknown)
DIRTY=$(git -C "$REPO" status --porcelain -- src 2>/dev/null | wc -l)
SRC_SHA="" BUILD_S=""
if [ "$PRODUCT" = 1 ]; then
  if [ "$BUILD" = 1 ]; then
    publish_mailroom mailroom-src "; PRODUCT=0 measures the peers only"
  fi
  [ -x "$MAILROOM_BIN/mailroom" ] || die "no $MAILROOM_BIN/mailroom (BUILD=0 needs an earlier build)"
  "$MAILROOM_BIN/mailroom" --help >"$KEEP/mailroom-help.txt" 2>&1 || true
  "$MAILROOM_BIN/mailroom" sync --help >>"$KEEP/mailroom-help.txt" 2>&1 || true
  "$MAILROOM_BIN/mailroom" account add --help >>"$KEEP/mailroom-help.txt" 2>&1 || true
  grep -q -- '--password-stdin' "$KEEP/mailroom-help.txt" || die "mailroom account add has no --password-stdin (see $KEEP/mailroom-help.txt)"
fi

# ------------------------------------------------------------------ 2. servers + corpus
if [ "${SKIP_SETUP:-0}" != 1 ]; then
  log "setup.sh (Dovecot/Postfix on 127.0.0.1:101xx, state in $WORK)"
  "$SHARED/setup.sh" >"$KEEP/setup.log" 2>&1 || { tail -30 "$KEEP/setup.log" >&2; die "setup.sh failed"; }
fi
# run.sh loads the corpus itself before measuring S (hard links, ~1 s once generated); loading it here too
# generates/caches it up front (~30 s the first time) and checks the INBOX count.
log "corpus.py load --size S --user bench1"
python3 "$SHARED/corpus.py" load --size S --user bench1 2>&1 | tail -n 1 | tee -a "$LOG" >&2

# ------------------------------------------------------------------ 3. preflight: the product command on a tiny mailbox
PRODUCT_CMD=""
if [ "$PRODUCT" = 1 ]; then
  PRODUCT_CMD="bench/product-sync.sh --bin $MAILROOM_BIN/mailroom --scope $PRODUCT_SCOPE {host} {port} {user} {pass} {dest}"
  pf=$(mktemp -d "$WORK/tmp/preflight.XXXXXX")
  log "preflight: product command against bench3 (the few self-check messages), twice (add+sync, then re-sync)"
  for i in 1 2; do
    if ! bench/product-sync.sh --bin "$MAILROOM_BIN/mailroom" --scope "$PRODUCT_SCOPE" 127.0.0.1 10143 bench3 bench3pass "$pf" \
         >"$KEEP/preflight-$i.out" 2>&1; then
      cat "$KEEP/preflight-$i.out" >&2; die "the product command fails on bench3 (see $KEEP/preflight-$i.out)"
    fi
    grep -q '^RESULT {' "$KEEP/preflight-$i.out" || { cat "$KEEP/preflight-$i.out" >&2; die "no RESULT line from mailroom sync"; }
    log "  preflight $i: $(grep '^RESULT' "$KEEP/preflight-$i.out")"
  done
  rm -rf "$pf"
fi

# ------------------------------------------------------------------ 4. wait (bounded) for a quieter machine
QUIET_LOAD="${QUIET_LOAD:-2.0}" QUIET_WAIT="${QUIET_WAIT:-300}"
waited=0
while awk -v l="$(cut -d' ' -f1 /proc/loadavg)" -v q="$QUIET_LOAD" 'BEGIN { exit !(l >= q) }' && [ "$waited" -lt "$QUIET_WAIT" ]; do
  [ $((waited % 60)) = 0 ] && log "load $(cut -d' ' -f1-3 /proc/loadavg) >= $QUIET_LOAD: waiting (at most ${QUIET_WAIT}s)"
  sleep 10; waited=$((waited + 10))
done
LOAD_BEFORE_RUNS=$(cut -d' ' -f1-3 /proc/loadavg)
log "load before the measured runs: $LOAD_BEFORE_RUNS (waited ${waited}s)"

# ------------------------------------------------------------------ 5. the harness: peers + product, same run
HARNESS_MD="$KEEP/harness-RESULTS.md"
log "run.sh: RUNS=$RUNS SIZES=S LATENCY=0 PEERS=\"$PEERS\"${PRODUCT_CMD:+ + product}"
set +e
PRODUCT_CMD="$PRODUCT_CMD" RUNS="$RUNS" SIZES=S LATENCY=0 INCREMENTAL=1 PEERS="$PEERS" SKIP_SETUP=1 \
  RESULTS_OUT="$HARNESS_MD" "$SHARED/run.sh" 2>&1 | tee "$KEEP/run.log" >&2
rc=${PIPESTATUS[0]}
set -e
[ "$rc" = 0 ] || die "run.sh exited $rc (log: $KEEP/run.log)"
RES=$(sed -n 's/.*results -> //p' "$KEEP/run.log" | tail -n 1)
[ -d "$RES" ] || die "can't find run.sh's results folder in $KEEP/run.log"
cp -p "$RES"/results.jsonl "$RES"/env.json "$RES"/mailbox-S.txt "$RES"/corpus-S.json "$KEEP/" 2>/dev/null || true
# peers.log can be large (node prints per-message noise); keep the product's part and the tail of the rest.
awk '/^### /{keep = ($2 == "product")} keep' "$RES/peers.log" > "$KEEP/product.log" 2>/dev/null || true

cat > "$KEEP/run.json" <<EOF
{"stamp": "$STAMP", "date": "$(date -u +%FT%TZ)", "commit": "$COMMIT", "dirty_src_files": $DIRTY,
 "src_sha": "$SRC_SHA", "build_from": "$BUILD_FROM", "build_s": "${BUILD_S}", "runs": $RUNS, "peers": "$PEERS",
 "load_before_runs": "$LOAD_BEFORE_RUNS", "quiet_wait_s": $waited, "product": $PRODUCT, "product_scope": "$PRODUCT_SCOPE", "product_cmd": "$PRODUCT_CMD",
 "invocation": "$(printf '%s' "$INVOCATION" | sed 's/"/\\"/g')", "nproc": $(nproc), "load_start": "$LOAD_START",
 "load_end": "$(cut -d' ' -f1-3 /proc/loadavg)", "harness_results": "$RES", "work": "$WORK"}
EOF

# ------------------------------------------------------------------ 6. report
python3 "$REPO/bench/e2e_report.py" "$KEEP" "$REPO/bench/results" > "$RESULTS_MD.new"
mv "$RESULTS_MD.new" "$RESULTS_MD"
log "wrote $RESULTS_MD (raw: $RES, copy: $KEEP)"
sed -n '/^## Verdict/,/^## /p' "$RESULTS_MD" | sed '$d' >&2
