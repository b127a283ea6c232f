#!/usr/bin/env bash
# opendots - DDoS Open Threat Signaling
# SPDX-License-Identifier: BSD-2-Clause
#
# Pre-shared keys (RFC 9132 section 7.1, RFC 4279) over DTLS and TLS: a
# PSK client creates, reads and withdraws a mitigation under the cuid of
# its PSK identity (SHA-256 of the identity, RFC 9132 section 4.4.1.1); a
# wrong key or an unknown identity is refused during the handshake; the
# log names identities, never keys; a certificate client with a second,
# PSK, way in; and a reload (SIGHUP) that changes a key, then removes the
# client.
#
#   psk.sh DOTSD DOTS_CODEC
. "$(dirname "$0")/lib.sh"
lib_init "$@"

LAB_KEY=lab-secret-0123456789
C1_KEY=fedcba9876543210		# given as hex in the configuration
C1_HEX=$(printf '%s' "$C1_KEY" | od -An -v -tx1 | tr -d ' \n')
HB='{"ietf-dots-signal-channel:heartbeat":{"peer-hb-status":true}}'

conf() {
	dotsd_conf "client \"lab\" {
	identity \"psk:lab-client\"; psk-key \"$1\"
	prefix 192.0.2.0/24; max-rate 1000
}
$(client_block client1 'prefix 198.51.100.0/24' 'psk-identity "c1"' \
    "psk-key hex:$C1_HEX")"
}

TRANSPORT=both
conf "$LAB_KEY"
start_dotsd

LAB_CUID=$(psk_cuid lab-client)
log "== client lab, PSK identity lab-client (cuid $LAB_CUID), over DTLS"
as_psk_client lab lab-client "$LAB_KEY"
SCHEME=coaps
put_json 1 "$(mit_json 192.0.2.0/24 3600)"
expect_code 2.01 "PUT mid 1"
expect_json_field "$MS.scope.0.mid" 1
check "dotsd derives the same cuid from the identity" \
    grep -qF "client lab: PSK identity \"lab-client\", cuid $LAB_CUID" \
    "$T/dotsd.log"
get_mit 1
expect_code 2.05 "GET mid 1"
expect_json_field "$MS.scope.0.target-prefix" '["192.0.2.0/24"]'
put_json 2 "$(mit_json 198.51.100.0/24 3600)"
expect_code 4.01 "a target outside lab's domain"
get "mitigate/cuid=${CUIDS[client1]}"
expect_code 4.01 "GET with client1's cuid over lab's PSK session"
put_path_json hb "$HB"
expect_code 2.04 "heartbeat"

log "== the same over TLS"
SCHEME=coaps+tcp
get_mit
expect_code 2.05 "GET all over TLS"
check "one mitigation" test "$(json_len "$MS.scope")" -eq 1
put_path_json hb "$HB"
expect_code 2.04 "heartbeat over TLS"
delete 1
expect_code 2.02 "DELETE mid 1 over TLS"
check "the mitigator applied mid 1 for lab" \
    test "$(mitlog_count apply 1 lab)" -eq 1

log "== wrong key, unknown identity: refused"
for SCHEME in coaps coaps+tcp; do
	as_psk_client lab-wrong-key lab-client wrong-key-0123456789
	get_mit
	expect_code none "lab-client with a wrong key ($SCHEME)"
	put_json 3 "$(mit_json 192.0.2.0/24 3600)"
	expect_code none "PUT with a wrong key ($SCHEME)"
	as_psk_client nobody nobody "$LAB_KEY"
	get_mit
	expect_code none "unknown identity nobody ($SCHEME)"
done
check "dotsd logs the unknown identity" \
    grep -qF 'refused PSK identity "nobody": no such client configured' \
    "$T/dotsd.log"
check "dotsd.log names no key" \
    bash -c "! grep -qiF -e '$LAB_KEY' -e wrong-key -e '$C1_KEY' \
    -e '$C1_HEX' '$T/dotsd.log'"
SCHEME=coaps
as_psk_client lab lab-client "$LAB_KEY"
get_mit 3
expect_code 4.04 "mid 3 was never created"

log "== client1: its certificate or its PSK"
as_psk_client client1-psk c1 "$C1_KEY"
put_json 5 "$(mit_json 198.51.100.0/25 3600)"
expect_code 2.01 "PUT mid 5 as client1 with PSK identity c1"
put_json 6 "$(mit_json 192.0.2.0/24 3600)"
expect_code 4.01 "lab's prefix as client1"
check "the mitigator applied mid 5 for client1" \
    test "$(mitlog_count apply 5 client1)" -eq 1
as_client client1
get_mit
expect_code 4.04 "the certificate's cuid has no mitigation"
put_json 7 "$(mit_json 198.51.100.128/25 3600)"
expect_code 2.01 "PUT mid 7 as client1 with its certificate"

log "== SIGHUP with a new key for lab"
as_psk_client lab lab-client "$LAB_KEY"
put_json 8 "$(mit_json 192.0.2.0/25 3600)"
expect_code 2.01 "PUT mid 8 with the old key"
NEW_KEY=lab-secret-9876543210
conf "$NEW_KEY"
reload_dotsd
get_mit 8
expect_code none "the old key after the reload"
as_psk_client lab lab-client "$NEW_KEY"
get_mit 8
expect_code 2.05 "mid 8 with the new key"
put_json 9 "$(mit_json 192.0.2.128/25 3600)"
expect_code 2.01 "PUT mid 9 with the new key"
as_psk_client client1-psk c1 "$C1_KEY"
get_mit 5
expect_code 2.05 "client1's PSK still works"

log "== SIGHUP without lab"
dotsd_conf "$(client_block client1 'prefix 198.51.100.0/24' \
    'psk-identity "c1"' "psk-key hex:$C1_HEX")"
reload_dotsd
check "dotsd logs the removal" grep -q "client lab removed" "$T/dotsd.log"
as_psk_client lab lab-client "$NEW_KEY"
get_mit
expect_code none "lab's identity once lab is removed"
as_psk_client client1-psk c1 "$C1_KEY"
get_mit 5
expect_code 2.05 "client1 is still in"

finish
