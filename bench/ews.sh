#!/usr/bin/env bash
# EWS benchmark (issue 17): bench/EwsBench in one process against the tests' fake EWS on https://127.0.0.1 (schema
# checks off, so that the client is what is measured): the initial sync of 10,000 messages (messages/s, requests per
# message with batched GetItem), an unchanged sync (requests: one SyncFolderHierarchy plus one SyncFolderItems per
# folder). New-mail latency on streaming notifications is asserted by EwsStreamingTests (under 1 s per delivery).
#   bench/ews.sh [MAILDIR|COUNT]     (default 10000 generated messages of about 4 KB)
# Needs the test CA (the fake serves its certificate): MAILROOM_TEST_CA from scripts/test-env.sh env.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if [ -z "${MAILROOM_TEST_CA:-}" ]; then
  eval "$("$REPO/scripts/test-env.sh" env)"
fi
[ -f "$MAILROOM_TEST_CA" ] || { echo "no test CA at $MAILROOM_TEST_CA: run scripts/test-env.sh up" >&2; exit 1; }
echo "building bench/EwsBench" >&2
dotnet build "$REPO/bench/EwsBench" -c Release -v q -nologo >&2
echo "running (load $(cut -d' ' -f1-3 /proc/loadavg))" >&2
dotnet "$REPO/bench/EwsBench/bin/Release/net10.0/EwsBench.dll" "${1:-10000}"
