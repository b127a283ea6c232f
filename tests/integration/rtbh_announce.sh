#!/usr/bin/env bash
# opendots - DDoS Open Threat Signaling
# SPDX-License-Identifier: BSD-2-Clause
#
# The rtbh mitigator end to end: a mitigation of a host becomes a unicast
# route with the BLACKHOLE community 65535:666 (RFC 7999) and NO_EXPORT at
# the forwarding node, for IPv4 and IPv6; a withdrawal removes it; scopes
# a black hole cannot express, and prefixes wider than allowed, are
# refused with the reason and announce nothing.
#
#   rtbh_announce.sh DOTSD DOTS_CODEC
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/flowspec_lib.sh"
lib_init "$@"
gobgp_init

start_fwd
start_speaker
wait_established

ABT=1
dotsd_conf "$(client_block client1 'prefix 192.0.2.0/24' \
    'prefix 2001:db8::/32' 'mitigator "bh"')
mitigator \"bh\" {
	type rtbh
	gobgp \"$GOBGP\"
	api-host $SPK_ADDR
	api-port $SPK_API_PORT
	next-hop 192.0.2.254
	next-hop-v6 2001:db8::ff
	min-prefix-length-v4 31
	reconcile-interval 2
	retry-interval 1
}"
start_dotsd
as_client client1

put_json 1 "$(mit_json 192.0.2.2/32 3600)"
expect_code 2.01 "PUT mid 1"
expect_fwd_rib ipv4 "192.0.2.2/32 communities 65535:666,65535:65281"
check "mid 1 is mitigated" wait_until 10 status_is 1 \
    attack-successfully-mitigated
put_json 2 "$(mit_json 2001:db8::2/128 3600)"
expect_code 2.01 "PUT mid 2"
expect_fwd_rib ipv6 "2001:db8::2/128 communities 65535:666,65535:65281"

log "== refusals"
put_json 3 "$(mit_json 192.0.2.3/32 3600 '"target-protocol":[17]')"
expect_code 4.00 "PUT mid 3 (with a protocol)"
expect_body_contains "target-protocol cannot be expressed"
put_json 4 "$(mit_json 192.0.2.0/30 3600)"
expect_code 4.00 "PUT mid 4 (a /30)"
expect_body_contains "at most /31"
put_json 5 "$(mit_json 2001:db8::/127 3600)"
expect_code 4.00 "PUT mid 5 (a /127)"
check "nothing of the refused requests was announced" \
    fwd_rib_is ipv4 "192.0.2.2/32 communities 65535:666,65535:65281"

delete 1
expect_code 2.02 "DELETE mid 1"
expect_fwd_rib ipv4 ""
delete 2
expect_code 2.02 "DELETE mid 2"
expect_fwd_rib ipv6 ""
finish
