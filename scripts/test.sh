#!/usr/bin/env bash
# Build and run every test project in Mailroom.slnx against the real test servers.
#
#   scripts/test.sh
#
# Starts (or checks) the servers with scripts/test-env.sh, exports their MAILROOM_TEST_*
# settings, builds the solution, runs `dotnet test` with a trx logger and prints the
# totals. The last line is always exactly "N passed, N failed, N skipped"; the exit
# status is non-zero if the build or any test failed.
#
# Starting the servers needs root. Without root the servers must already be up
# (sudo scripts/test-env.sh up). Results go to $MAILROOM_TEST_RESULTS
# (default TestResults/trx), which is emptied first.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT" || exit 1
RESULTS="${MAILROOM_TEST_RESULTS:-$ROOT/TestResults/trx}"

# Stop before any test ran: say why, then the totals line.
give_up() {
  printf '\ntest.sh: ERROR: %s\n' "$1"
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
}

echo "== test servers"
if [ "$(id -u)" = 0 ]; then
  scripts/test-env.sh up || give_up "the test servers did not come up (scripts/test-env.sh up, output above)"
elif scripts/test-env.sh status; then
  echo "(not root: using the servers that are already running)"
else
  give_up "the test servers are not running and starting them needs root: sudo scripts/test-env.sh up"
fi
eval "$(scripts/test-env.sh env)" || give_up "scripts/test-env.sh env failed"

# Live tests must not skip here: a missing server is a failure under this script.
export MAILROOM_REQUIRE_LIVE=1
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

echo "== dotnet build"
dotnet build Mailroom.slnx -c Release ||
  give_up "dotnet build failed (errors above); no tests were run"

echo "== dotnet test"
case "$RESULTS" in ""|/) give_up "refusing to use '$RESULTS' as the results directory";; esac
rm -rf -- "$RESULTS" && mkdir -p "$RESULTS" || give_up "cannot create $RESULTS"
dotnet test Mailroom.slnx -c Release --no-build --logger trx --results-directory "$RESULTS"
rc=$?

echo "== totals"
python3 scripts/totals.py --dotnet-exit "$rc" "$RESULTS"
