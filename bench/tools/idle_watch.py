#!/usr/bin/env python3
"""Side-by-side IDLE observer for bench/live-sync.sh's latency test: a minimal IMAP client that IDLEs on USER's
INBOX and logs when the server announces each new message (`* N EXISTS`), so the report can split the latency
into the server's notification delay (Dovecot batches change notifications, NOTIFY_DELAY_MSECS = 500) and
Mailroom's own part (fetch, parse, commit). Logs {"exists": N, "t": epoch} per announcement; the k-th message
appended after start is the one that makes EXISTS reach base+k. Runs until --expect new messages were announced
(the driver kills it if the server stays silent). Only ever reads (IDLE on an EXAMINEd folder)."""
import argparse, json, os, re, socket, time

ap = argparse.ArgumentParser()
ap.add_argument("--user", required=True)
ap.add_argument("--expect", type=int, required=True)
ap.add_argument("--log", required=True)
ap.add_argument("--ready", help="touch this file once IDLE is accepted")
a = ap.parse_args()

s = socket.create_connection((os.environ.get("BENCH_HOST", "127.0.0.1"), int(os.environ.get("IMAP_PORT", 10143))))
f = s.makefile("rb")


def cmd(tag, line):
    s.sendall(b"%s %s\r\n" % (tag, line))
    lines = []
    while True:
        l = f.readline()
        lines.append(l)
        if l.startswith(tag + b" "):
            return lines


f.readline()   # greeting
cmd(b"a", b"LOGIN %s %spass" % (a.user.encode(), a.user.encode()))
base = next(int(m.group(1)) for l in cmd(b"b", b"EXAMINE INBOX") if (m := re.match(rb"\* (\d+) EXISTS", l)))
s.sendall(b"c IDLE\r\n")
if not f.readline().startswith(b"+"):
    raise SystemExit("IDLE refused")
if a.ready:
    open(a.ready, "w").close()
top = base
with open(a.log, "a") as log:
    log.write(json.dumps({"base": base, "t": time.time()}) + "\n")
    while top < base + a.expect:
        l = f.readline()
        t = time.time()
        if not l:
            break
        m = re.match(rb"\* (\d+) EXISTS", l)
        if m and int(m.group(1)) > top:
            top = int(m.group(1))
            log.write(json.dumps({"exists": top, "t": t}) + "\n")
            log.flush()
try:
    s.settimeout(5)
    s.sendall(b"DONE\r\n")
    cmd(b"d", b"LOGOUT")
except OSError:
    pass
