#!/usr/bin/env python3
"""Applies N changes to USER's INBOX as another IMAP client would, for bench/live-sync.sh's change-cost test.

The mix for N changes (stated in the report): a third each, the remainder going to flag changes:
  flags    = N - 2*(N//3)  flag changes on distinct read, unflagged messages (so each really changes and raises
                           its MODSEQ): the first half get +\\Flagged, the rest -\\Seen (marked unread)
  new      = N//3          messages APPENDed: copies of randomly chosen corpus messages (the L corpus, so sizes
                           follow its distribution), each with a fresh Message-ID <lschange-TAG-I@bench.test>
                           (the original one is kept as X-Original-Message-ID) so none is a duplicate identity
  expunged = N//3          distinct messages (not among the flagged ones) marked \\Deleted and removed with
                           UID EXPUNGE (UIDPLUS), i.e. only those
UIDs are drawn at random (seeded) from the whole mailbox, so changes are spread across it.
Prints one JSON line: what was done (counts, UIDs, bytes appended, UIDNEXT/HIGHESTMODSEQ before and after).
"""
import argparse, imaplib, json, os, random, re

ap = argparse.ArgumentParser()
ap.add_argument("--user", required=True)
ap.add_argument("--n", type=int, required=True)
ap.add_argument("--corpus", required=True, help="folder of corpus message files (LF line ends)")
ap.add_argument("--tag", required=True)
ap.add_argument("--seed", type=int, default=1)
a = ap.parse_args()

n_new = a.n // 3
n_exp = a.n // 3
n_flag = a.n - n_new - n_exp
rng = random.Random("%s/%d/%d" % (a.tag, a.n, a.seed))

m = imaplib.IMAP4(os.environ.get("BENCH_HOST", "127.0.0.1"), int(os.environ.get("IMAP_PORT", 10143)))
m.login(a.user, a.user + "pass")


def status():
    typ, data = m.status("INBOX", "(MESSAGES UIDNEXT HIGHESTMODSEQ)")
    return {k.decode().lower(): int(v) for k, v in re.findall(rb"(MESSAGES|UIDNEXT|HIGHESTMODSEQ) (\d+)", data[0])}


def uidset(uids):
    return ",".join(str(u) for u in sorted(uids))


before = status()
m.select("INBOX")
typ, data = m.uid("SEARCH", None, "SEEN", "UNFLAGGED")
candidates = [int(x) for x in data[0].split()]
picked = rng.sample(candidates, n_flag + n_exp)
flag_uids, exp_uids = picked[:n_flag], picked[n_flag:]
flagged, unseen = flag_uids[: (n_flag + 1) // 2], flag_uids[(n_flag + 1) // 2:]
if flagged:
    m.uid("STORE", uidset(flagged), "+FLAGS.SILENT", "(\\Flagged)")
if unseen:
    m.uid("STORE", uidset(unseen), "-FLAGS.SILENT", "(\\Seen)")
if exp_uids:
    m.uid("STORE", uidset(exp_uids), "+FLAGS.SILENT", "(\\Deleted)")
    typ, data = m.uid("EXPUNGE", uidset(exp_uids))
    if typ != "OK":
        raise SystemExit("UID EXPUNGE failed: %r" % data)

files = sorted(os.listdir(a.corpus))
appended_bytes = 0
for i, name in enumerate(rng.sample(files, n_new)):
    raw = open(os.path.join(a.corpus, name), "rb").read()
    head, sep, body = raw.partition(b"\n\n")
    head = re.sub(rb"(?im)^message-id:", b"X-Original-Message-ID:", head)
    raw = b"Message-ID: <lschange-%s-%d@bench.test>\n" % (a.tag.encode(), i) + head + sep + body
    raw = raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    typ, data = m.append("INBOX", "", imaplib.Time2Internaldate(os.path.getmtime(os.path.join(a.corpus, name))), raw)
    if typ != "OK":
        raise SystemExit("APPEND failed: %r" % data)
    appended_bytes += len(raw)
m.logout()
m = imaplib.IMAP4(os.environ.get("BENCH_HOST", "127.0.0.1"), int(os.environ.get("IMAP_PORT", 10143)))
m.login(a.user, a.user + "pass")
after = status()
m.logout()
print(json.dumps({"n": a.n, "flag_changes": n_flag, "flagged": len(flagged), "marked_unread": len(unseen),
                  "appended": n_new, "appended_bytes": appended_bytes, "expunged": len(exp_uids),
                  "before": before, "after": after, "expunged_uids": sorted(exp_uids),
                  "flag_uids": sorted(flag_uids)}))
