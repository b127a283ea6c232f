#!/usr/bin/env bash
# opendots - DDoS Open Threat Signaling
# SPDX-License-Identifier: BSD-2-Clause
#
# The flowspec mitigator end to end: dotsd drives a GoBGP speaker, which
# announces to a forwarding node (a second GoBGP) over loopback.  DOTS
# requests from the offload scenario (reflection towards 192.0.2.2, an
# IPv6 web server) must arrive as exactly the expected flow rules; a
# withdrawal removes them; a request refused by the safety limits gets
# the reason and announces nothing.
#
#   flowspec_announce.sh DOTSD DOTS_CODEC
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/flowspec_lib.sh"
lib_init "$@"
gobgp_init

start_fwd
start_speaker
wait_established

ABT=1
dotsd_conf "$(client_block client1 'prefix 192.0.2.0/24' \
    'prefix 198.51.100.0/22' 'prefix 2001:db8::/32' 'mitigator "fs"')
mitigator \"fs\" {
	type flowspec
	gobgp \"$GOBGP\"
	api-host $SPK_ADDR
	api-port $SPK_API_PORT
	reconcile-interval 2
	retry-interval 1
	protect-prefix 192.0.2.128/25
	max-rules-per-client 4
}"
start_dotsd
as_client client1

log "== DNS/NTP reflection from known reflectors (Call Home attributes)"
put_json 1 "{\"$MS\":{\"scope\":[{\"target-prefix\":[\"192.0.2.2/32\"],
    \"target-protocol\":[17],
    \"ietf-dots-call-home:source-prefix\":[\"203.0.113.2/32\",
    \"203.0.113.3/32\"],
    \"ietf-dots-call-home:source-port-range\":[{\"lower-port\":53},
    {\"lower-port\":123}],\"lifetime\":3600}]}}"
expect_code 2.01 "PUT mid 1"
expect_fwd_rib ipv4-flowspec \
"[destination: 192.0.2.2/32][source: 203.0.113.2/32][protocol: ==udp][source-port: ==53 ==123] rate 0
[destination: 192.0.2.2/32][source: 203.0.113.3/32][protocol: ==udp][source-port: ==53 ==123] rate 0"
check "mid 1 is mitigated once its rules are in" \
    wait_until 10 status_is 1 attack-successfully-mitigated

log "== IPv6: web server, TCP 80 and 443"
put_json 2 "{\"$MS\":{\"scope\":[{\"target-prefix\":[\"2001:db8::2/128\"],
    \"target-port-range\":[{\"lower-port\":80},{\"lower-port\":443}],
    \"target-protocol\":[6],\"lifetime\":3600}]}}"
expect_code 2.01 "PUT mid 2"
expect_fwd_rib ipv6-flowspec \
"[destination: 2001:db8::2/128/0][protocol: ==tcp][destination-port: ==80 ==443] rate 0"
check "mid 2 is mitigated" wait_until 10 status_is 2 \
    attack-successfully-mitigated

log "== safety: a protected prefix"
put_json 3 "$(mit_json 192.0.2.129/32 3600 '"target-protocol":[17]')"
expect_code 4.00 "PUT mid 3 (protected)"
expect_body_contains "overlaps the protected prefix 192.0.2.128/25"
log "== safety: too wide a target"
put_json 4 "$(mit_json 198.51.100.0/23 3600)"
expect_code 4.00 "PUT mid 4 (a /23, in the client's domain)"
expect_body_contains "wider than this mitigator filters (at most /24)"
log "== safety: more rules than the client may hold"
put_json 5 "{\"$MS\":{\"scope\":[{\"target-prefix\":[\"192.0.2.5/32\",
    \"192.0.2.6/32\",\"192.0.2.7/32\"],\"lifetime\":3600}]}}"
expect_code 5.03 "PUT mid 5 (3 more rules, 3 held, limit 4)"
expect_body_contains "limit of 4"
log "== a scope a flow rule cannot express"
put_json 6 "$(mit_json 192.0.2.9/32 3600 \
    '"target-protocol":[132],"target-port-range":[{"lower-port":9}]')"
expect_code 4.00 "PUT mid 6 (SCTP ports)"
expect_body_contains "TCP and UDP only"
sleep 1
check "nothing of the refused requests was announced" \
    fwd_rib_is ipv4-flowspec \
"[destination: 192.0.2.2/32][source: 203.0.113.2/32][protocol: ==udp][source-port: ==53 ==123] rate 0
[destination: 192.0.2.2/32][source: 203.0.113.3/32][protocol: ==udp][source-port: ==53 ==123] rate 0"

log "== withdraw mid 1: exactly its rules go"
delete 1
expect_code 2.02 "DELETE mid 1"
expect_fwd_rib ipv4-flowspec ""
expect_fwd_rib ipv6-flowspec \
"[destination: 2001:db8::2/128/0][protocol: ==tcp][destination-port: ==80 ==443] rate 0"
delete 2
expect_code 2.02 "DELETE mid 2"
expect_fwd_rib ipv6-flowspec ""
check "the speaker's RIB is empty" test -z "$(spk global rib -a \
    ipv4-flowspec | grep destination)"

finish
