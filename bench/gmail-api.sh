#!/usr/bin/env bash
# Gmail API benchmark (issue 15): the standard S mailbox (10,000 messages, ../shared/bench/corpus.py) loaded into
# bench1 at the harness's private Dovecot, then, in one process (bench/GmailApiBench):
#   1. IMAP: the first sync of bench1's INBOX (the path of `mailroom sync`), then an unchanged re-sync;
#   2. Gmail API: the first sync of the same raw messages served by the tests' fake Gmail API on 127.0.0.1 (batch
#      users.messages.get, one request per 50 messages), then an unchanged incremental sync (users.history.list).
# Prints messages/s of both, HTTP requests per message (a batch counts once), and the requests and response bytes of
# the unchanged sync. Run as root (setup.sh starts the private Dovecot):
#   bench/gmail-api.sh
# Knobs: WORK=/var/tmp/mailbench (the harness's state), SKIP_SETUP=1 (services already up), SKIP_LOAD=1 (bench1
# already holds S), QUOTA=1000000 (Gmail:QuotaUnitsPerSecond; 250 is Google's per-user limit: messages.get costs 5
# units, so Google itself caps a mailbox at 50 messages/s, and the run then measures that budget, not the client).
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SHARED="${SHARED_BENCH:-$REPO/../shared/bench}"
[ -d "$SHARED" ] || SHARED=/work/shared/bench   # a git worktree beside the main checkout
export WORK="${WORK:-/var/tmp/mailbench}"
# shellcheck source=/dev/null
. "$SHARED/lib.sh"
if [ "${SKIP_SETUP:-0}" != 1 ]; then
  log "setup.sh (private Dovecot on 127.0.0.1:$IMAP_PORT, state in $WORK)"
  "$SHARED/setup.sh" >"$WORK/gmail-api-setup.log" 2>&1 || { tail -30 "$WORK/gmail-api-setup.log" >&2; exit 1; }
fi
if [ "${SKIP_LOAD:-0}" != 1 ]; then
  log "corpus.py load --size S --user bench1"
  "$PY" "$SHARED/corpus.py" load --size S --user bench1 2>&1 | tail -n 1 >&2
fi
MAILDIR=$(doveadm_ user -f home bench1)/Maildir
[ -d "$MAILDIR/cur" ] || { echo "no Maildir at $MAILDIR" >&2; exit 1; }
log "building bench/GmailApiBench"
dotnet build "$REPO/bench/GmailApiBench" -c Release -v q -nologo >&2
log "running (load $(cut -d' ' -f1-3 /proc/loadavg))"
dotnet "$REPO/bench/GmailApiBench/bin/Release/net10.0/GmailApiBench.dll" "$MAILDIR" "$IMAP_PORT" bench1 "$(bench_pass bench1)" "${QUOTA:-1000000}"
