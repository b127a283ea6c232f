#!/usr/bin/env bash
# opendots - DDoS Open Threat Signaling
# SPDX-License-Identifier: BSD-2-Clause
#
# The signal channel over CoAP over TLS (coaps+tcp, RFC 8323; RFC 9132
# section 3): mutual X.509 authentication, a mitigation created, read and
# withdrawn, /config and a heartbeat; a certificate of another CA or of no
# configured client is refused during the handshake.  Then a server with
# `transport both`: the same client over DTLS and TLS on the same port
# number is the same client, and sees the same mitigations.
#
#   tls_transport.sh DOTSD DOTS_CODEC
. "$(dirname "$0")/lib.sh"
lib_init "$@"

HB='{"ietf-dots-signal-channel:heartbeat":{"peer-hb-status":true}}'

# withdrawals N: mitigator.log has N withdraw lines.
withdrawals() {
	[ "$(mitlog_count withdraw)" -eq "$1" ]
}

TRANSPORT=tls
dotsd_conf "$(client_block client1 'prefix 192.0.2.0/24')"
start_dotsd
as_client client1

log "== transport tls: dotsd does not answer DTLS"
SCHEME=coaps
get config
expect_code none "GET /config over DTLS to a TLS-only dotsd"

SCHEME=coaps+tcp
log "== mitigation life cycle over TLS"
put_json 1 "$(mit_json 192.0.2.0/24 3600)"
expect_code 2.01 "PUT mid 1"
expect_json_field "$MS.scope.0.mid" 1
expect_json_field "$MS.scope.0.lifetime" 3600
check "mid 1 is attack-successfully-mitigated" \
    wait_until 5 status_is 1 attack-successfully-mitigated
get_mit 1
expect_code 2.05 "GET mid 1"
expect_json_field "$MS.scope.0.target-prefix" '["192.0.2.0/24"]'
check "the mitigator applied mid 1 once" \
    test "$(mitlog_count apply 1 client1)" -eq 1
delete 1
expect_code 2.02 "DELETE mid 1"
check "mid 1 withdrawn after the grace period" wait_until 10 withdrawals 1
expect_applied_then_withdrawn 1 client1
get_mit 1
expect_code 4.04 "GET mid 1 once it is gone"

log "== /config and /hb over TLS"
get config
expect_code 2.05 "GET /config"
expect_json_field "$SC.mitigating-config.heartbeat-interval.current-value" 30
put_path_json hb "$HB"
expect_code 2.04 "heartbeat"
check "no body in the heartbeat's 2.04" test -z "$BODY"

log "== refused over TLS: another CA, no client block"
"$SRC_DIR/scripts/dots-certs.sh" "$T/other" client1 >/dev/null 2>&1 ||
    die "dots-certs.sh failed for the other CA"
CERT="$T/other/client1.pem" KEY="$T/other/client1-key.pem" \
    put_json 2 "$(mit_json 192.0.2.0/24 3600)"
expect_code none "PUT with client1's name from another CA"
check "dotsd logs the unknown CA" \
    grep -q "TLS : The peer certificate's CA is unknown" "$T/dotsd.log"
as_client rogue
get config
expect_code none "GET /config as an unconfigured client"
check "dotsd logs the refused certificate" \
    grep -q "refused certificate CN=rogue" "$T/dotsd.log"
as_client client1
get_mit
expect_code 4.04 "nothing was created by the refused clients"
check "the mitigator saw one mitigation only" \
    test "$(mitlog_count apply)" -eq 1
stop_dotsd

log "== transport both: one client, DTLS and TLS"
TRANSPORT=both
dotsd_conf "$(client_block client1 'prefix 192.0.2.0/24')"
start_dotsd
SCHEME=coaps
put_json 10 "$(mit_json 192.0.2.0/25 3600)"
expect_code 2.01 "PUT mid 10 over DTLS"
SCHEME=coaps+tcp
get_mit 10
expect_code 2.05 "GET mid 10 over TLS"
expect_json_field "$MS.scope.0.target-prefix" '["192.0.2.0/25"]'
put_json 11 "$(mit_json 192.0.2.128/25 3600)"
expect_code 2.01 "PUT mid 11 over TLS"
SCHEME=coaps
get_mit
expect_code 2.05 "GET all over DTLS"
check "both mitigations, whichever transport created them" \
    test "$(json_len "$MS.scope")" -eq 2
put_path_json hb "$HB"
expect_code 2.04 "heartbeat over DTLS"
SCHEME=coaps+tcp
put_path_json hb "$HB"
expect_code 2.04 "heartbeat over TLS"
delete 10
expect_code 2.02 "DELETE mid 10 over TLS"
SCHEME=coaps
delete 11
expect_code 2.02 "DELETE mid 11 over DTLS"
check "both withdrawn after the grace period" wait_until 10 withdrawals 3
expect_applied_then_withdrawn 10 client1
expect_applied_then_withdrawn 11 client1

finish
