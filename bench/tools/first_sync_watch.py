#!/usr/bin/env python3
"""By-hand benchmark of a first sync as a user sees it (issue 19, targets 4 and 5).

Adds the account to a fresh data folder (not timed), then starts either `mailroom sync` or `mailroom serve` and
watches, every POLL ms, from the moment the process is started:
  - the store (SQLite, read-only, WAL: only committed batches are visible): when the first message appears, when
    the NEWEST newest messages of the server's INBOX (by UID) are all stored, when all N are;
  - with --mode serve, the /v1 API too: when GET /v1/messages?limit=NEWEST (newest first) answers with NEWEST
    messages that are exactly those newest UIDs (the ids are mapped to UIDs through the store);
  - the process's CPU (utime+stime from /proc) and peak RSS (VmHWM) when all N are stored.
For serve, msgs/s "in process" = N / (all stored - first message stored): no process start-up, no login.

  bench/tools/first_sync_watch.py --bin $WORK/mailroom-bin/mailroom --data /var/tmp/x --mode serve --user bench1
Prints one JSON line. INBOX only (every other role skipped, as bench/product-sync.sh does).
"""
import argparse
import imaplib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
import urllib.request

ROLES = ["Sent", "Drafts", "Archive", "All", "Junk", "Trash", "Flagged"]


def server_uids(port, user, password):
    imap = imaplib.IMAP4("127.0.0.1", port)
    imap.login(user, password)
    imap.select("INBOX", readonly=True)
    _, data = imap.uid("SEARCH", None, "ALL")
    imap.logout()
    return sorted(int(u) for u in data[0].split())


def proc_stats(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        ticks = os.sysconf("SC_CLK_TCK")
        cpu = (int(fields[11]) + int(fields[12])) / ticks
        rss = 0
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    rss = int(line.split()[1]) // 1024
        return cpu, rss
    except OSError:
        return None, None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--data", required=True, help="fresh data folder (deleted first)")
    ap.add_argument("--mode", choices=["sync", "serve"], default="sync")
    ap.add_argument("--user", default="bench1")
    ap.add_argument("--port", type=int, default=10143)
    ap.add_argument("--newest", type=int, default=100)
    ap.add_argument("--poll", type=float, default=20, help="ms between polls")
    ap.add_argument("--url", default="http://127.0.0.1:5191")
    ap.add_argument("--timeout", type=float, default=900)
    ap.add_argument("--keep", action="store_true", help="keep the data folder")
    ap.add_argument("--stop-after-newest", action="store_true",
                    help="stop once the newest are stored (and, for serve, seen through the API): for L")
    a = ap.parse_args()

    password = a.user + "pass"
    env = dict(os.environ)
    for i, role in enumerate(ROLES):
        env[f"MAILROOM__Sync__SkippedRoles__{i}"] = role
    shutil.rmtree(a.data, ignore_errors=True)
    os.makedirs(a.data)
    base = [a.bin, "--data", a.data]
    subprocess.run(base + ["account", "add", "--imap", f"127.0.0.1:{a.port}", "--user", a.user, "--password-stdin",
                           "--security", "none", "--allow-plaintext", "--name", "bench", "--no-verify"],
                   input=password + "\n", text=True, env=env, check=True, capture_output=True)
    key = None
    if a.mode == "serve":
        out = subprocess.run(base + ["apikey", "create", "--name", "bench", "--json"], env=env, check=True,
                             capture_output=True, text=True).stdout
        key = json.loads(out)["key"]

    uids = server_uids(a.port, a.user, password)
    n = len(uids)
    newest = set(uids[-a.newest:])
    low = min(newest)
    db = os.path.join(a.data, "mailroom.db")
    cmd = base + (["sync", "bench", "--quiet"] if a.mode == "sync" else ["serve", "--urls", a.url])
    log = open(a.data + ".log", "w")
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)
    res = {"mode": a.mode, "messages_on_server": n, "newest": a.newest}
    con = None
    try:
        while time.monotonic() - t0 < a.timeout:
            now = time.monotonic() - t0
            if con is None and os.path.exists(db):
                try:
                    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
                except sqlite3.Error:
                    con = None
            if con is not None:
                try:
                    total, top = con.execute(
                        "SELECT COUNT(*), COALESCE(SUM(fm.uid >= ?), 0) FROM folder_memberships fm "
                        "JOIN folders f ON f.id = fm.folder_id WHERE f.path = 'INBOX'", (low,)).fetchone()
                except sqlite3.Error:
                    total, top = 0, 0
                if total > 0 and "first_stored_s" not in res:
                    res["first_stored_s"] = round(now, 3)
                if top >= a.newest and "newest_stored_s" not in res:
                    res["newest_stored_s"] = round(now, 3)
                    res["stored_when_newest_stored"] = total
                if key and "newest_stored_s" in res and "newest_api_s" not in res:
                    try:
                        req = urllib.request.Request(f"{a.url}/v1/messages?limit={a.newest}",
                                                     headers={"Authorization": "Bearer " + key})
                        items = json.load(urllib.request.urlopen(req, timeout=5))["items"]
                        ids = [m["id"] for m in items]
                        got = set()
                        if ids:
                            marks = ",".join("?" * len(ids))
                            got = {r[0] for r in con.execute(
                                f"SELECT fm.uid FROM folder_memberships fm JOIN folders f ON f.id = fm.folder_id "
                                f"WHERE f.path = 'INBOX' AND fm.message_id IN ({marks})", ids)}
                        if len(ids) == a.newest and got == newest:
                            res["newest_api_s"] = round(time.monotonic() - t0, 3)
                    except (OSError, ValueError, KeyError):
                        pass
                if a.stop_after_newest and "newest_stored_s" in res and (not key or "newest_api_s" in res):
                    cpu, rss = proc_stats(proc.pid)
                    res["cpu_s_at_stop"] = cpu
                    res["stored_at_stop"] = total
                    break
                if total >= n:
                    res["all_stored_s"] = round(now, 3)
                    cpu, rss = proc_stats(proc.pid)
                    res["cpu_s_at_all_stored"] = cpu
                    res["peak_rss_mb"] = rss
                    first = res.get("first_stored_s", 0)
                    if res["all_stored_s"] > first:
                        res["msgs_per_s_first_to_all"] = round(n / (res["all_stored_s"] - first))
                    res["msgs_per_s_from_start"] = round(n / res["all_stored_s"])
                    break
            if proc.poll() is not None and a.mode == "sync":
                # One last look happens above on the next turn; a finished sync that stored less is a failure.
                if "all_stored_s" not in res and con is not None:
                    time.sleep(a.poll / 1000)
                    total = con.execute("SELECT COUNT(*) FROM folder_memberships").fetchone()[0]
                    if total < n:
                        res["error"] = f"sync exited {proc.returncode} with {total} of {n} stored"
                        break
                    continue
            time.sleep(a.poll / 1000)
        else:
            res["error"] = "timeout"
        if a.mode == "sync" and not a.stop_after_newest:
            proc.wait(timeout=a.timeout)
            res["exit"] = proc.returncode
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
        if con is not None:
            con.close()
        log.close()
        if not a.keep:
            shutil.rmtree(a.data, ignore_errors=True)
    res["load1"] = os.getloadavg()[0]
    print(json.dumps(res))
    return 1 if "error" in res else 0


if __name__ == "__main__":
    sys.exit(main())
