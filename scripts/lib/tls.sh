# shellcheck shell=bash
# A private CA and a server certificate it signs, shared by Dovecot and Postfix.
# Clients trust $MR_CA (MAILROOM_TEST_CA); the server certificate names 127.0.0.1 and
# localhost, so hostname verification works when connecting to 127.0.0.1.

tls_setup() {
  mkdir -p "$MR_TLS"; chmod 755 "$MR_TLS"
  if [ -s "$MR_CA" ] && [ -s "$MR_CERT" ] && [ -s "$MR_KEY" ] &&
     openssl verify -CAfile "$MR_CA" "$MR_CERT" >/dev/null 2>&1; then
    return 0
  fi
  mr_log "TLS: new test CA and server certificate in $MR_TLS"
  local tmp; tmp=$(mktemp -d)
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=Mailroom test CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -keyout "$tmp/ca.key" -out "$tmp/ca.pem" >/dev/null 2>&1 || mr_die "openssl: CA"
  openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" \
    -keyout "$tmp/server.key" -out "$tmp/server.csr" >/dev/null 2>&1 || mr_die "openssl: server key"
  cat > "$tmp/ext" <<EXT
basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:$MR_DOMAIN,DNS:mail.$MR_DOMAIN,DNS:autodiscover.ews.test
EXT
  openssl x509 -req -in "$tmp/server.csr" -CA "$tmp/ca.pem" -CAkey "$tmp/ca.key" -CAcreateserial \
    -days 3650 -sha256 -extfile "$tmp/ext" -out "$tmp/server.pem" >/dev/null 2>&1 || mr_die "openssl: sign"
  install -m 644 "$tmp/ca.pem" "$MR_CA"
  install -m 600 "$tmp/ca.key" "$MR_TLS/ca.key"
  install -m 644 "$tmp/server.pem" "$MR_CERT"
  install -m 600 "$tmp/server.key" "$MR_KEY"   # read by the Dovecot and Postfix masters as root
  rm -rf "$tmp"
}
