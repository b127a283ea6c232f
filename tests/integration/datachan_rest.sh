#!/usr/bin/env bash
# opendots - DDoS Open Threat Signaling
# SPDX-License-Identifier: BSD-2-Clause
#
# The data channel (RFC 8783) driven with curl: host-meta, registration,
# aliases and ACLs (create, read with content=, replace, delete), the
# capabilities, every example body of RFC 8783, RFC 9133 and the offload
# draft (the draft-era ones accepted and stored in the standard form),
# and every refusal: 400, 403, 404, 405, 406, 409, 413, 415, unknown
# certificates.  Every JSON answer is validated (datachan_lib.sh).
#
#   datachan_rest.sh DOTSD DOTS_CODEC
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/datachan_lib.sh"
lib_init "$@"

dc_conf "$(client_block client1 'prefix 192.0.2.0/24' \
    'prefix 198.51.100.0/24' 'prefix 2001:db8:6401::/48' \
    'prefix 2001:db8:123::/48' 'fqdn www.example.com')
$(client_block client2 'prefix 203.0.113.0/24')"
start_dotsd
as_client client1
C1=$CUID
CL="dots-client=$C1"
B="$T/body.json"

log "== host-meta (RFC 8040 3.1)"
dc_req GET /.well-known/host-meta
expect_http 200
expect_body_contains "rel='restconf' href='/restconf'"
expect_header "Content-Type: application/xrd+xml"

log "== capabilities"
dc_req GET capabilities
expect_http 200
expect_json_field "ietf-dots-data-channel:capabilities.tcp.flags-bitmask" \
    true
expect_json_field "ietf-dots-data-channel:capabilities.udp.length" false

log "== before registration: nothing under the client"
dc_req GET "$CL"
expect_error 404 invalid-value "not registered"
dc_req POST "$CL" "$VEC/rfc8783-alias-post.json"
expect_error 404 invalid-value "register first"

log "== registration (RFC 8783 5)"
printf '{"ietf-dots-data-channel:dots-client":[{"cuid":"%s"}]}' "$C1" >"$B"
dc_req POST "" "$B"
expect_http 201 "POST dots-client"
expect_header "Location: $DC/dots-client=$C1"
dc_req POST "" "$B"
expect_error 409 resource-denied "already registered"
dc_req PUT "$CL" "$B"
expect_http 204 "PUT of a registered client"
dc_req POST "" "$VEC/rfc8783-register.json"
expect_error 403 access-denied "not the cuid of this client"
printf '{"ietf-dots-data-channel:dots-client":[{"cdid":"x"}]}' >"$B.nocuid"
dc_req POST "" "$B.nocuid"
expect_error 400 missing-attribute "without a cuid"
printf '{"ietf-dots-data-channel:dots-client":[{"cuid":"%s"},{"cuid":"b"}]}' \
    "$C1" >"$B.two"
dc_req POST "" "$B.two"
expect_error 400 invalid-value "exactly one dots-client"

log "== aliases (RFC 8783 6)"
dc_req POST "$CL" "$VEC/rfc8783-alias-post.json"
expect_http 201 "POST alias https1"
expect_header "Location: $DC/$CL/aliases/alias=https1"
dc_req POST "$CL" "$VEC/rfc8783-alias-post.json"
expect_error 409 resource-denied "already exists"
dc_req GET "$CL/aliases?content=all"
expect_http 200
expect_json_field "ietf-dots-data-channel:aliases.alias.0.name" https1
expect_json_field "ietf-dots-data-channel:aliases.alias.0.pending-lifetime" \
    10080
dc_req GET "$CL/aliases/alias=https1?content=config"
expect_http 200
expect_json_field "ietf-dots-data-channel:aliases.alias.0.pending-lifetime" \
    "<absent>"
expect_json_field "ietf-dots-data-channel:aliases.alias.0.target-protocol.0" 6
dc_req GET "$CL/aliases/alias=https1?content=nonconfig"
expect_http 200
expect_json_field "ietf-dots-data-channel:aliases.alias.0.target-prefix" \
    "<absent>"
expect_json_field "ietf-dots-data-channel:aliases.alias.0.pending-lifetime" \
    10080
dc_req GET "$CL/aliases/alias=https1?content=non-config"
expect_http 200 "content=non-config (RFC 8783 as printed)"
dc_req GET "$CL/aliases?content=bogus"
expect_error 400 invalid-value "expected all, config or nonconfig"
cat >"$B" <<JSON
{"ietf-dots-data-channel:alias":[{"name":"web","target-fqdn":["www.example.com"],
 "target-prefix":["192.0.2.16/28"],"target-port-range":[{"lower-port":80,"upper-port":88}]}]}
JSON
dc_req PUT "$CL/aliases/alias=web" "$B"
expect_http 201 "PUT creates alias web"
dc_req PUT "$CL/aliases/alias=web" "$B"
expect_http 204 "PUT replaces alias web"
dc_req PUT "$CL/aliases/alias=other" "$B"
expect_error 400 invalid-value "not the one in the URI"
sed 's/192.0.2.16/203.0.113.16/' "$B" >"$B.out"
dc_req PUT "$CL/aliases/alias=web" "$B.out"
expect_error 400 invalid-value "outside the domain"
sed 's/192.0.2.16\/28/127.0.0.1\/32/' "$B" >"$B.lo"
dc_req PUT "$CL/aliases/alias=web" "$B.lo"
expect_error 400 invalid-value "loopback"
sed 's/"upper-port":88/"upper-port":8/' "$B" >"$B.range"
dc_req PUT "$CL/aliases/alias=web" "$B.range"
expect_error 400 invalid-value "upper-port"
sed 's/"target-fqdn"/"target-nonsense"/' "$B" >"$B.unk"
dc_req PUT "$CL/aliases/alias=web" "$B.unk"
expect_error 400 unknown-element "target-nonsense"
printf '{"ietf-dots-data-channel:alias":[{"name":"web","target-protocol":[6]}]}' \
    >"$B.notarget"
dc_req PUT "$CL/aliases/alias=web" "$B.notarget"
expect_error 400 missing-attribute "target-prefix"
dc_req DELETE "$CL/aliases/alias=web"
expect_http 204 "DELETE alias web"
dc_req DELETE "$CL/aliases/alias=web"
expect_error 404 invalid-value "no alias"
dc_req GET "$CL/aliases/alias=web"
expect_error 404 invalid-value

log "== ACLs (RFC 8783 7, RFC 9133 data-channel figures)"
dc_req POST "$CL" "$VEC/rfc8783-acl-post.json"
expect_http 201 "POST sample-ipv4-acl"
expect_header "Location: $DC/$CL/acls/acl=sample-ipv4-acl"
for f in rfc9133-fig02-data-channel-put-accept-list \
    rfc9133-fig07-data-channel-put-accept-list \
    rfc9133-fig09-data-channel-put-ratelimit-list; do
	name=$(python3 -c 'import json,sys
print(json.load(open(sys.argv[1]))["ietf-dots-data-channel:acls"]["acl"][0]["name"])' \
	    "$VEC/$f.json")
	dc_req PUT "$CL/acls/acl=$name" "$VEC/$f.json"
	expect_http 201 "PUT $f"
	dc_req PUT "$CL/acls/acl=$name" "$VEC/$f.json"
	expect_http 204 "PUT $f again (refresh)"
done
dc_req GET "$CL/acls/acl=my-ratelimit-list"
expect_http 200
# the canonical decimal64 (RFC 7950 9.3.2) of the figure's "20000.00"
expect_json_field "ietf-dots-data-channel:acls.acl.0.aces.ace.0.actions.rate-limit" \
    "20000.0"
expect_json_field "ietf-dots-data-channel:acls.acl.0.type" \
    "ietf-access-control-list:ipv6-acl-type"
log "-- the GET answer of RFC 9133 figure 6 sent back as a refresh"
dc_req PUT "$CL/acls/acl=an-accept-list" \
    "$VEC/rfc9133-fig06-data-channel-get-response-acl.json"
expect_http 204 "PUT with pending-lifetime echoed (dropped)"
dc_req GET "$CL/acls/acl=an-accept-list?content=config"
expect_json_field "ietf-dots-data-channel:acls.acl.0.activation-type" \
    deactivate
dc_req GET "$CL/acls?content=nonconfig"
expect_http 200
expect_json_field "ietf-dots-data-channel:acls.acl.0.name" sample-ipv4-acl
expect_json_field "ietf-dots-data-channel:acls.acl.0.pending-lifetime" 10080
expect_json_field "ietf-dots-data-channel:acls.acl.0.aces" "<absent>"
dc_req GET "$CL/acls"
expect_json_field "ietf-dots-data-channel:acls.acl.0.name" sample-ipv4-acl
expect_json_field "ietf-dots-data-channel:acls.acl.3.name" my-ratelimit-list

log "== the offload draft's ACLs: draft-era spellings accepted, stored standard"
dc_req POST "$CL" "$OFFLOAD/offload-data-channel-acl-5tuple.json"
expect_http 201 "figure 4 (unprefixed identities, source-port)"
check "the draft-era input is logged" \
    grep -q "draft-era input accepted" "$T/dotsd.log"
dc_req GET "$CL/acls/acl=DMS_Offload_scenario_ACL"
expect_json_field "ietf-dots-data-channel:acls.acl.0.type" \
    "ietf-access-control-list:ipv4-acl-type"
expect_json_field \
    "ietf-dots-data-channel:acls.acl.0.aces.ace.0.actions.forwarding" \
    "ietf-access-control-list:drop"
expect_json_field \
    "ietf-dots-data-channel:acls.acl.0.aces.ace.0.matches.udp.source-port-range-or-operator.port" \
    53
dc_req POST "$CL" "$OFFLOAD/offload-data-channel-acl-src-port.json"
expect_error 409 resource-denied "already exists"
dc_req PUT "$CL/acls/acl=DMS_Offload_scenario_ACL" \
    "$OFFLOAD/offload-data-channel-acl-src-port.json"
expect_http 204 "figure 8 replaces figure 4 (same ACL name)"
dc_req PUT "$CL/acls/acl=DMS_Offload_scenario_ACL" \
    "$OFFLOAD/offload-data-channel-acl-dst-port.json"
expect_http 204 "figure 10 replaces figure 8"
log "-- figures 9 and 11 name ACEs where RFC 9133 wants ACLs"
dc_req GET "$CL/acls/acl=DMS_Offload_scenario_HTTP_GET_Flooding"
expect_error 404 invalid-value "an ACE of ACL 'DMS_Offload_scenario_ACL'"

log "== ACLs refused"
cat >"$B" <<JSON
{"ietf-dots-data-channel:acl":[{"name":"bad","type":"ietf-access-control-list:ipv4-acl-type",
 "aces":{"ace":[{"name":"a","matches":{"ipv4":{"destination-ipv4-network":"192.0.2.0/25","ttl":3}},
 "actions":{"forwarding":"ietf-access-control-list:drop"}}]}}]}
JSON
dc_req PUT "$CL/acls/acl=bad" "$B"
expect_error 400 invalid-value "not supported by this server"
sed 's/,"ttl":3//; s/192.0.2.0\/25/203.0.113.0\/25/' "$B" >"$B.dom"
dc_req PUT "$CL/acls/acl=bad" "$B.dom"
expect_error 400 invalid-value "outside the domain"
sed 's/,"ttl":3//; s/"ietf-access-control-list:drop"}/"ietf-access-control-list:drop","rate-limit":"5.00"}/' \
    "$B" >"$B.rl"
dc_req PUT "$CL/acls/acl=bad" "$B.rl"
expect_error 400 invalid-value "When condition"
sed 's/,"ttl":3//; s/"aces"/"activation-type":"immediate","aces"/; s/"destination-ipv4-network":"192.0.2.0\/25"/"protocol":6/' \
    "$B" >"$B.imm"
dc_req PUT "$CL/acls/acl=bad" "$B.imm"
expect_error 400 missing-attribute "destination network"
sed 's/,"ttl":3//; s/ietf-access-control-list:drop/ietf-access-control-list:reject/' \
    "$B" >"$B.rej"
dc_req PUT "$CL/acls/acl=bad" "$B.rej"
expect_error 400 invalid-value "not supported"
dc_req GET "$CL/acls/acl=bad"
expect_error 404 invalid-value "no ACL"

log "== protocol errors"
printf '{"ietf-dots-data-channel:aliases": {' >"$B.broken"
dc_req POST "$CL" "$B.broken"
expect_error 400 malformed-message "JSON"
DC_CT="Content-Type: text/plain" dc_req POST "$CL" \
    "$VEC/rfc8783-alias-post.json"
expect_error 415 invalid-value "application/yang-data+json"
dc_req GET "$CL" "" -H "Accept: application/yang-data+xml"
expect_error 406 invalid-value
dc_req PATCH "$CL" "$VEC/rfc8783-alias-post.json"
expect_error 405 operation-not-supported
expect_header "Allow: GET, HEAD, POST, PUT, DELETE"
python3 -c 'import json
print(json.dumps({"ietf-dots-data-channel:aliases": {"alias": [{"name": "big",
 "target-prefix": ["192.0.2.%d/32" % (i % 256) for i in range(9000)]}]}}))' \
    >"$B.big"
dc_req POST "$CL" "$B.big"
expect_error 413 too-big
dc_req GET "/restconf/data/ietf-dots-data-channel:nothing"
expect_error 404 invalid-value
dc_req GET "$CL/acls/acl=%ZZ"
expect_error 400 invalid-value "malformed key"

log "== other clients: nothing leaks"
as_client client2
dc_req GET "$CL"
expect_error 403 access-denied
dc_req GET "dots-client=nobody-registered-this"
expect_error 403 access-denied "not the cuid"
dc_req DELETE "$CL/acls/acl=sample-ipv4-acl"
expect_error 403 access-denied
dc_req GET ""
expect_http 200 "client2 GET dots-data"
expect_json_field "ietf-dots-data-channel:dots-data.dots-client" "<absent>"
as_client rogue
dc_req GET capabilities
expect_http none "a certificate of no configured client: no answer"
check "the refused certificate is logged" \
    grep -q "data channel: refused certificate CN=rogue" "$T/dotsd.log"
HTTP=$(curl -sS --max-time 5 --cacert "$T/certs/ca.pem" -o /dev/null \
    -w '%{http_code}' "https://127.0.0.1:$DC_PORT$DC/capabilities" \
    2>/dev/null)
check "no client certificate: no answer" test "${HTTP:-000}" = 000

log "== unregistration removes everything (RFC 8783 5.2)"
as_client client1
dc_req GET ""
expect_json_field "ietf-dots-data-channel:dots-data.dots-client.0.cuid" "$C1"
dc_req DELETE "$CL"
expect_http 204 "DELETE dots-client"
dc_req GET "$CL/acls"
expect_error 404 invalid-value
printf '{"ietf-dots-data-channel:dots-client":[{"cuid":"%s"}]}' "$C1" >"$B"
dc_req PUT "$CL" "$B"
expect_http 201 "PUT registers again"
dc_req GET "$CL/acls"
expect_error 404 invalid-value "no ACL"
dc_req DELETE "$CL"
expect_http 204

check "dotsd still running" kill -0 "$DOTSD_PID"
stop_dotsd
finish
