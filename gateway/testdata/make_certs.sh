#!/usr/bin/env bash
# Writes a throwaway CA, a server certificate for "backend.test" and a client
# certificate, all signed by the CA, into the directory given: the TLS and
# mTLS upstream tests' fixtures (made at build time, never committed).
set -euo pipefail
mkdir -p "$1"
out="$(cd "$1" && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem \
  -days 3650 -subj /CN=netrpc-gateway-test-ca 2>/dev/null
for who in server client; do
  cn=backend.test
  [ "$who" = client ] && cn=gateway.test
  openssl req -newkey rsa:2048 -nodes -keyout "$who.key" -out "$who.csr" \
    -subj "/CN=$cn" 2>/dev/null
  printf "subjectAltName=DNS:%s\n" "$cn" > "$who.ext"
  openssl x509 -req -in "$who.csr" -CA ca.pem -CAkey ca.key \
    -CAcreateserial -out "$who.pem" -days 3650 -extfile "$who.ext" 2>/dev/null
done
cp ca.pem server.pem server.key client.pem client.key "$out"/
