#!/usr/bin/env bash
# Sending benchmark: 1,000 messages through the local test Postfix into Dovecot, Mailroom's outbox against a plain
# MailKit send loop in the same run (tests/Mailroom.IntegrationTests/Sending/SendBenchmark.cs). Needs root for the
# test servers. Prints the RESULT line; the figures go into bench/RESULTS.md ("Sending") by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/test-env.sh up >/dev/null
eval "$(scripts/test-env.sh env)"
dotnet build tests/Mailroom.IntegrationTests -c Release -v q >/dev/null
MAILROOM_BENCH_SEND=1 dotnet test tests/Mailroom.IntegrationTests -c Release --no-build \
  --filter "FullyQualifiedName~SendBenchmark" --logger "console;verbosity=normal"
cat "${TMPDIR:-/tmp}/mailroom-send-bench.json"
