#!/usr/bin/env python3
"""Check the OAuth2 part of the test servers: get a token from the OpenID test provider by the device flow
(driving the provider's own verification pages over HTTP), then log in to Dovecot with it over IMAP, once with
XOAUTH2 and once with OAUTHBEARER, and make sure a wrong token is refused. Exits 1 if any check failed."""
import base64, http.cookiejar, imaplib, json, os, re, ssl, sys, urllib.parse, urllib.request

E = os.environ
ISSUER, SECRET, USER = E["MAILROOM_TEST_OIDC_ISSUER"], E["MAILROOM_TEST_OIDC_CLIENT_SECRET"], E["MAILROOM_TEST_OIDC_USER"]
HOST, PORT, CA = E["MAILROOM_TEST_IMAP_HOST"], int(E["MAILROOM_TEST_IMAP_PORT"]), E["MAILROOM_TEST_CA"]
fails = []


def check(ok, what):
    print(("  ok   " if ok else "  FAIL ") + what, flush=True)
    if not ok:
        fails.append(what)


def post(opener, url, fields):
    req = urllib.request.Request(urllib.parse.urljoin(ISSUER, url), data=urllib.parse.urlencode(fields).encode())
    with opener.open(req, timeout=10) as r:
        return r.read().decode()


def form(html):
    action = re.search(r'action="([^"]+)"', html).group(1)
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))
    return action, fields


def device_token():
    plain = urllib.request.build_opener()
    start = json.loads(post(plain, "/device/auth", {"client_id": "mailroom", "client_secret": SECRET,
                                                     "scope": "openid offline_access email"}))
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    with browser.open(start["verification_uri_complete"], timeout=10) as r:
        html = r.read().decode()
    action, fields = form(html)                       # enter the user code
    html = post(browser, action, {**fields, "user_code": start["user_code"]})
    action, fields = form(html)                       # confirm the device
    html = post(browser, action, fields)
    action, _ = form(html)                            # log in (development interactions)
    html = post(browser, action, {"prompt": "login", "login": USER, "password": "any"})
    action, _ = form(html)                            # consent
    post(browser, action, {"prompt": "consent"})
    return json.loads(post(plain, "/token", {"client_id": "mailroom", "client_secret": SECRET, "device_code": start["device_code"],
                                             "grant_type": "urn:ietf:params:oauth:grant-type:device_code"}))


def login(mechanism, token):
    ctx = ssl.create_default_context(cafile=CA)
    with imaplib.IMAP4(HOST, PORT, timeout=10) as imap:
        imap.starttls(ctx)
        if mechanism == "XOAUTH2":
            payload = f"user={USER}\x01auth=Bearer {token}\x01\x01"
        else:
            payload = f"n,a={USER},\x01host={HOST}\x01port={PORT}\x01auth=Bearer {token}\x01\x01"
        try:
            typ, _ = imap.authenticate(mechanism, lambda _: payload.encode())
            return typ == "OK"
        except imaplib.IMAP4.error:
            return False


try:
    tokens = device_token()
    check("access_token" in tokens and "refresh_token" in tokens, "oidc: device flow gives access and refresh tokens")
    check(login("XOAUTH2", tokens["access_token"]), f"oidc: IMAP AUTHENTICATE XOAUTH2 as {USER} with the token")
    check(login("OAUTHBEARER", tokens["access_token"]), f"oidc: IMAP AUTHENTICATE OAUTHBEARER as {USER} with the token")
    check(not login("XOAUTH2", "not-a-token"), "oidc: a wrong token is refused")
except Exception as ex:  # noqa: BLE001 - any failure is a failed check, with the reason
    check(False, f"oidc: {type(ex).__name__}: {ex}")
sys.exit(1 if fails else 0)
