#!/usr/bin/env bash
# Microsoft Graph benchmark (issue 16): the standard S corpus (10,000 messages, ../shared/bench/corpus.py, its inbox/
# folder) served by the tests' fake Graph on 127.0.0.1, synced in one process (bench/GraphBench):
#   1. initial sync (the sync runner, `mailroom sync`'s path): messages/s and HTTP requests per message ($batch of 20
#      counts once);
#   2. unchanged mailbox: requests of a new session and of serve's worker session (target: one per folder);
#   3. serving with Graph:NotificationUrl: CHANGES new messages at the fake, each timed from the change to the
#      message.created webhook Mailroom posts (target: p99 < 1 s).
#   bench/graph.sh [CHANGES]
# Knobs: CORPUS=/var/tmp/mailbench/corpus/S-42 (made by corpus.py if absent), WORK=/var/tmp/mailbench.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SHARED="${SHARED_BENCH:-$REPO/../shared/bench}"
[ -d "$SHARED" ] || SHARED=/work/shared/bench   # a git worktree beside the main checkout
export WORK="${WORK:-/var/tmp/mailbench}"
CORPUS="${CORPUS:-$WORK/corpus/S-42}"
if [ ! -d "$CORPUS/inbox" ]; then
  # shellcheck source=/dev/null
  . "$SHARED/lib.sh"
  log "corpus.py gen --size S (into $WORK/corpus)"
  "$PY" "$SHARED/corpus.py" gen --size S >&2
fi
[ -d "$CORPUS/inbox" ] || { echo "no corpus at $CORPUS/inbox" >&2; exit 1; }
echo "building bench/GraphBench" >&2
dotnet build "$REPO/bench/GraphBench" -c Release -v q -nologo >&2
echo "running (load $(cut -d' ' -f1-3 /proc/loadavg))" >&2
dotnet "$REPO/bench/GraphBench/bin/Release/net10.0/GraphBench.dll" "$CORPUS/inbox" "${1:-100}"
