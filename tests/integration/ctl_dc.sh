#!/usr/bin/env bash
# opendots - DDoS Open Threat Signaling
# SPDX-License-Identifier: BSD-2-Clause
#
# dotsctl dc against the real dotsd's data channel (RFC 8783), over HTTPS
# with the client's certificate (docs/dotsctl.md):
#
#   register (and refresh), capabilities, alias add/list/show/delete,
#   acl add from the offload draft's body, list, show, activate,
#   delete, unregister; refusals with the server's RESTCONF message and
#   exit 1; bad arguments exit 2 and send nothing; no server exits 3.
#   What dotsctl did is checked with curl (datachan_lib.sh) as well.
#
#   ctl_dc.sh DOTSD DOTS_CODEC DOTSCTL
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/datachan_lib.sh"
[ $# -eq 3 ] || die "usage: $0 DOTSD DOTS_CODEC DOTSCTL"
DOTSCTL=$3
[ -x "$DOTSCTL" ] || die "$DOTSCTL: not an executable"
lib_init "$1" "$2"

dc_conf "$(client_block client1 'prefix 192.0.2.0/24' \
    'fqdn www.example.com')"
start_dotsd
as_client client1
CL="dots-client=$CUID"
ACL_FILE="$OFFLOAD/offload-data-channel-acl-dst-port.json"
ACL=DMS_Offload_scenario_ACL

OUT=
ERR=
RC=
URL=

# ctl ARGS...: run dotsctl dc as client1; OUT, ERR, RC.
ctl() {
	OUT=$("$DOTSCTL" dc --url "${URL:-https://127.0.0.1:$DC_PORT}" \
	    --ca "$T/certs/ca.pem" --cert "$T/certs/client1.pem" \
	    --key "$T/certs/client1-key.pem" "$@" 2>"$T/ctl.err")
	RC=$?
	ERR=$(cat "$T/ctl.err")
	log "  \$ dotsctl dc $* -> $RC"
	[ -z "$OUT" ] || printf '%s\n' "$OUT" | sed 's/^/    /'
	[ -z "$ERR" ] || printf '%s\n' "$ERR" | sed 's/^/    2> /'
}

expect_rc() {
	if [ "$RC" = "$1" ]; then
		pass "${2:-dotsctl} exits $1"
	else
		fail "${2:-dotsctl}: want exit $1, got $RC"
	fi
}

expect_out() {
	if printf '%s\n' "$OUT" | grep -Eq -- "$1"; then
		pass "${2:-output} matches /$1/"
	else
		fail "${2:-output} should match /$1/: $OUT"
	fi
}

expect_no_out() {
	if printf '%s\n' "$OUT" | grep -Eq -- "$1"; then
		fail "${2:-output} should not match /$1/: $OUT"
	else
		pass "${2:-output} does not match /$1/"
	fi
}

expect_err() {
	if printf '%s\n' "$ERR" | grep -Eq -- "$1"; then
		pass "stderr matches /$1/"
	else
		fail "stderr should match /$1/: $ERR"
	fi
}

log "== before registration"
ctl alias list
expect_rc 1 "alias list of an unregistered client"
expect_err "refused: the server answered 404 invalid-value"
expect_err "not registered"

log "== register, refresh"
ctl register
expect_rc 0 "register"
expect_out "^client $CUID: registered$"
ctl register --json
expect_rc 0 "register again"
BODY=$OUT
expect_json_field "status" 204
expect_json_field "cuid" "$CUID"
dc_req GET "$CL"
expect_http 200 "curl sees the registration"

log "== capabilities"
ctl capabilities
expect_rc 0 "capabilities"
expect_out '^tcp\.flags-bitmask +true$'
expect_out '^udp\.length +false$'
ctl capabilities --json
BODY=$OUT
expect_json_field "ietf-dots-data-channel:capabilities.tcp.flags-bitmask" \
    true

log "== aliases"
ctl alias list
expect_rc 0 "alias list, none yet"
expect_out '^NAME +PREFIX +PORTS +PROTO +FQDN +LIFETIME$'
ctl alias add web --prefix 192.0.2.16/28 --port 80,443,8000-8080 \
    --protocol tcp --fqdn www.example.com
expect_rc 0 "alias add"
expect_out "^alias web: created$"
dc_req GET "$CL/aliases/alias=web"
expect_http 200 "curl sees alias web"
expect_json_field "ietf-dots-data-channel:aliases.alias.0.target-prefix.0" \
    192.0.2.16/28
expect_json_field \
    "ietf-dots-data-channel:aliases.alias.0.target-port-range.2.upper-port" \
    8080
ctl alias add web --prefix 192.0.2.16/28
expect_rc 1 "alias add of an existing alias"
expect_err "409 resource-denied"
ctl alias list
expect_rc 0 "alias list"
expect_out '^web +192\.0\.2\.16/28 +80,443,8000-8080 +6 +www\.example\.com +[0-9]+$'
ctl alias show web
expect_rc 0 "alias show"
expect_out '^target-port-range +80,443,8000-8080$'
ctl alias list --json
BODY=$OUT
expect_json_field "ietf-dots-data-channel:aliases.alias.0.name" web
ctl alias add out --prefix 203.0.113.0/24
expect_rc 1 "alias add outside the client's domain"
expect_err "400 invalid-value"
expect_err "outside the domain"
ctl alias delete web
expect_rc 0 "alias delete"
expect_out "^alias web: deleted$"
ctl alias show web
expect_rc 1 "alias show of a deleted alias"
expect_err "404"

log "== ACLs: the offload draft's body"
ctl acl list
expect_rc 0 "acl list, none yet"
expect_out '^NAME +TYPE +ACTIVATION +ACES +LIFETIME$'
ctl acl add --file "$ACL_FILE"
expect_rc 0 "acl add"
expect_out "^acl $ACL: created$"
ctl acl list
expect_rc 0 "acl list"
expect_out "^$ACL +ipv4-acl-type +activate-when-mitigating +2 +[0-9]+$"
ctl acl show "$ACL"
expect_rc 0 "acl show"
expect_out "^DMS_Offload_scenario_SYN_Flooding_FTP .*destination-ipv4-network=192\.0\.2\.2/32.* +forwarding=drop$"
ctl acl activate "$ACL" immediate
expect_rc 0 "acl activate immediate"
expect_out "^acl $ACL: activation-type immediate$"
dc_req GET "$CL/acls/acl=$ACL"
expect_json_field "ietf-dots-data-channel:acls.acl.0.activation-type" \
    immediate
ctl acl list
expect_out "^$ACL +ipv4-acl-type +immediate +2 "
ctl acl activate "$ACL" deactivate --json
expect_rc 0 "acl activate deactivate"
BODY=$OUT
expect_json_field "status" 204
dc_req GET "$CL/acls/acl=$ACL"
expect_json_field "ietf-dots-data-channel:acls.acl.0.activation-type" \
    deactivate

log "== a body the server refuses"
sed 's/192\.0\.2\.2\/32/203.0.113.2\/32/' "$ACL_FILE" | \
    sed "s/$ACL/other-acl/" >"$T/outside.json"
ctl acl add --file "$T/outside.json"
expect_rc 1 "acl add outside the client's domain"
expect_err "refused: the server answered 400 invalid-value"
expect_err "203\.0\.113\.2/32.*outside|outside.*203\.0\.113\.2/32"
ctl acl add --file "$T/outside.json" --json
expect_rc 1 "acl add refused, --json"
BODY=$OUT
expect_json_field "ietf-restconf:errors.error.0.error-tag" invalid-value
ctl acl add --file "$ACL_FILE"
expect_rc 1 "acl add of an existing ACL"
expect_err "409 resource-denied"

log "== delete, unregister"
ctl acl delete "$ACL"
expect_rc 0 "acl delete"
expect_out "^acl $ACL: deleted$"
ctl acl delete "$ACL"
expect_rc 1 "acl delete again"
expect_err "404 invalid-value"
ctl unregister
expect_rc 0 "unregister"
expect_out "^client $CUID: unregistered$"
dc_req GET "$CL"
expect_error 404 invalid-value

log "== bad arguments exit 2 and send nothing"
ctl register
ctl alias add x --prefix 192.0.2.1/24
expect_rc 2 "a prefix with host bits"
expect_err "^dotsctl: dc alias add: --prefix '192\.0\.2\.1/24' has host bits set"
ctl alias add x --prefix 127.0.0.0/8
expect_rc 2 "a loopback prefix"
expect_err "--prefix"
ctl alias add x --port 80
expect_rc 2 "an alias without targets"
expect_err "give the targets"
ctl acl activate "$ACL" sometimes
expect_rc 2 "an unknown activation"
expect_err "MODE 'sometimes'"
ctl acl add --file "$T/missing.json"
expect_rc 2 "a missing file"
expect_err "--file '.*missing\.json'"
printf '{"x":' >"$T/broken.json"
ctl acl add --file "$T/broken.json"
expect_rc 2 "a file that is not JSON"
expect_err "not JSON"
ctl alias list --file x
expect_rc 2 "an option of another command"
expect_err "option --file does not apply"
ctl alias list
expect_no_out '^x ' "nothing was created"
URL=http://127.0.0.1:$DC_PORT ctl capabilities
expect_rc 2 "--url without https"
expect_err "--url"

log "== no server"
URL="https://127.0.0.1:$(free_udp_port)" ctl capabilities
expect_rc 3 "no server"
expect_err "not reachable"

ctl unregister
check "dotsd still running" kill -0 "$DOTSD_PID"
stop_dotsd
finish
