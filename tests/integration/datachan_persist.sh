#!/usr/bin/env bash
# opendots - DDoS Open Threat Signaling
# SPDX-License-Identifier: BSD-2-Clause
#
# The data channel's state is durable and expires: registrations,
# aliases and ACLs survive a kill -9 and a restart (dotsd's SQLite
# store), and an alias or ACL that is not refreshed within
# data-channel-lifetime is removed (RFC 8783 6.1, 7.2).
#
#   datachan_persist.sh DOTSD DOTS_CODEC
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/datachan_lib.sh"
lib_init "$@"

CLIENTS="$(client_block client1 'prefix 192.0.2.0/24' \
    'prefix 198.51.100.0/24' 'prefix 2001:db8:6401::/48')"
dc_conf "$CLIENTS"
start_dotsd
as_client client1
CL="dots-client=$CUID"
B="$T/body.json"

printf '{"ietf-dots-data-channel:dots-client":[{"cuid":"%s"}]}' "$CUID" >"$B"
dc_req POST "" "$B"
expect_http 201 "register"
dc_req POST "$CL" "$VEC/rfc8783-alias-post.json"
expect_http 201 "alias"
dc_req POST "$CL" "$VEC/rfc8783-acl-post.json"
expect_http 201 "ACL"

log "== kill -9 and restart: nothing lost"
kill_dotsd
start_dotsd
dc_req GET "$CL?content=config"
expect_http 200
expect_json_field "ietf-dots-data-channel:dots-client.0.aliases.alias.0.name" \
    https1
expect_json_field "ietf-dots-data-channel:dots-client.0.acls.acl.0.name" \
    sample-ipv4-acl
dc_req POST "" "$B"
expect_error 409 resource-denied "already registered"

log "== expiry: lifetime 2 s"
stop_dotsd
DC_LIFETIME=2 dc_conf "$CLIENTS"
start_dotsd
cat >"$B" <<JSON
{"ietf-dots-data-channel:alias":[{"name":"short","target-prefix":["192.0.2.1/32"]}]}
JSON
dc_req PUT "$CL/aliases/alias=short" "$B"
expect_http 201 "alias short"
dc_req GET "$CL/aliases/alias=short"
expect_json_field "ietf-dots-data-channel:aliases.alias.0.pending-lifetime" 1
sleep 3.5
dc_req GET "$CL/aliases/alias=short"
expect_error 404 invalid-value "no alias"
check "the expiry is logged" grep -q "alias 'short' of cuid $CUID expired" \
    "$T/dotsd.log"
dc_req GET "$CL/aliases/alias=https1"
expect_http 200 "the alias made with the week-long lifetime stays"
finish
