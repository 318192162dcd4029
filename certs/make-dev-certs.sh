#!/usr/bin/env bash
# Makes a local development PKI with the openssl CLI: a CA, a server certificate for
# localhost/127.0.0.1 and a client ("function") certificate whose subject carries a CVR number
# the way OCES function certificates do. Never use these outside a developer machine.
#
# usage: certs/make-dev-certs.sh [OUT_DIR] [--force]
#   OUT_DIR defaults to certs/dev next to this script (git-ignored).
#   Existing files are kept unless --force is given.
#   CVR (env, default 12345678) is written into the client certificate's subject.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
out="$here/dev"
force=0
for arg in "$@"; do
  case "$arg" in
    --force) force=1 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) out="$arg" ;;
  esac
done
cvr="${CVR:-12345678}"
days="${DAYS:-825}"

mkdir -p "$out"
cd "$out"
if [[ -f ca.crt && -f server.crt && -f client.crt && $force -eq 0 ]]; then
  echo "dev certificates already in $out (use --force to remake)"
  exit 0
fi
umask 077

# CA
openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days "$days" \
  -keyout ca.key -out ca.crt \
  -subj "/C=DK/O=cpr-haendelser dev CA/CN=cpr-haendelser dev CA" \
  -addext "basicConstraints=critical,CA:TRUE" \
  -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null

# Server: localhost, 127.0.0.1, and `simulator` and `receiver` (their docker-compose service names)
openssl req -newkey rsa:2048 -nodes -sha256 -keyout server.key -out server.csr \
  -subj "/C=DK/O=cpr-haendelser dev/CN=localhost" 2>/dev/null
cat > server.ext <<EXT
basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=DNS:localhost,DNS:simulator,DNS:receiver,IP:127.0.0.1
EXT
openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -sha256 -days "$days" \
  -extfile server.ext -out server.crt 2>/dev/null

# Client (function certificate): subject like "CVR:<cvr>-FID:<n>"
openssl req -newkey rsa:2048 -nodes -sha256 -keyout client.key -out client.csr \
  -subj "/C=DK/O=cpr-haendelser dev \/\/ CVR:${cvr}/serialNumber=CVR:${cvr}-FID:10000001/CN=cprh dev (funktionscertifikat)" 2>/dev/null
cat > client.ext <<EXT
basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=clientAuth
EXT
openssl x509 -req -in client.csr -CA ca.crt -CAkey ca.key -CAcreateserial -sha256 -days "$days" \
  -extfile client.ext -out client.crt 2>/dev/null

rm -f server.csr client.csr server.ext client.ext ca.srl
chmod 644 ca.crt server.crt client.crt
echo "dev certificates written to $out (CVR $cvr)"
