#!/usr/bin/env python3
"""Watches Mailroom's SQLite store for bench/live-sync.sh's latency test: polls the `messages` table every
--interval seconds for rows newer than the ones present at start, and logs the first time each Message-ID
starting with --prefix became visible. A row is visible to a reader only once its batch transaction has
committed (WAL), so "seen" means "in the store".

Each poll is one short read transaction on a read-only connection (a WAL reader, it never blocks the writer):
`SELECT id, message_id_header FROM messages WHERE id > ?`. For a message first seen by poll k, the commit
happened after poll k-1 began its snapshot and before poll k ended: we log `seen` = end of poll k (an upper
bound, so latencies are never flattered) and `prev` = start of poll k-1's query; seen - prev is the resolution
of that sample. Stops after --expect matches or --timeout seconds, then writes a summary line with the poll
statistics (count, median and max gap between poll starts, median and max query time).
"""
import argparse, json, sqlite3, statistics, time

ap = argparse.ArgumentParser()
ap.add_argument("--db", required=True)
ap.add_argument("--prefix", required=True, help="message_id_header prefix to match (as Mailroom stores it)")
ap.add_argument("--expect", type=int, required=True)
ap.add_argument("--interval", type=float, default=0.005)
ap.add_argument("--timeout", type=float, default=900)
ap.add_argument("--log", required=True)
ap.add_argument("--ready", help="touch this file once the baseline is read")
a = ap.parse_args()

con = sqlite3.connect("file:%s?mode=ro" % a.db, uri=True, isolation_level=None, timeout=5)
last = con.execute("SELECT coalesce(max(id), 0) FROM messages").fetchone()[0]
if a.ready:
    open(a.ready, "w").close()
seen = {}
starts, qtimes = [], []
prev_start = time.time()
end = prev_start + a.timeout
with open(a.log, "a") as log:
    while len(seen) < a.expect and time.time() < end:
        t0 = time.time()
        rows = con.execute("SELECT id, message_id_header FROM messages WHERE id > ? ORDER BY id", (last,)).fetchall()
        t1 = time.time()
        starts.append(t0); qtimes.append(t1 - t0)
        for rid, mid in rows:
            last = max(last, rid)
            if mid and mid.startswith(a.prefix) and mid not in seen:
                seen[mid] = t1
                log.write(json.dumps({"mid": mid, "seen": t1, "prev": prev_start, "row": rid}) + "\n")
        if rows:
            log.flush()
        prev_start = t0
        time.sleep(a.interval)
    gaps = [b - a_ for a_, b in zip(starts, starts[1:])]
    log.write(json.dumps({"summary": True, "polls": len(starts), "matched": len(seen), "expect": a.expect,
                          "interval_s": a.interval,
                          "gap_median_ms": round(statistics.median(gaps) * 1000, 2) if gaps else None,
                          "gap_p99_ms": round(sorted(gaps)[int(len(gaps) * .99)] * 1000, 2) if gaps else None,
                          "gap_max_ms": round(max(gaps) * 1000, 2) if gaps else None,
                          "query_median_ms": round(statistics.median(qtimes) * 1000, 3) if qtimes else None,
                          "query_max_ms": round(max(qtimes) * 1000, 2) if qtimes else None}) + "\n")
