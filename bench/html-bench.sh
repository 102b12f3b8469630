#!/usr/bin/env bash
# Sanitizing throughput over the HTML parts of ../shared/corpus (or $1): Mailroom's email policy vs HtmlSanitizer's
# default policy in the same run. Prints MB/s; see bench/RESULTS.md, section "HTML safety".
#   bench/html-bench.sh [CORPUS_DIR] [ROUNDS]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CORPUS="${1:-$ROOT/../shared/corpus}"
dotnet run -c Release --project "$ROOT/bench/HtmlBench" -- "$CORPUS" "${2:-5}"
