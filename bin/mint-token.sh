#!/usr/bin/env bash
# Mints a bearer token with group `roster-writer` for local use of a prod-profile Roster.
#   bin/mint-token.sh [key-dir] [lifetime-seconds]
# Creates key-dir/privateKey.pem and key-dir/publicKey.pem (RSA 2048) when missing, prints the token.
# Start Roster with MP_JWT_VERIFY_PUBLICKEY_LOCATION=<key-dir>/publicKey.pem; send
# `Authorization: Bearer <token>`. Needs only openssl. Keep the private key out of version control.
set -euo pipefail
dir="${1:-$HOME/.roster-keys}"
lifetime="${2:-3600}"
mkdir -p "$dir"
if [[ ! -f "$dir/privateKey.pem" ]]; then
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$dir/privateKey.pem" 2>/dev/null
  openssl pkey -in "$dir/privateKey.pem" -pubout -out "$dir/publicKey.pem"
  echo "created $dir/privateKey.pem and $dir/publicKey.pem" >&2
fi
b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
now=$(date +%s)
header=$(printf '{"alg":"RS256","typ":"JWT"}' | b64url)
payload=$(printf '{"iss":"https://roster.dev","sub":"local","upn":"local","groups":["roster-writer"],"iat":%d,"exp":%d,"jti":"%s"}' \
  "$now" "$((now + lifetime))" "$(openssl rand -hex 8)" | b64url)
signature=$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -sign "$dir/privateKey.pem" -binary | b64url)
printf '%s.%s.%s\n' "$header" "$payload" "$signature"
