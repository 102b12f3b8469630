#!/usr/bin/env python3
"""Byte-identity check of a Mailroom store against the server: fetches every message of USER's INBOX over IMAP
(EXAMINE, read-only; UID FETCH BODY.PEEK[] in chunks, which changes no flag), hashes each with SHA-256, and compares
with Mailroom's SQLite store: each INBOX membership's raw_sha256, and the SHA-256 recomputed from the raw_mime bytes
actually stored. Prints one JSON line: counts, missing / extra UIDs, hash mismatches, duplicate identities, ok.
  bench/tools/raw_check.py --db DATA/mailroom.db --user bench2 [--password bench2pass] [--port 10143]"""
import argparse, hashlib, imaplib, json, re, sqlite3

ap = argparse.ArgumentParser()
ap.add_argument("--db", required=True)
ap.add_argument("--user", required=True)
ap.add_argument("--password")
ap.add_argument("--host", default="127.0.0.1")
ap.add_argument("--port", type=int, default=10143)
ap.add_argument("--chunk", type=int, default=250)
a = ap.parse_args()

m = imaplib.IMAP4(a.host, a.port)
m.login(a.user, a.password or a.user + "pass")
m.select("INBOX", readonly=True)
typ, data = m.uid("SEARCH", None, "ALL")
uids = [int(x) for x in data[0].split()]
server = {}
for i in range(0, len(uids), a.chunk):
    chunk = ",".join(str(u) for u in uids[i:i + a.chunk])
    typ, data = m.uid("FETCH", chunk, "(BODY.PEEK[])")
    for item in data:
        if isinstance(item, tuple):
            uid = int(re.search(rb"UID (\d+)", item[0]).group(1))
            server[uid] = hashlib.sha256(item[1]).hexdigest()
m.logout()

con = sqlite3.connect("file:%s?mode=ro" % a.db, uri=True)
store = dict(con.execute("SELECT fm.uid, fm.raw_sha256 FROM folder_memberships fm JOIN folders f ON f.id = fm.folder_id "
                         "WHERE f.path = 'INBOX'"))
recomputed_bad = []
for sha, blob in con.execute("SELECT r.sha256, r.data FROM raw_mime r WHERE r.sha256 IN (SELECT fm.raw_sha256 FROM "
                             "folder_memberships fm JOIN folders f ON f.id = fm.folder_id WHERE f.path = 'INBOX')"):
    if hashlib.sha256(blob).hexdigest() != sha:
        recomputed_bad.append(sha)
dups = con.execute("SELECT count(*) FROM (SELECT identity_key FROM messages GROUP BY mailbox_id, identity_key "
                   "HAVING count(*) > 1)").fetchone()[0]
missing = sorted(set(server) - set(store))
extra = sorted(set(store) - set(server))
differ = sorted(u for u in set(server) & set(store) if server[u] != store[u])
print(json.dumps({"server": len(server), "store": len(store), "missing": len(missing), "extra": len(extra),
                  "sha_differ": len(differ), "stored_bytes_bad": len(recomputed_bad), "duplicate_identities": dups,
                  "server_bytes_hashed": True, "missing_first": missing[:10], "differ_first": differ[:10],
                  "ok": len(server) > 0 and not missing and not extra and not differ and not recomputed_bad and not dups}))
