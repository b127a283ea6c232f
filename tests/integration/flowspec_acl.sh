#!/usr/bin/env bash
# opendots - DDoS Open Threat Signaling
# SPDX-License-Identifier: BSD-2-Clause
#
# Filtering ACLs of the data channel enforced by the flowspec mitigator:
# dotsd drives a GoBGP speaker, which announces to a forwarding node (a
# second GoBGP) over loopback.  ACLs are put in force with activation-type
# immediate over the data channel (curl, RESTCONF over HTTPS):
#
#   - the offload draft's DNS/NTP reflection ACL arrives as exactly its
#     two rules, each ACE's drop a traffic-rate 0;
#   - replacing the ACL (PUT, same name) replaces its rules exactly: an
#     accept-list exception before a drop, a rate-limit, TCP flags,
#     fragments, DSCP, packet length, port operators;
#   - an IPv6 ACL: payload length + 40, ICMPv6, flow label;
#   - refused and announcing nothing: entries whose order flow-spec
#     precedence would change, a protected destination, an entry without
#     a destination (the client's whole domain, which the protected
#     prefix overlaps); the reason is logged;
#   - deleting the ACLs withdraws their rules;
#   - the offload draft's in-band pair (Figs. 10 and 11): the peace-time
#     ACL announces nothing; Fig. 11 as published names an ACE and gets
#     4.04; a mitigation request puts the ACL's rules beside its own and
#     takes them away at its end; Fig. 11 naming the ACL (acl-list
#     immediate) keeps them after the mitigation, until the data channel
#     deactivates the ACL;
#   - an acl-list naming an ACL the mitigator would refuse: 5.03 whose
#     body names that ACL (RFC 9133), and no mitigation is made.
#
#   flowspec_acl.sh DOTSD DOTS_CODEC
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/datachan_lib.sh"
. "$(dirname "$0")/flowspec_lib.sh"
lib_init "$@"
gobgp_init

start_fwd
start_speaker
wait_established

ABT=1
dc_conf "$(client_block client1 'prefix 192.0.2.0/24' \
    'prefix 2001:db8::/32' 'mitigator "fs"')
mitigator \"fs\" {
	type flowspec
	gobgp \"$GOBGP\"
	api-host $SPK_ADDR
	api-port $SPK_API_PORT
	reconcile-interval 2
	retry-interval 1
	protect-prefix 192.0.2.128/25
	max-rules-per-client 8
}"
start_dotsd
as_client client1
B="$T/body.json"
A="ietf-access-control-list"

printf '{"ietf-dots-data-channel:dots-client":[{"cuid":"%s"}]}' "$CUID" >"$B"
dc_req PUT "dots-client=$CUID" "$B"
expect_http 201 "register client1"

# acl_body FILE JSON-ACL: the body of a PUT of one ACL.
acl_body() {
	printf '{"ietf-dots-data-channel:acl":[%s]}' "$2" >"$1"
}

# put_acl NAME JSON-ACL: create or replace the ACL NAME.
put_acl() {
	acl_body "$B" "$2"
	dc_req PUT "dots-client=$CUID/acls/acl=$1" "$B"
}

# refused TEXT: dotsd logged that the mitigator refused an ACL for TEXT.
refused() {
	grep -q "ACL refused: .*$1" "$T/dotsd.log"
}

log "== the offload draft's reflection ACL, immediate"
python3 - "$OFFLOAD/offload-data-channel-acl-src-port.json" >"$B" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
acl = d["ietf-dots-data-channel:acls"]["acl"][0]
acl["activation-type"] = "immediate"
print(json.dumps(d))
PY
dc_req POST "dots-client=$CUID" "$B"
expect_http 201 "POST the ACL of the offload draft's Fig. 8 (immediate)"
expect_fwd_rib ipv4-flowspec \
"[destination: 192.0.2.2/32][protocol: ==udp][source-port: ==123] rate 0
[destination: 192.0.2.2/32][protocol: ==udp][source-port: ==53] rate 0"

log "== replaced: an accept-list exception, a rate, every component"
put_acl DMS_Offload_scenario_ACL "{\"name\":\"DMS_Offload_scenario_ACL\",
 \"type\":\"$A:ipv4-acl-type\",\"activation-type\":\"immediate\",
 \"aces\":{\"ace\":[
  {\"name\":\"keep-resolver\",\"matches\":{\"ipv4\":{
    \"destination-ipv4-network\":\"192.0.2.53/32\",
    \"source-ipv4-network\":\"198.51.100.0/24\",\"protocol\":17},
    \"udp\":{\"source-port-range-or-operator\":{\"port\":53}}},
   \"actions\":{\"forwarding\":\"$A:accept\"}},
  {\"name\":\"dns-amp\",\"matches\":{\"ipv4\":{
    \"destination-ipv4-network\":\"192.0.2.53/32\",\"protocol\":17},
    \"udp\":{\"source-port-range-or-operator\":{\"port\":53}}},
   \"actions\":{\"forwarding\":\"$A:drop\"}},
  {\"name\":\"syn-rate\",\"matches\":{\"ipv4\":{
    \"destination-ipv4-network\":\"192.0.2.80/32\",\"dscp\":10,
    \"length\":60,\"fragment\":{\"operator\":\"not any\",
    \"type\":\"isf\"}},
    \"tcp\":{\"flags-bitmask\":{\"operator\":\"match\",\"bitmask\":2},
    \"source-port-range-or-operator\":{\"lower-port\":1024,
    \"upper-port\":65535},
    \"destination-port-range-or-operator\":{\"operator\":\"neq\",
    \"port\":22}}},
   \"actions\":{\"forwarding\":\"$A:accept\",\"rate-limit\":\"12500.00\"}},
  {\"name\":\"unreach\",\"matches\":{\"ipv4\":{
    \"destination-ipv4-network\":\"192.0.2.81/32\"},
    \"icmp\":{\"type\":3,\"code\":4}},
   \"actions\":{\"forwarding\":\"$A:drop\"}}]}}"
expect_http 204 "PUT the replacement"
RULES4="[destination: 192.0.2.53/32][protocol: ==udp][source-port: ==53] rate 0
[destination: 192.0.2.53/32][source: 198.51.100.0/24][protocol: ==udp][source-port: ==53] 
[destination: 192.0.2.80/32][protocol: ==tcp][destination-port: <22 >22][source-port: >=1024][tcp-flags: =S][packet-length: ==60][dscp: ==10][fragment: !is-fragment] rate 12500
[destination: 192.0.2.81/32][protocol: ==icmp][icmp-type: ==3][icmp-code: ==4] rate 0"
expect_fwd_rib ipv4-flowspec "$RULES4"
sleep 3
check "the rules stay through readings of the speaker's RIB" \
    fwd_rib_is ipv4-flowspec "$RULES4"

log "== IPv6: payload length, ICMPv6, flow label"
put_acl web6 "{\"name\":\"web6\",\"type\":\"$A:ipv6-acl-type\",
 \"activation-type\":\"immediate\",\"aces\":{\"ace\":[
  {\"name\":\"label\",\"matches\":{\"ipv6\":{
    \"destination-ipv6-network\":\"2001:db8::2/128\",\"length\":1200,
    \"flow-label\":1000},
    \"udp\":{\"destination-port-range-or-operator\":{\"operator\":\"lte\",
    \"port\":1023}}},
   \"actions\":{\"forwarding\":\"$A:drop\"}},
  {\"name\":\"ping\",\"matches\":{\"ipv6\":{
    \"destination-ipv6-network\":\"2001:db8::3/128\"},
    \"icmp\":{\"type\":128}},
   \"actions\":{\"forwarding\":\"$A:accept\",\"rate-limit\":\"1000.00\"}}]}}"
expect_http 201 "PUT an IPv6 ACL"
expect_fwd_rib ipv6-flowspec \
"[destination: 2001:db8::2/128/0][protocol: ==udp][destination-port: <=1023][packet-length: ==1240][label: ==1000] rate 0
[destination: 2001:db8::3/128/0][protocol: ==58][icmp-type: ==128] rate 1000"

log "== refused: flow-spec would reverse the order"
put_acl order "{\"name\":\"order\",\"type\":\"$A:ipv4-acl-type\",
 \"activation-type\":\"immediate\",\"aces\":{\"ace\":[
  {\"name\":\"allow-net\",\"matches\":{\"ipv4\":{
    \"destination-ipv4-network\":\"192.0.2.0/25\"}},
   \"actions\":{\"forwarding\":\"$A:accept\"}},
  {\"name\":\"drop-host\",\"matches\":{\"ipv4\":{
    \"destination-ipv4-network\":\"192.0.2.9/32\",\"protocol\":17}},
   \"actions\":{\"forwarding\":\"$A:drop\"}}]}}"
expect_http 201 "PUT an ACL with a broad accept before a drop"
check "refused for its order" wait_until 5 refused \
    'aces "allow-net" (accept) and "drop-host" (drop) overlap'

log "== refused: a protected destination"
put_acl guard "{\"name\":\"guard\",\"type\":\"$A:ipv4-acl-type\",
 \"activation-type\":\"immediate\",\"aces\":{\"ace\":[
  {\"name\":\"infra\",\"matches\":{\"ipv4\":{
    \"destination-ipv4-network\":\"192.0.2.130/32\"}},
   \"actions\":{\"forwarding\":\"$A:drop\"}}]}}"
expect_http 201 "PUT an ACL towards the protected prefix"
check "refused for the protected prefix" wait_until 5 refused \
    "overlaps the protected prefix 192.0.2.128/25"

log "== refused: no destination is the whole domain"
put_acl nodst "{\"name\":\"nodst\",\"type\":\"$A:ipv4-acl-type\",
 \"activation-type\":\"activate-when-mitigating\",\"aces\":{\"ace\":[
  {\"name\":\"any-ntp\",\"matches\":{\"ipv4\":{\"protocol\":17},
    \"udp\":{\"source-port-range-or-operator\":{\"port\":123}}},
   \"actions\":{\"forwarding\":\"$A:drop\"}}]}}"
expect_http 201 "PUT an ACL without a destination"
put_json 1 "$(mit_json 192.0.2.2/32 3600 '"target-protocol":[17]')"
expect_code 2.01 "PUT mid 1: puts the ACL in force"
check "refused: the domain overlaps the protected prefix" wait_until 5 \
    refused "target 192.0.2.0/24 overlaps the protected prefix"
delete 1
expect_code 2.02 "DELETE mid 1"
expect_fwd_rib ipv4-flowspec "$RULES4"
check "nothing of the refused ACLs was announced" fwd_rib_is ipv4-flowspec \
    "$RULES4"

log "== deleted: the rules go"
dc_req DELETE "dots-client=$CUID/acls/acl=DMS_Offload_scenario_ACL"
expect_http 204 "DELETE the IPv4 ACL"
expect_fwd_rib ipv4-flowspec ""
expect_fwd_rib ipv6-flowspec \
"[destination: 2001:db8::2/128/0][protocol: ==udp][destination-port: <=1023][packet-length: ==1240][label: ==1000] rate 0
[destination: 2001:db8::3/128/0][protocol: ==58][icmp-type: ==128] rate 1000"
dc_req DELETE "dots-client=$CUID/acls/acl=web6"
expect_http 204 "DELETE the IPv6 ACL"
expect_fwd_rib ipv6-flowspec ""
log "== the offload draft's Figs. 10 and 11: peace-time ACL, attack-time acl-list"
dc_req POST "dots-client=$CUID" "$OFFLOAD/offload-data-channel-acl-dst-port.json"
expect_http 201 "POST Fig. 10 as published: activate-when-mitigating"
sleep 3
check "peace time: nothing announced" fwd_rib_is ipv4-flowspec ""
FIG10="[destination: 192.0.2.2/32][protocol: ==tcp][destination-port: ==20] rate 0
[destination: 192.0.2.2/32][protocol: ==tcp][destination-port: ==80] rate 0"
# The request's own scope comes before the ACL's rules in the sorted list.
WITH_SCOPE="[destination: 192.0.2.2/32][protocol: ==tcp] rate 0
$FIG10"

"$CODEC" --lenient --binary json2cbor \
    "$OFFLOAD/offload-signal-filter-control-acl-list-dst-port.json" \
    >"$T/fig11.cbor" 2>/dev/null ||
    die "dots-codec --lenient refused Fig. 11"
put_cbor "mitigate/cuid=$CUID/mid=3" "$T/fig11.cbor"
expect_code 4.04 "Fig. 11 as published names an ACE, not an ACL"
expect_body_contains "an ACE of ACL 'DMS_Offload_scenario_ACL'" \
    "the 4.04 says which ACL was meant"
check "nothing announced for it" fwd_rib_is ipv4-flowspec ""

put_json 4 "$(mit_json 192.0.2.2/32 3600 '"target-protocol":[6]')"
expect_code 2.01 "a mitigation without acl-list"
expect_fwd_rib ipv4-flowspec "$WITH_SCOPE"
delete 4
expect_code 2.02 "DELETE mid 4"
expect_fwd_rib ipv4-flowspec ""

sed 's/"DMS_Offload_scenario_HTTP_GET_Flooding"/"DMS_Offload_scenario_ACL"/' \
    "$OFFLOAD/offload-signal-filter-control-acl-list-dst-port.json" \
    >"$T/fig11-fixed.json"
"$CODEC" --lenient --binary json2cbor "$T/fig11-fixed.json" \
    >"$T/fig11-fixed.cbor" 2>/dev/null || die "dots-codec refused fixed Fig. 11"
put_cbor "mitigate/cuid=$CUID/mid=5" "$T/fig11-fixed.cbor"
expect_code 2.01 "Fig. 11 naming the ACL: acl-list immediate"
expect_fwd_rib ipv4-flowspec "$WITH_SCOPE"
delete 5
expect_code 2.02 "DELETE mid 5"
expect_fwd_rib ipv4-flowspec "$FIG10"
python3 - "$OFFLOAD/offload-data-channel-acl-dst-port.json" >"$B" <<'PY2'
import json, sys
d = json.load(open(sys.argv[1]))
acl = d["ietf-dots-data-channel:acls"]["acl"][0]
acl["activation-type"] = "deactivate"
print(json.dumps({"ietf-dots-data-channel:acl": [acl]}))
PY2
dc_req PUT "dots-client=$CUID/acls/acl=DMS_Offload_scenario_ACL" "$B"
expect_http 204 "deactivate over the data channel"
expect_fwd_rib ipv4-flowspec ""
log "== acl-list naming an ACL the mitigator refuses: 5.03, nothing made"
put_json 6 "$(mit_json 192.0.2.2/32 3600 '"ietf-dots-signal-control:acl-list":[{"acl-name":"DMS_Offload_scenario_ACL","activation-type":"immediate"},{"acl-name":"guard","activation-type":"immediate"}]')"
expect_code 5.03 "acl-list with the protected-prefix ACL"
check "Max-Age 60 before the retry with acl-list" test "$MAXAGE" = 60
FAILED='{"ietf-dots-signal-channel:mitigation-scope":{"scope":[{"mid":6,"ietf-dots-signal-control:acl-list":[{"acl-name":"guard","activation-type":"immediate"}]}]}}'
check "the body repeats mid 6 and names only the ACL that failed" \
    test "$BODY" = "$FAILED"
check "a filter-failure body (RFC 9133)" eval \
    'printf "%s" "$BODY" | "$CODEC" --role filter-failure check - >/dev/null'
get_mit 6
expect_code 4.04 "no mid 6 was made"
check "nothing announced for it" fwd_rib_is ipv4-flowspec ""
check "the speaker's RIB is empty" test -z "$(spk global rib -a \
    ipv4-flowspec | grep destination)"

stop_dotsd
finish
