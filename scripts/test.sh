#!/usr/bin/env bash
# Build and run every test project in Mailroom.slnx against the real test servers.
#
#   scripts/test.sh             as root: start the servers from a new, empty state folder, test, stop them and
#                               delete the folder (also on failure or Ctrl-C)
#   scripts/test.sh --running   test against the servers already running (scripts/test-env.sh up); start nothing
#
# The fresh run (the README's command, and what .ci/run calls) shares nothing with an earlier run: new CA, new
# PostgreSQL cluster, new mail stores. The state folder is $MAILROOM_TEST_WORK if set (it must be new or empty),
# else a new /var/tmp/mailroom-test-run.XXXXXX. The servers' ports are fixed (scripts/lib/common.sh), so test servers
# already holding them (a developer's `scripts/test-env.sh up`, a run that was killed) are stopped first; their state
# folders are kept, and `scripts/test-env.sh up` brings them back. Not root means --running.
#
# Exports the servers' MAILROOM_TEST_* settings, builds the solution, runs `dotnet test` with a trx logger, then the
# secret scan over what the suite kept (MAILROOM_TEST_ARTIFACTS) as the last test, and prints the totals. The last
# line is always exactly "N passed, N failed, N skipped"; the exit status is non-zero if the build or any test failed.
# Results go to $MAILROOM_TEST_RESULTS (default TestResults/trx), which is emptied first; after a failed fresh run the
# servers' logs are copied to its server-logs/ before the state folder is deleted.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT" || exit 1
RESULTS="${MAILROOM_TEST_RESULTS:-$ROOT/TestResults/trx}"

MODE=fresh
case "${1:-}" in
  "") ;;
  --running) MODE=running ;;
  *) sed -n '2,6p' "$0" >&2; exit 2 ;;
esac
if [ "$MODE" = fresh ] && [ "$(id -u)" != 0 ]; then
  echo "(not root: the servers cannot be started; testing against the running ones, as with --running)"
  MODE=running
fi

FRESH=""            # the state folder this run created; deleted by teardown
PROBLEMS=()         # failures outside the tests (teardown), counted in the totals

# Stops this run's servers and deletes their folder. Idempotent; runs before the totals and again at exit.
teardown() {
  [ -n "$FRESH" ] || return 0
  local dir=$FRESH
  FRESH=""
  echo "== test servers: stop, delete $dir"
  if ! MAILROOM_TEST_WORK="$dir" scripts/test-env.sh down --purge 9>&-; then
    # A server that would not stop is signalled by its port; then the folder goes anyway.
    scripts/test-env.sh free-ports 9>&- || true
    rm -rf -- "$dir"
  fi
  if [ -e "$dir" ]; then
    PROBLEMS+=("test servers: could not delete the state folder $dir")
    return 1
  fi
}
trap teardown EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Stop before any test ran: say why, then the totals line.
give_up() {
  printf '\ntest.sh: ERROR: %s\n' "$1"
  teardown
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
}

echo "== test servers"
if [ "$MODE" = fresh ]; then
  if [ -n "${MAILROOM_TEST_WORK:-}" ]; then
    [ -z "$(ls -A "$MAILROOM_TEST_WORK" 2>/dev/null)" ] ||
      give_up "MAILROOM_TEST_WORK=$MAILROOM_TEST_WORK is not empty; this run starts from a new, empty state folder. Unset it (a new one is made), or test against the servers running there: scripts/test.sh --running"
    mkdir -p "$MAILROOM_TEST_WORK" || give_up "cannot create $MAILROOM_TEST_WORK"
    FRESH="$(cd "$MAILROOM_TEST_WORK" && pwd)"
  else
    FRESH="$(mktemp -d /var/tmp/mailroom-test-run.XXXXXX)" || give_up "cannot create a state folder under /var/tmp"
  fi
  export MAILROOM_TEST_WORK="$FRESH"
  # One fresh run per network namespace at a time: a second one would stop this one's servers to take the ports.
  # Every command started while it is held closes fd 9 (9>&-): MSBuild nodes and the compiler server outlive this
  # script and would keep the lock. The small lock file itself stays; deleting it would break a waiting run's flock.
  exec 9>"/tmp/mailroom-test-ports.$(stat -L -c %i /proc/self/ns/net).lock" || give_up "cannot open the run lock"
  if ! flock -n 9; then
    echo "(another scripts/test.sh run is using the test ports; waiting for it to end)"
    flock 9 || give_up "cannot take the run lock"
  fi
  echo "state folder: $FRESH (new; deleted at the end)"
  scripts/test-env.sh free-ports 9>&- || give_up "the test ports are in use (scripts/test-env.sh free-ports, output above)"
  scripts/test-env.sh up 9>&- || give_up "the test servers did not come up (scripts/test-env.sh up, output above)"
elif scripts/test-env.sh status; then
  echo "(using the servers that are already running)"
else
  give_up "the test servers are not running: start them with 'sudo scripts/test-env.sh up', or run scripts/test.sh as root"
fi
eval "$(scripts/test-env.sh env)" || give_up "scripts/test-env.sh env failed"

# What the suite keeps for the secret scan (tests/Mailroom.TestSupport/TestArtifacts.cs): one folder per run under
# $MAILROOM_TEST_WORK/artifacts. Folders of earlier runs whose script is no longer running are removed first (with
# --running, other runs may be going on at the same time on this machine). The servers' logs are scanned from their
# size now.
ARTIFACTS_BASE="$MAILROOM_TEST_WORK/artifacts"
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
SERVER_LOGS=("$MAILROOM_TEST_WORK/dovecot/dovecot.log" "$MAILROOM_TEST_WORK/postfix/postfix.log"
             "$MAILROOM_TEST_WORK/oidc/requests.log" "$MAILROOM_TEST_WORK/oidc/provider.out")
for log in "${SERVER_LOGS[@]}"; do
  printf '%s\t%s\n' "$log" "$(stat -c %s "$log" 2>/dev/null || echo 0)"
done > "$MAILROOM_TEST_ARTIFACTS/server-logs.tsv"

# Live tests must not skip here: a missing server is a failure under this script.
export MAILROOM_REQUIRE_LIVE=1
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

echo "== dotnet build"
dotnet build Mailroom.slnx -c Release 9>&- ||
  give_up "dotnet build failed (errors above); no tests were run"

echo "== dotnet test"
case "$RESULTS" in ""|/) give_up "refusing to use '$RESULTS' as the results directory";; esac
rm -rf -- "$RESULTS" && mkdir -p "$RESULTS" || give_up "cannot create $RESULTS"
dotnet test Mailroom.slnx -c Release --no-build --logger trx --results-directory "$RESULTS" --filter "Category!=FinalScan" 9>&-
rc=$?

# Last, alone: every test password and token against everything the suite kept and the servers logged meanwhile.
echo "== secret scan ($MAILROOM_TEST_ARTIFACTS)"
dotnet test tests/Mailroom.SecretScan.Tests -c Release --no-build --logger trx --results-directory "$RESULTS" \
  --filter "Category=FinalScan" 9>&-
scan=$?
cat "$MAILROOM_TEST_ARTIFACTS.summary" 2>/dev/null
if [ "$scan" = 0 ]; then
  rm -rf -- "$MAILROOM_TEST_ARTIFACTS" "$MAILROOM_TEST_ARTIFACTS.summary"
elif [ -n "$FRESH" ]; then
  mv -- "$MAILROOM_TEST_ARTIFACTS" "$RESULTS/secret-scan-artifacts" &&
    echo "secret scan failed: the artifacts are kept in $RESULTS/secret-scan-artifacts"
else
  echo "secret scan failed: the artifacts are kept in $MAILROOM_TEST_ARTIFACTS"
fi
[ "$rc" = 0 ] && rc=$scan

if [ -n "$FRESH" ]; then
  # The state folder is about to go: keep what explains a failure.
  if [ "$rc" != 0 ]; then
    mkdir -p "$RESULTS/server-logs"
    cp -- "${SERVER_LOGS[@]}" "$MAILROOM_TEST_WORK/pg/postgresql.log" "$MAILROOM_TEST_WORK/dns/dnsmasq.log" \
      "$RESULTS/server-logs/" 2>/dev/null
    echo "the servers' logs are kept in $RESULTS/server-logs"
  fi
  teardown
fi

echo "== totals"
problems=()
for p in "${PROBLEMS[@]}"; do problems+=(--problem "$p"); done
python3 scripts/totals.py --dotnet-exit "$rc" "${problems[@]}" "$RESULTS"
