#!/usr/bin/env python3
"""New-mail latency writer for bench/live-sync.sh: another IMAP client that APPENDs COUNT small messages to
USER's INBOX one by one over one logged-in connection, sleeping a random interval (uniform in
[INTERVAL*(1-JITTER), INTERVAL*(1+JITTER)], seeded) between them so nothing phase-locks with the product's loops.

Like ../shared/bench/tools/appender.py, each message carries `X-Bench-Sent: <epoch>` taken right before its
APPEND; in addition the time the server's tagged OK arrived is logged (`done`), which is what the latency is
measured from. One JSON line per message: {"i", "mid", "sent", "done", "uid"} (uid from UIDPLUS APPENDUID).
The Message-ID is <livebench-RUNID-I@bench.test>, so store_watch.py can match it.
"""
import argparse, imaplib, json, os, random, re, time

ap = argparse.ArgumentParser()
ap.add_argument("--user", default="bench3")
ap.add_argument("--count", type=int, default=200)
ap.add_argument("--interval", type=float, default=1.0, help="mean seconds between APPENDs")
ap.add_argument("--jitter", type=float, default=0.5, help="relative spread of the interval (0.5 -> 0.5x..1.5x)")
ap.add_argument("--run-id", required=True)
ap.add_argument("--seed", type=int, default=1)
ap.add_argument("--log", required=True)
a = ap.parse_args()

rng = random.Random(a.seed)
m = imaplib.IMAP4(os.environ.get("BENCH_HOST", "127.0.0.1"), int(os.environ.get("IMAP_PORT", 10143)))
m.login(a.user, a.user + "pass")
with open(a.log, "a") as log:
    for i in range(a.count):
        if i:
            time.sleep(a.interval * (1 + a.jitter * (2 * rng.random() - 1)))
        mid = "livebench-%s-%d@bench.test" % (a.run_id, i)
        sent = time.time()
        raw = ("X-Bench-Sent: %.6f\r\nFrom: Latency Probe <probe@example.com>\r\nTo: %s@bench.test\r\n"
               "Subject: live-sync latency probe %d\r\nMessage-ID: <%s>\r\nDate: %s\r\n"
               "Content-Type: text/plain; charset=utf-8\r\n\r\nping %d of run %s\r\n"
               % (sent, a.user, i, mid, time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime(sent)), i, a.run_id)).encode()
        typ, data = m.append("INBOX", "", imaplib.Time2Internaldate(sent), raw)
        done = time.time()
        if typ != "OK":
            raise SystemExit("APPEND %d failed: %r" % (i, data))
        uid = re.search(rb"APPENDUID \d+ (\d+)", data[0] or b"")
        log.write(json.dumps({"i": i, "mid": mid, "sent": sent, "done": done, "uid": int(uid.group(1)) if uid else None}) + "\n")
        log.flush()
m.logout()
