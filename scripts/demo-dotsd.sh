#!/usr/bin/env bash
# opendots - DDoS Open Threat Signaling
# SPDX-License-Identifier: BSD-2-Clause
#
# dotsd on loopback with throwaway certificates, and one client's
# mitigation life cycle driven by libcoap's coap-client over DTLS: read the
# session configuration, request a mitigation, read its status, be refused
# a prefix the client may not protect, withdraw (enforced for one more
# second, the active-but-terminating period).  What the `log` mitigator was
# told is shown at the end.
#
#   scripts/demo-dotsd.sh BUILD_DIR
set -euo pipefail

SRC_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${1:?usage: demo-dotsd.sh BUILD_DIR}
DOTSD=$BUILD/src/server/dotsd
CODEC=$BUILD/src/cli/dots-codec
COAP_CLIENT=coap-client-gnutls
MS=ietf-dots-signal-channel:mitigation-scope

T=$(mktemp -d)
DOTSD_PID=
cleanup() {
	if [ -n "$DOTSD_PID" ]; then
		kill -TERM "$DOTSD_PID" 2>/dev/null || true
		wait "$DOTSD_PID" 2>/dev/null || true
	fi
	rm -rf "$T"
}
trap cleanup EXIT

pass=0
fail=0
step() {	# step WANT GOT TEXT
	if [ "$1" = "$2" ]; then
		printf 'OK    %-44s %s\n' "$3" "$2"
		pass=$((pass + 1))
	else
		printf 'FAIL  %-44s %s (expected %s)\n' "$3" "$2" "$1"
		fail=$((fail + 1))
	fi
}

out=$("$SRC_DIR/scripts/dots-certs.sh" "$T/certs" client1)
CUID=$(sed -n 's/^client client1: cuid \([A-Za-z0-9_-]*\)$/\1/p' <<<"$out")
PORT=$(python3 -c 'import socket
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.bind(("127.0.0.1", 0))
print(u.getsockname()[1])')

cat >"$T/dotsd.conf" <<EOF
listen 127.0.0.1 $PORT
transport dtls
ca-file "$T/certs/ca.pem"
cert-file "$T/certs/server.pem"
key-file "$T/certs/server-key.pem"
database "$T/dotsd.db"
control-socket "$T/dotsd.sock"
syslog no
active-but-terminating 1
mitigator "log" {
	type log
	file "$T/mitigator.log"
}
client "client1" {
	identity "cn:client1"
	prefix 203.0.113.0/24
}
EOF
"$DOTSD" -d -f "$T/dotsd.conf" >"$T/dotsd.log" 2>&1 &
DOTSD_PID=$!
for _ in $(seq 1 50); do
	grep -q 'dotsd started' "$T/dotsd.log" && break
	sleep 0.1
done
grep -q 'dotsd started' "$T/dotsd.log" || {
	cat "$T/dotsd.log" >&2
	echo "demo: dotsd did not start" >&2
	exit 1
}
echo "demo: dotsd listening on 127.0.0.1:$PORT (DTLS), client1 cuid $CUID"

# req METHOD PATH [JSON]: one request as client1; sets CODE and BODY (the
# answer as JSON, or its diagnostic text).
req() {
	local method=$1 path=$2 json=${3:-} extra=()
	if [ -n "$json" ]; then
		printf '%s' "$json" | "$CODEC" --binary json2cbor - >"$T/req.cbor"
		extra=(-t 271 -f "$T/req.cbor")
	fi
	rm -f "$T/resp.body"
	"$COAP_CLIENT" -v 6 -B 5 -m "$method" "${extra[@]+"${extra[@]}"}" \
	    -c "$T/certs/client1.pem" -j "$T/certs/client1-key.pem" \
	    -C "$T/certs/ca.pem" -o "$T/resp.body" \
	    "coaps://127.0.0.1:$PORT/.well-known/dots/$path" \
	    >"$T/resp.out" 2>&1 </dev/null || true
	CODE=$(sed -n 's/^v:1 t:[A-Z]* c:\([0-9]\.[0-9][0-9]\) .*/\1/p' \
	    "$T/resp.out" | grep -v '^0\.00$' | head -n 1)
	BODY=
	if [ "${CODE%%.*}" = 2 ] && [ -s "$T/resp.body" ]; then
		BODY=$("$CODEC" --binary cbor2json "$T/resp.body" 2>/dev/null ||
		    true)
	else	# a diagnostic payload, shown by -v 6 as :: 'text'
		BODY=$(sed -n "s/^v:1 t:[A-Z]* c:[45]\.[0-9][0-9] .* :: '\(.*\)'\$/\1/p" \
		    "$T/resp.out" | head -n 1)
	fi
	printf '      %s /%s -> %s %s\n' "${method^^}" "$path" "${CODE:-none}" \
	    "$(printf '%s' "$BODY" | head -c 300)"
}

field() {	# field PATH: a value in BODY
	python3 -c 'import json, sys
v = json.loads(sys.argv[1])
for k in sys.argv[2].split("."):
    v = v[int(k)] if isinstance(v, list) else v[k]
print(v)' "$BODY" "$1" 2>/dev/null || echo "(absent)"
}

req get config
step 2.05 "$CODE" "GET /config: the session configuration"
req put "mitigate/cuid=$CUID/mid=1" "{\"$MS\":{\"scope\":[{
    \"target-prefix\":[\"203.0.113.0/26\"],
    \"target-port-range\":[{\"lower-port\":80,\"upper-port\":443}],
    \"target-protocol\":[6],\"lifetime\":3600}]}}"
step 2.01 "$CODE" "PUT mid 1: mitigate 203.0.113.0/26"
req get "mitigate/cuid=$CUID/mid=1"
step attack-successfully-mitigated "$(field "$MS.scope.0.status")" \
    "GET mid 1: its status"
req put "mitigate/cuid=$CUID/mid=2" \
    "{\"$MS\":{\"scope\":[{\"target-prefix\":[\"198.51.100.0/24\"],\"lifetime\":600}]}}"
step 4.01 "$CODE" "PUT mid 2: a prefix not ours is refused"
req delete "mitigate/cuid=$CUID/mid=1"
step 2.02 "$CODE" "DELETE mid 1: withdraw"
sleep 2		# the active-but-terminating period, 1 s here
echo "demo: what the mitigator was told:"
sed 's/^/      /' "$T/mitigator.log"
kill -TERM "$DOTSD_PID"
wait "$DOTSD_PID" && rc=0 || rc=$?
DOTSD_PID=
step 0 "$rc" "dotsd stops cleanly on SIGTERM"
echo "demo: dotsd: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
