#!/usr/bin/env python3
"""Sum the .trx files that `dotnet test --logger trx` wrote and print the totals.

    scripts/totals.py [--dotnet-exit CODE] [--problem TEXT]... DIR_OR_FILE...

The last line printed is exactly "N passed, N failed, N skipped". Failed tests are
listed above it. Exit status: 0 when nothing failed, 1 otherwise.

A non-zero --dotnet-exit with no failed test in any .trx (a crashed test host, a
project that wrote no results) counts as one failure, so such a run never looks green.
Each --problem (something that went wrong outside the tests, e.g. the test servers'
teardown) counts as one failure too.
"""
import argparse
import pathlib
import sys
import xml.etree.ElementTree as ET

NS = "{http://microsoft.com/schemas/VisualStudio/TeamTest/2010}"
SKIPPED = {"NotExecuted", "Inconclusive", "Pending", "NotRunnable"}
# Run-level outcomes that mean something went wrong even if no test result says so
# (a crashed test host leaves "Failed" with Error RunInfos and only the tests before it).
BAD_RUN = {"Failed", "Error", "Aborted", "Timeout"}


def trx_files(paths):
    for p in map(pathlib.Path, paths):
        if p.is_dir():
            yield from sorted(p.rglob("*.trx"))
        elif p.suffix == ".trx" and p.is_file():
            yield p


def read_trx(path):
    """(passed, failed, skipped, failure descriptions) for one .trx file."""
    passed = failed = skipped = 0
    failures = []
    root = ET.parse(path).getroot()
    results = root.find(NS + "Results")
    # Only direct children: data-driven rows nested as InnerResults belong to their parent.
    for r in (results if results is not None else []):
        if r.tag != NS + "UnitTestResult":
            continue
        outcome = r.get("outcome", "")
        if outcome == "Passed":
            passed += 1
        elif outcome in SKIPPED:
            skipped += 1
        else:
            failed += 1
            msg = r.find(f"{NS}Output/{NS}ErrorInfo/{NS}Message")
            first = (msg.text or "").strip().splitlines()[:1] if msg is not None else []
            failures.append("%s [%s]%s" % (r.get("testName", "?"), outcome, (": " + first[0]) if first else ""))
    summary = root.find(NS + "ResultSummary")
    run_outcome = summary.get("outcome", "") if summary is not None else ""
    if run_outcome in BAD_RUN and failed == 0:
        failed += 1
        errors = [(ri.findtext(NS + "Text") or "").strip()
                  for ri in summary.iter(NS + "RunInfo") if ri.get("outcome") == "Error"]
        detail = ("; ".join(e for e in errors if e))[:300] or "no detail"
        failures.append("%s: test run outcome %s with no failed test: %s" % (path.name, run_outcome, detail))
    return passed, failed, skipped, failures


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dotnet-exit", type=int, default=0, help="exit code of dotnet test")
    ap.add_argument("--problem", action="append", default=[], help="a failure outside the tests")
    ap.add_argument("paths", nargs="+")
    args = ap.parse_args()

    passed = failed = skipped = 0
    failures = []
    files = list(trx_files(args.paths))
    for f in files:
        try:
            p, fl, s, fails = read_trx(f)
        except ET.ParseError as e:
            p, fl, s, fails = 0, 1, 0, ["%s: unreadable trx: %s" % (f, e)]
        passed += p; failed += fl; skipped += s; failures += fails

    if args.dotnet_exit != 0 and failed == 0:
        failed = 1
        failures.append("dotnet test exited with code %d but no .trx reports a failed test "
                        "(test host crash, or a test project wrote no results; see the output above)"
                        % args.dotnet_exit)

    failed += len(args.problem)
    failures += args.problem

    print("test results: %d .trx file(s) under %s" % (len(files), " ".join(args.paths)))
    if failures:
        print("failed:")
        for line in failures:
            print("  " + line)
    print("%d passed, %d failed, %d skipped" % (passed, failed, skipped))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
