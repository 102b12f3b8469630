#!/usr/bin/env bash
# Build and run every test project in Mailroom.slnx against the real test servers.
#
#   scripts/test.sh
#
# Starts (or checks) the servers with scripts/test-env.sh, exports their MAILROOM_TEST_*
# settings, builds the solution, runs `dotnet test` with a trx logger, then the secret scan
# over what the suite kept (MAILROOM_TEST_ARTIFACTS) as the last test, and prints the
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

# What the suite keeps for the secret scan (tests/Shared/TestArtifacts.cs): one folder per run under
# $MAILROOM_TEST_WORK/artifacts. Folders of earlier runs whose script is no longer running are removed first (other
# runs may be going on at the same time on this machine). The servers' logs are scanned from their size now.
ARTIFACTS_BASE="${MAILROOM_TEST_WORK:-/var/tmp/mailroom-test}/artifacts"
mkdir -p "$ARTIFACTS_BASE" 2>/dev/null || ARTIFACTS_BASE="${TMPDIR:-/tmp}/mailroom-test-artifacts-$(id -u)"
mkdir -p "$ARTIFACTS_BASE" || give_up "cannot create $ARTIFACTS_BASE"
for old in "$ARTIFACTS_BASE"/*/; do
  [ -d "$old" ] || continue
  pid=$(cat "$old/run.pid" 2>/dev/null)
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && continue
  rm -rf -- "$old" "${old%/}.summary"
done
export MAILROOM_TEST_ARTIFACTS="$ARTIFACTS_BASE/$(date -u +%Y%m%dT%H%M%SZ)-$$"
mkdir -p "$MAILROOM_TEST_ARTIFACTS" && echo $$ > "$MAILROOM_TEST_ARTIFACTS/run.pid" ||
  give_up "cannot create $MAILROOM_TEST_ARTIFACTS"
for log in "$MAILROOM_TEST_WORK/dovecot/dovecot.log" "$MAILROOM_TEST_WORK/postfix/postfix.log" \
           "$MAILROOM_TEST_WORK/oidc/requests.log" "$MAILROOM_TEST_WORK/oidc/provider.out"; do
  printf '%s\t%s\n' "$log" "$(stat -c %s "$log" 2>/dev/null || echo 0)"
done > "$MAILROOM_TEST_ARTIFACTS/server-logs.tsv"

# Live tests must not skip here: a missing server is a failure under this script.
export MAILROOM_REQUIRE_LIVE=1
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

echo "== dotnet build"
dotnet build Mailroom.slnx -c Release ||
  give_up "dotnet build failed (errors above); no tests were run"

echo "== dotnet test"
case "$RESULTS" in ""|/) give_up "refusing to use '$RESULTS' as the results directory";; esac
rm -rf -- "$RESULTS" && mkdir -p "$RESULTS" || give_up "cannot create $RESULTS"
dotnet test Mailroom.slnx -c Release --no-build --logger trx --results-directory "$RESULTS" --filter "Category!=FinalScan"
rc=$?

# Last, alone: every test password and token against everything the suite kept and the servers logged meanwhile.
echo "== secret scan ($MAILROOM_TEST_ARTIFACTS)"
dotnet test tests/Mailroom.SecretScan.Tests -c Release --no-build --logger trx --results-directory "$RESULTS" \
  --filter "Category=FinalScan"
scan=$?
cat "$MAILROOM_TEST_ARTIFACTS.summary" 2>/dev/null
if [ "$scan" = 0 ]; then
  rm -rf -- "$MAILROOM_TEST_ARTIFACTS" "$MAILROOM_TEST_ARTIFACTS.summary"
else
  echo "secret scan failed: the artifacts are kept in $MAILROOM_TEST_ARTIFACTS"
fi
[ "$rc" = 0 ] && rc=$scan

echo "== totals"
python3 scripts/totals.py --dotnet-exit "$rc" "$RESULTS"
