# shellcheck shell=bash
# Private dnsmasq (from dnsmasq-base: no system service) on 127.0.0.1, serving the zones the discovery
# tests look up: SRV (RFC 6186), MX and A records under .test. It answers for .test only (anything else
# there is NXDOMAIN) and forwards nothing. The mail servers the records name are the test Dovecot and
# Postfix (localhost or 127.0.0.1); their certificate names localhost, mailroom.test and mail.mailroom.test.

MR_DNS="$MR_WORK/dns"
MR_DNS_PORT=11053     # UDP and TCP
MR_DNS_CONF="$MR_DNS/dnsmasq.conf"
MR_DNS_CLOSED_PORT=11001  # nothing listens here: records pointing at it must never be offered
MR_EWS_PORT=11444         # the tests' fake EWS listens here when an SRV record must name it (Autodiscover)

dns_pidfile() { printf '%s\n' "$MR_DNS/dnsmasq.pid"; }

dns_running() {
  local p; p=$(dns_pidfile)
  [ -s "$p" ] && kill -0 "$(cat "$p")" 2>/dev/null
}

dns_configure() {
  command -v dnsmasq >/dev/null || mr_die "dnsmasq not installed (apt-get install dnsmasq-base)"
  mkdir -p "$MR_DNS"
  local d=$MR_DOMAIN
  cat > "$MR_DNS_CONF.new" <<CONF
port=$MR_DNS_PORT
listen-address=$MR_HOST
bind-interfaces
no-resolv
no-hosts
no-poll
local=/test/
pid-file=$(dns_pidfile)
log-facility=$MR_DNS/dnsmasq.log
log-queries

# provider.test: in the tests' provider table; its SRV record is of lower precedence.
srv-host=_imaps._tcp.provider.test,localhost,$MR_IMAPS_PORT,0,0

# auto.test: autoconfig.auto.test serves the document (the tests' HTTPS server); SRV is of lower precedence.
host-record=autoconfig.auto.test,$MR_HOST
srv-host=_imap._tcp.auto.test,localhost,$MR_IMAP_PORT,0,0

# wellknown.test: only https://wellknown.test/.well-known/autoconfig/ answers.
host-record=wellknown.test,$MR_HOST

# ews.test: POX Autodiscover at autodiscover.ews.test (the tests' fake EWS, in the certificate); srvews.test: only
# the _autodiscover._tcp SRV record, naming localhost at the fake EWS's fixed port.
host-record=autodiscover.ews.test,$MR_HOST
srv-host=_autodiscover._tcp.srvews.test,localhost,$MR_EWS_PORT,0,0

# srv.test: RFC 6186. The best _imaps record points at a closed port; "." means not offered.
srv-host=_imaps._tcp.srv.test,localhost,$MR_DNS_CLOSED_PORT,0,0
srv-host=_imaps._tcp.srv.test,localhost,$MR_IMAPS_PORT,10,0
srv-host=_imap._tcp.srv.test,localhost,$MR_IMAP_PORT,20,0
srv-host=_pop3s._tcp.srv.test,localhost,$MR_POP3S_PORT,0,0
srv-host=_pop3._tcp.srv.test
srv-host=_submissions._tcp.srv.test
srv-host=_submission._tcp.srv.test,localhost,$MR_SMTP_PORT,0,0

# mx.test: mail hosted at hosting.test (a provider the tests configure by its MX suffix).
mx-host=mx.test,mx2.hosting.test,20
mx-host=mx.test,mx1.hosting.test,10

# $d: nothing but guessable host names. imap. and smtp. are not in the server certificate (TLS fails).
host-record=mail.$d,$MR_HOST
host-record=imap.$d,$MR_HOST
host-record=smtp.$d,$MR_HOST
mx-host=$d,mx.elsewhere.test,10

# slow.test: autoconfig host exists (the tests make it hang); SRV answers.
host-record=autoconfig.slow.test,$MR_HOST
srv-host=_imaps._tcp.slow.test,localhost,$MR_IMAPS_PORT,0,0
CONF
  if cmp -s "$MR_DNS_CONF.new" "$MR_DNS_CONF"; then rm -f "$MR_DNS_CONF.new"; DNS_CONF_CHANGED=0
  else mv "$MR_DNS_CONF.new" "$MR_DNS_CONF"; DNS_CONF_CHANGED=1; fi
  dnsmasq --test -C "$MR_DNS_CONF" >/dev/null 2>&1 || mr_die "dnsmasq rejects $MR_DNS_CONF"
}

dns_start() {
  if dns_running; then
    [ "${DNS_CONF_CHANGED:-1}" = 1 ] || { mr_log "dnsmasq: running, configuration unchanged"; return 0; }
    dns_stop   # dnsmasq re-reads only its hosts files on SIGHUP, not its configuration
  fi
  mr_log "dnsmasq: start on $MR_HOST:$MR_DNS_PORT"
  dnsmasq -C "$MR_DNS_CONF" </dev/null >/dev/null 2>&1 || mr_die "dnsmasq did not start (see $MR_DNS/dnsmasq.log)"
}

dns_stop() {
  dns_running || { mr_log "dnsmasq: not running"; return 0; }
  local pid i; pid=$(cat "$(dns_pidfile)")
  kill "$pid" 2>/dev/null || true
  for i in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && mr_die "dnsmasq (pid $pid) did not stop"
  rm -f "$(dns_pidfile)"
  mr_log "dnsmasq: stopped"
}
