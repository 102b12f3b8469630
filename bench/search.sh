#!/usr/bin/env bash
# Full-text search benchmark (issue 20): 100,000 generated messages stored into SQLite and into PostgreSQL, each first
# without and then with the search index (what indexing adds to storing a full sync), the index's size against the
# database, and p50/p99 of GET /v1/search for words of three frequencies, phrases and from: + word.
#
#   bench/search.sh                       # both databases (PostgreSQL: the test server, scripts/test-env.sh)
#   DBS=sqlite bench/search.sh            # one database
#   SEARCH_BENCH_MESSAGES=20000 bench/search.sh   # smaller store (quick check)
#
# Output: bench/results/search-<stamp>.txt (the tables are pasted into bench/RESULTS.md, "Search").
set -euo pipefail
cd "$(dirname "$0")/.."
DBS=${DBS:-"sqlite postgres"}
if [[ " $DBS " == *" postgres "* && -z "${MAILROOM_TEST_PG:-}" ]]; then
  eval "$(scripts/test-env.sh env)"
fi
dotnet build bench/SearchBench -c Release -nologo -v quiet
mkdir -p bench/results
out="bench/results/search-$(date -u +%Y%m%dT%H%M%SZ).txt"
{
  echo "commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src bench || echo ' (with uncommitted changes)'), $(date -u)"
  for db in $DBS; do
    dotnet bench/SearchBench/bin/Release/net10.0/SearchBench.dll "$db"
  done
} 2>&1 | tee "$out"
echo "written: $out"
