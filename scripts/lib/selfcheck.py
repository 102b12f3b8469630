#!/usr/bin/env python3
"""Check the Mailroom test servers the way the tests will use them.

Reads the MAILROOM_TEST_* variables printed by `scripts/test-env.sh env`.
Prints one line per check; exits 1 if any failed."""
import imaplib, os, poplib, shlex, smtplib, ssl, subprocess, sys, time, uuid
from email.message import EmailMessage

E = os.environ
H = E["MAILROOM_TEST_IMAP_HOST"]
IMAP, IMAPS = int(E["MAILROOM_TEST_IMAP_PORT"]), int(E["MAILROOM_TEST_IMAPS_PORT"])
POP3, POP3S = int(E["MAILROOM_TEST_POP3_PORT"]), int(E["MAILROOM_TEST_POP3S_PORT"])
SMTP = int(E["MAILROOM_TEST_SMTP_PORT"])
DOM = E["MAILROOM_TEST_DOMAIN"]
DOVEADM = shlex.split(E["MAILROOM_TEST_DOVEADM"])
CA = E["MAILROOM_TEST_CA"]
TIMEOUT = 10
WANT = ["IDLE", "CONDSTORE", "QRESYNC", "SPECIAL-USE", "UIDPLUS", "MOVE"]
SPECIAL = {"\\Sent": "Sent", "\\Drafts": "Drafts", "\\Trash": "Trash", "\\Junk": "Junk", "\\Archive": "Archive"}
fails = []


def check(ok, what):
    print(("  ok   " if ok else "  FAIL ") + what, flush=True)
    if not ok:
        fails.append(what)


def attempt(what, fn):
    t0 = time.time()
    try:
        fn()
        took = time.time() - t0
        check(True, what + (" (%.1fs)" % took if took > 1 else ""))
    except Exception as e:  # any failure is reported, the remaining checks still run
        check(False, "%s: %s: %s" % (what, type(e).__name__, e))


def verified_tls():
    # Verifies the chain against MAILROOM_TEST_CA and the name 127.0.0.1 (IP SAN).
    return ssl.create_default_context(cafile=CA)


def doveadm(*args):
    return subprocess.run(DOVEADM + list(args), capture_output=True, text=True, timeout=TIMEOUT)


def imap_caps():
    m = imaplib.IMAP4(H, IMAP, timeout=TIMEOUT)
    check("STARTTLS" in m.capabilities, "IMAP %d pre-login CAPABILITY offers STARTTLS" % IMAP)
    check("LOGINDISABLED" not in m.capabilities, "IMAP %d allows plaintext LOGIN" % IMAP)
    m.login("mr1", "mr1pass")
    caps = m.capability()[1][0].decode().split()
    for c in WANT:
        check(c in caps, "CAPABILITY after login has " + c)
    check(not any(c.startswith("COMPRESS") for c in caps), "CAPABILITY has no COMPRESS")
    lines = [l.decode() for l in m.list('""', "*")[1]]
    subscribed = [l.decode() for l in m.lsub('""', "*")[1]]
    for flag, name in SPECIAL.items():
        check(any(flag in l and l.rstrip('"').endswith(name) for l in lines),
              "LIST shows %s as %s" % (name, flag))
        check(any(l.rstrip('"').endswith(name) for l in subscribed), "%s is subscribed" % name)
    m.logout()


def imap_bad_password():
    m = imaplib.IMAP4(H, IMAP, timeout=TIMEOUT)
    try:
        m.login("mr1", "wrong")
    except imaplib.IMAP4.error:
        return
    finally:
        m.shutdown()
    raise AssertionError("wrong password was accepted")


def imap_full_address():
    m = imaplib.IMAP4(H, IMAP, timeout=TIMEOUT)
    m.login("mr2@" + DOM, "mr2pass")
    m.logout()


def imap_starttls():
    m = imaplib.IMAP4(H, IMAP, timeout=TIMEOUT)
    m.starttls(ssl_context=verified_tls())
    m.login("mr2", "mr2pass")
    m.logout()


def imaps():
    m = imaplib.IMAP4_SSL(H, IMAPS, ssl_context=verified_tls(), timeout=TIMEOUT)
    m.login("mr2", "mr2pass")
    m.logout()


def pop3():
    p = poplib.POP3(H, POP3, timeout=TIMEOUT)
    p.stls(context=verified_tls())
    p.user("mr2"); p.pass_("mr2pass"); p.stat(); p.quit()
    p = poplib.POP3(H, POP3, timeout=TIMEOUT)
    p.user("mr2"); p.pass_("mr2pass"); p.stat(); p.quit()


def pop3s():
    p = poplib.POP3_SSL(H, POP3S, context=verified_tls(), timeout=TIMEOUT)
    p.user("mr2"); p.pass_("mr2pass"); p.stat(); p.quit()


def smtp_auth():
    with smtplib.SMTP(H, SMTP, timeout=TIMEOUT) as s:
        s.ehlo()
        if not s.has_extn("starttls"):
            raise AssertionError("EHLO does not offer STARTTLS")
        s.starttls(context=verified_tls())
        s.ehlo()
        s.login("mr1", "mr1pass")


def smtp_unknown_recipient():
    with smtplib.SMTP(H, SMTP, timeout=TIMEOUT) as s:
        s.ehlo()
        s.mail("selfcheck@" + DOM)
        code, _ = s.rcpt("nobody@" + DOM)
        if code < 500:
            raise AssertionError("RCPT nobody@%s got %d, expected a 5xx" % (DOM, code))
        s.rset()


def smtp_delivery():
    mid = "<selfcheck-%s@%s>" % (uuid.uuid4().hex, DOM)
    msg = EmailMessage()
    msg["From"] = "selfcheck@" + DOM
    msg["To"] = "mr8@" + DOM
    msg["Subject"] = "test-env self-check"
    msg["Message-ID"] = mid
    msg.set_content("delivered via postfix -> lmtp -> dovecot\n")
    t0 = time.time()
    with smtplib.SMTP(H, SMTP, timeout=TIMEOUT) as s:
        s.send_message(msg)
    query = ["mailbox", "INBOX", "header", "Message-ID", mid]
    while True:
        r = doveadm("search", "-u", "mr8", *query)
        if r.returncode == 0 and r.stdout.strip():
            break
        if time.time() - t0 > 20:
            raise AssertionError("not in mr8 INBOX after 20 s (doveadm: %s%s); see postfix.log"
                                 % (r.stdout.strip(), r.stderr.strip()))
        time.sleep(0.2)
    # Leave mr8 as it was (only UIDNEXT moves on).
    r = doveadm("expunge", "-u", "mr8", *query)
    if r.returncode != 0:
        raise AssertionError("doveadm expunge: " + r.stderr.strip())
    print("       (delivered in %.2fs)" % (time.time() - t0))


def postgres():
    kv = dict(p.split("=", 1) for p in E["MAILROOM_TEST_PG"].split(";") if p)
    env = dict(E, PGPASSWORD=kv["Password"])
    sql = "SELECT current_user || ' ' || (SELECT rolcreatedb FROM pg_roles WHERE rolname = current_user)"
    r = subprocess.run([E["MAILROOM_TEST_PSQL"], "-X", "-tA", "-h", kv["Host"], "-p", kv["Port"], "-U", kv["Username"],
                        "-d", kv["Database"], "-c", sql], env=env, capture_output=True, text=True, timeout=TIMEOUT)
    if r.returncode != 0 or r.stdout.strip() != "mailroom true":
        raise AssertionError("psql: rc=%d out=%r err=%r" % (r.returncode, r.stdout, r.stderr.strip()))


print("self-check:")
attempt("IMAP %d capabilities and special-use folders" % IMAP, imap_caps)
attempt("IMAP wrong password is refused", imap_bad_password)
attempt("IMAP login as mr2@" + DOM, imap_full_address)
attempt("IMAP %d STARTTLS (verified against MAILROOM_TEST_CA) + login" % IMAP, imap_starttls)
attempt("IMAPS %d (verified) + login" % IMAPS, imaps)
attempt("POP3 %d STLS + login, plaintext login" % POP3, pop3)
attempt("POP3S %d (verified) + login" % POP3S, pop3s)
attempt("SMTP %d STARTTLS + AUTH" % SMTP, smtp_auth)
attempt("SMTP %d refuses unknown @%s recipient" % (SMTP, DOM), smtp_unknown_recipient)
attempt("SMTP %d -> Postfix -> LMTP -> mr8 INBOX (checked with doveadm)" % SMTP, smtp_delivery)
attempt("PostgreSQL: login as mailroom, CREATEDB granted", postgres)
if fails:
    print("self-check FAILED: %d problem(s)" % len(fails))
    sys.exit(1)
print("self-check passed")
