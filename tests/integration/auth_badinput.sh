#!/usr/bin/env bash
# opendots - DDoS Open Threat Signaling
# SPDX-License-Identifier: BSD-2-Clause
#
# Who may talk to dotsd and what it refuses (RFC 9132 sections 4.4.1, 7,
# 9): certificates of no configured client or of another CA, targets
# outside the client's domain, someone else's cuid, requests without mid,
# malformed or mistyped bodies, several scopes, lifetime 0, unknown
# comprehension-required keys, and a client over its request rate.  After
# all that, only the accepted requests exist.
#
#   auth_badinput.sh DOTSD DOTS_CODEC
. "$(dirname "$0")/lib.sh"
lib_init "$@"

dotsd_conf "$(client_block client1 'prefix 192.0.2.0/24' \
    'prefix 2001:db8:1::/48')
$(client_block client2 'prefix 203.0.113.0/24' 'max-rate 2')"
start_dotsd

log "== a certificate of the CA, but no client block: refused"
as_client rogue
get_mit
expect_code none "GET as an unconfigured client (handshake refused)"
put_json 1 "$(mit_json 192.0.2.0/24 3600)"
expect_code none "PUT as an unconfigured client (handshake refused)"
check "dotsd logs the refused certificate" \
    grep -q "refused certificate CN=rogue" "$T/dotsd.log"

log "== CN of a configured client, but from another CA: refused"
"$SRC_DIR/scripts/dots-certs.sh" "$T/other" client1 >/dev/null 2>&1 ||
    die "dots-certs.sh failed for the other CA"
as_client client1
CERT="$T/other/client1.pem" KEY="$T/other/client1-key.pem" \
    put_json 1 "$(mit_json 192.0.2.0/24 3600)"
expect_code none "PUT with client1's name from another CA"

as_client client1
log "== target outside the domain: 4.01, nothing stored"
put_json 1 "$(mit_json 198.51.100.0/24 3600)"
expect_code 4.01 "target-prefix outside client1's domain"
expect_body_contains "outside the domain"
put_json 2 "$(mit_json 192.0.0.0/16 3600)"
expect_code 4.01 "a prefix wider than the domain"
put_json 3 "$(mit_json 2001:db8:2::/48 3600)"
expect_code 4.01 "an IPv6 prefix outside the domain"
put_json 4 "$(mit_json 203.0.113.0/24 3600)"
expect_code 4.01 "client2's prefix"
get_mit
expect_code 4.04 "GET all: nothing stored"
check "nothing applied" test "$(mitlog_count apply)" -eq 0

log "== one good request"
put_json 10 "$(mit_json 192.0.2.0/25 3600)"
expect_code 2.01 "PUT mid 10"

log "== someone else's cuid: 4.01"
coap_req put "mitigate/cuid=${CUIDS[client2]}/mid=11" -t 271 \
    -f "$T/put.$REQ_SEQ.cbor"
expect_code 4.01 "PUT with client2's cuid and client1's certificate"
expect_body_contains "does not belong"
get "mitigate/cuid=${CUIDS[client2]}"
expect_code 4.01 "GET all of client2's cuid as client1"

log "== malformed requests: 4.00 with a diagnostic"
put_json "" "$(mit_json 192.0.2.128/25 3600)"
expect_code 4.00 "PUT without mid"
expect_body_contains "mid"

printf '\xa1\x01\xa1\x02\x81\xa2\x06' >"$T/cut.cbor"
put_cbor "mitigate/cuid=$CUID/mid=12" "$T/cut.cbor"
expect_code 4.00 "truncated CBOR"
expect_body_nonempty
printf 'not CBOR at all' >"$T/text.cbor"
put_cbor "mitigate/cuid=$CUID/mid=12" "$T/text.cbor"
expect_code 4.00 "a text body"
expect_body_nonempty
: >"$T/empty.cbor"
put_cbor "mitigate/cuid=$CUID/mid=12" "$T/empty.cbor"
expect_code 4.00 "no body"
expect_body_nonempty

mit_json 192.0.2.128/25 3600 >"$T/req.json"
put_cbor "mitigate/cuid=$CUID/mid=12" "$T/req.json" -t 50
expect_code 4.15 "Content-Format 50 (JSON)"
expect_body_contains "271"

put_json 12 "{\"$MS\":{\"scope\":[{\"target-prefix\":[\"192.0.2.128/26\"],\"lifetime\":3600},{\"target-prefix\":[\"192.0.2.192/26\"],\"lifetime\":3600}]}}"
expect_code 4.00 "two scopes"
expect_body_contains "exactly one scope"

put_json 12 "$(mit_json 192.0.2.128/25 0)"
expect_code 4.00 "lifetime 0"
expect_body_contains "lifetime"

# {mitigation-scope: {scope: [{target-prefix: [..], lifetime: 3600,
#  99: 1}]}}: 99 is an unassigned comprehension-required key
printf '\xa1\x01\xa1\x02\x81\xa3\x06\x81\x6e192.0.2.128/25\x0e\x19\x0e\x10\x18\x63\x01' \
    >"$T/unknown-key.cbor"
put_cbor "mitigate/cuid=$CUID/mid=12" "$T/unknown-key.cbor"
expect_code 4.00 "unknown comprehension-required key 99"
expect_body_contains "99"

put_json 12 "$(mit_json 192.0.2.128/25 3600 '"mid":12')"
expect_code 4.00 "mid in the body (RFC 9132 section 4.4.1)"

put_json 12 "{\"$MS\":{\"scope\":[{\"lifetime\":3600}]}}"
expect_code 4.00 "no target at all"

get_mit 12
expect_code 4.04 "mid 12 was never created"

log "== client2, max-rate 2: ten PUTs at once"
as_client client2
put_json 1 "$(mit_json 203.0.113.1/32 3600)"
expect_code 2.01 "client2's first PUT"
# all at once, so that even a slow machine sends them within a second;
# each in a subshell with its own REQ_SEQ range, hence its own files
pids=()
for i in $(seq 2 11); do
	(
		REQ_SEQ=$((1000 + 10 * i))
		put_json "$i" "$(mit_json "203.0.113.$i/32" 3600)" >/dev/null
		printf '%s %s\n' "$CODE" "$MAXAGE" >"$T/rate.$i"
	) &
	pids+=($!)
done
wait "${pids[@]}"
n201=1
n503=0
maxage_ok=1
for i in $(seq 2 11); do
	read -r CODE MAXAGE <"$T/rate.$i"
	log "  PUT mid $i -> $CODE${MAXAGE:+ Max-Age $MAXAGE}"
	case $CODE in
	2.01) n201=$((n201 + 1)) ;;
	5.03)
		n503=$((n503 + 1))
		[ -n "$MAXAGE" ] || maxage_ok=0
		;;
	esac
done
check "some accepted ($n201 times 2.01)" test "$n201" -ge 1
check "some refused ($n503 times 5.03)" test "$n503" -ge 1
check "nothing else ($n201 + $n503 = 11)" test $((n201 + n503)) -eq 11
check "each 5.03 carries Max-Age" test "$maxage_ok" -eq 1
get_mit
expect_code 2.05 "GET all of client2"
check "client2 has the $n201 accepted, no more" \
    test "$(json_len "$MS.scope")" -eq "$n201"
check "the mitigator saw $n201 requests of client2" \
    test "$(mitlog_count apply "" client2)" -eq "$n201"

log "== client1 cannot touch client2's mitigations"
as_client client1
get "mitigate/cuid=${CUIDS[client2]}/mid=1"
expect_code 4.01 "GET client2's mid 1 as client1"
coap_req delete "mitigate/cuid=${CUIDS[client2]}/mid=1"
expect_code 4.01 "DELETE client2's mid 1 as client1"
put_path_json "mitigate/cuid=${CUIDS[client2]}/mid=1" \
    "$(mit_json 203.0.113.1/32 60)"
expect_code 4.01 "refresh of client2's mid 1 as client1"
as_client client2
get_mit 1
expect_code 2.05 "client2's mid 1 is still there"
check "its lifetime is untouched" \
    test "$(json_field "$MS.scope.0.lifetime")" -gt 60

log "== in the end, only what was accepted"
as_client client1
get_mit
expect_code 2.05 "GET all of client1"
check "client1 has one mitigation" test "$(json_len "$MS.scope")" -eq 1
expect_json_field "$MS.scope.0.mid" 10
expect_json_field "$MS.scope.0.target-prefix" '["192.0.2.0/25"]'
check "the mitigator saw one request of client1" \
    test "$(mitlog_count apply "" client1)" -eq 1
check "nothing withdrawn" test "$(mitlog_count withdraw)" -eq 0

finish
