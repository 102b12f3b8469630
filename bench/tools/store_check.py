#!/usr/bin/env python3
"""Compares Mailroom's store with the server after bench/live-sync.sh's syncs: the UIDs of USER's INBOX and the
system flags of each (\\Seen \\Answered \\Flagged \\Deleted \\Draft, Mailroom's MessageFlags bits 1,2,4,8,16),
from one `UID FETCH 1:* (UID FLAGS)` and the folder_memberships rows of the folder INBOX.
Prints one JSON line: counts, missing / extra UIDs, UIDs whose flags differ (first few of each), ok."""
import argparse, imaplib, json, os, re, sqlite3

BITS = {b"\\Seen": 1, b"\\Answered": 2, b"\\Flagged": 4, b"\\Deleted": 8, b"\\Draft": 16}
ap = argparse.ArgumentParser()
ap.add_argument("--db", required=True)
ap.add_argument("--user", required=True)
a = ap.parse_args()

m = imaplib.IMAP4(os.environ.get("BENCH_HOST", "127.0.0.1"), int(os.environ.get("IMAP_PORT", 10143)))
m.login(a.user, a.user + "pass")
m.select("INBOX", readonly=True)
typ, data = m.uid("FETCH", "1:*", "(UID FLAGS)")
server = {}
for line in data:
    if not isinstance(line, bytes):
        continue
    u = re.search(rb"UID (\d+)", line)
    f = re.search(rb"FLAGS \(([^)]*)\)", line)
    if u and f:
        server[int(u.group(1))] = sum(BITS.get(x, 0) for x in f.group(1).split())
m.logout()

con = sqlite3.connect("file:%s?mode=ro" % a.db, uri=True)
store = dict(con.execute("SELECT fm.uid, fm.flags FROM folder_memberships fm JOIN folders f ON f.id = fm.folder_id "
                         "WHERE f.path = 'INBOX'"))
dup_messages = con.execute("SELECT count(*) FROM (SELECT identity_key FROM messages GROUP BY mailbox_id, identity_key HAVING count(*) > 1)").fetchone()[0]
missing = sorted(set(server) - set(store))
extra = sorted(set(store) - set(server))
differ = sorted(u for u in set(server) & set(store) if server[u] != store[u])
print(json.dumps({"server": len(server), "store": len(store), "missing": len(missing), "extra": len(extra),
                  "flags_differ": len(differ), "duplicate_identities": dup_messages,
                  "missing_first": missing[:10], "extra_first": extra[:10], "differ_first": differ[:10],
                  "ok": not missing and not extra and not differ and not dup_messages}))
