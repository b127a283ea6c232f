#!/usr/bin/env bash
# opendots - DDoS Open Threat Signaling
# SPDX-License-Identifier: BSD-2-Clause
#
# alias-name in mitigation requests (RFC 9132 section 4.4.1): an alias is
# created with curl over the data channel (RFC 8783 6.1), a mitigation
# request names it over the signal channel (coap-client), and the log
# mitigator must get the alias's targets merged with the explicit ones,
# while status answers show the request as sent.  An unknown alias and
# another client's are refused with 4.00 naming them, and nothing is
# applied.  Overlaps are found on what an alias stands for.
#
#   alias_mitigate.sh DOTSD DOTS_CODEC
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/datachan_lib.sh"
lib_init "$@"

dc_conf "$(client_block client1 'prefix 192.0.2.0/24' \
    'prefix 2001:db8:6401::/48')
$(client_block client2 'prefix 198.51.100.0/24')"
start_dotsd
B="$T/body.json"

# applied_scope MID: the scope the log mitigator was given for MID.
applied_scope() {
	[ -f "$T/mitigator.log" ] || return 0
	python3 - "$T/mitigator.log" "$1" <<'PY'
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    parts = line.rstrip("\n").split(" ", 3)
    if len(parts) == 4 and parts[2] == "apply":
        m = json.loads(parts[3])
        if str(m["mid"]) == sys.argv[2]:
            print(json.dumps(m["scope"], sort_keys=True))
PY
}

# applied_once MID [CLIENT]: the mitigator got MID exactly once.
applied_once() {
	[ "$(mitlog_count apply "$@")" -eq 1 ]
}

# register CLIENT, then POST one alias NAME with the members in JSON
alias_create() {
	local name=$2 members=$3
	as_client "$1"
	printf '{"ietf-dots-data-channel:dots-client":[{"cuid":"%s"}]}' \
	    "$CUID" >"$B"
	dc_req PUT "dots-client=$CUID" "$B"
	printf '{"ietf-dots-data-channel:aliases":{"alias":[{"name":"%s",%s}]}}' \
	    "$name" "$members" >"$B"
	dc_req POST "dots-client=$CUID" "$B"
	expect_http 201 "$1: POST alias $name"
}

log "== aliases over the data channel"
alias_create client2 c2web '"target-prefix":["198.51.100.0/24"]'
alias_create client1 web '"target-prefix":["192.0.2.0/28",
    "2001:db8:6401::1/128"],"target-protocol":[6],
    "target-port-range":[{"lower-port":443}]'

log "== refused: unknown alias, another client's alias"
put_json 1 "{\"$MS\":{\"scope\":[{\"alias-name\":[\"nope\"],\"lifetime\":3600}]}}"
expect_code 4.00 "alias-name of an unknown alias"
expect_body_contains "'nope'"
put_json 2 "{\"$MS\":{\"scope\":[{\"alias-name\":[\"c2web\"],\"lifetime\":3600}]}}"
expect_code 4.00 "alias-name of client2's alias"
expect_body_contains "'c2web'"
put_json 3 "{\"$MS\":{\"scope\":[{\"target-prefix\":[\"192.0.2.128/25\"],\"alias-name\":[\"web\",\"nope\"],\"lifetime\":3600}]}}"
expect_code 4.00 "one known and one unknown alias"
expect_body_contains "'nope'"
get_mit
expect_code 4.04 "nothing was created"
check "nothing was applied" test "$(mitlog_count apply)" -eq 0

log "== an alias merged with explicit targets"
put_json 10 "{\"$MS\":{\"scope\":[{\"target-prefix\":[\"192.0.2.128/25\"],\"alias-name\":[\"web\"],\"lifetime\":3600}]}}"
expect_code 2.01 "PUT mid 10 with alias-name web"
wait_until 5 applied_once 10 ||
    fail "mid 10 never reached the mitigator"
SCOPE=$(applied_scope 10)
log "  applied: $SCOPE"
for want in 192.0.2.128/25 192.0.2.0/28 2001:db8:6401::1/128 \
    '"target-protocol": [6]' '"lower-port": 443'; do
	case $SCOPE in
	*"$want"*) pass "the mitigator got $want" ;;
	*) fail "the mitigator did not get $want: $SCOPE" ;;
	esac
done
case $SCOPE in
*alias-name*) fail "the mitigator got alias-name: $SCOPE" ;;
*) pass "the mitigator got targets, not alias-name" ;;
esac

log "== the status shows what the client sent"
get_mit 10
expect_code 2.05 "GET mid 10"
expect_json_field "$MS.scope.0.alias-name" '["web"]'
expect_json_field "$MS.scope.0.target-prefix" '["192.0.2.128/25"]'
expect_json_field "$MS.scope.0.target-protocol" "<absent>"

log "== overlaps are found on the alias's targets"
put_json 5 "$(mit_json 192.0.2.0/30 3600)"
expect_code 4.09 "a lower mid over the alias's prefix"
expect_json_field "$MS.scope.0.conflict-information.conflict-scope.mid" 10
put_json 11 "$(mit_json 192.0.2.0/29 3600)"
expect_code 2.01 "a higher mid over the alias's prefix"
get_mit 10
expect_code 4.04 "mid 10 was replaced"
expect_applied_then_withdrawn 10 client1

log "== another client's alias of the same name is not ours"
alias_create client2 same '"target-prefix":["198.51.100.0/25"]'
as_client client1
put_json 12 "{\"$MS\":{\"scope\":[{\"alias-name\":[\"same\"],\"lifetime\":3600}]}}"
expect_code 4.00 "client1 naming client2's alias 'same'"
check "mid 12 not applied" test "$(mitlog_count apply 12)" -eq 0

log "== client2 uses its own"
as_client client2
put_json 1 "{\"$MS\":{\"scope\":[{\"alias-name\":[\"same\"],\"lifetime\":3600}]}}"
expect_code 2.01 "client2 naming its alias 'same'"
wait_until 5 applied_once 1 client2 ||
    fail "client2's mid 1 never reached the mitigator"
case $(applied_scope 1) in
*198.51.100.0/25*) pass "client2's alias expanded" ;;
*) fail "client2's alias not expanded: $(applied_scope 1)" ;;
esac

finish
