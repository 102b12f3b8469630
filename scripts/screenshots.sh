#!/usr/bin/env bash
# Regenerates the console's screenshots in docs/screenshots/ from a real `mailroom serve` with the test servers:
# the console tests (tests/Mailroom.Console.Tests) take them along their flows when MAILROOM_SCREENSHOTS is set.
#
#   scripts/screenshots.sh      the test servers must be running (scripts/test-env.sh up)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
scripts/test-env.sh status >/dev/null || { echo "screenshots.sh: the test servers are not running: sudo scripts/test-env.sh up" >&2; exit 1; }
eval "$(scripts/test-env.sh env)"
OUT="$ROOT/docs/screenshots"
mkdir -p "$OUT"
export MAILROOM_SCREENSHOTS="$OUT"
dotnet build tests/Mailroom.Console.Tests -c Release
dotnet test tests/Mailroom.Console.Tests -c Release --no-build
ls -l "$OUT"
