#!/usr/bin/env bash
# opendots - DDoS Open Threat Signaling
# SPDX-License-Identifier: BSD-2-Clause
#
# The life of a mitigation request (RFC 9132 section 4.4): create, status
# (one, all, c=n, c=c), refresh, a refresh that changes the scope, efficacy
# updates (If-Match empty) for a known and an unknown mid, withdrawal with
# its active-but-terminating period, DELETE of an unknown mid, and expiry
# of the lifetime; with the log mitigator's apply and withdraw lines.
#
#   mitigate_lifecycle.sh DOTSD DOTS_CODEC
. "$(dirname "$0")/lib.sh"
lib_init "$@"

ABT=2
dotsd_conf "$(client_block client1 'prefix 192.0.2.0/24' \
    'prefix 2001:db8::/32')"
start_dotsd
as_client client1

log "== create mid 1"
t0=$(date +%s)
req1=$(mit_json 192.0.2.0/24 3600 '"target-protocol":[6,17]')
put_json 1 "$req1"
expect_code 2.01 "PUT mid 1"
expect_json_field "$MS.scope.0.mid" 1
expect_json_field "$MS.scope.0.lifetime" 3600
expect_json_field "$MS.scope.0.target-prefix" "<absent>"

check "mid 1 becomes attack-successfully-mitigated (mitigator reported)" \
    wait_until 5 status_is 1 attack-successfully-mitigated
get_mit 1
expect_code 2.05 "GET mid 1"
expect_json_field "$MS.scope.0.mid" 1
expect_json_field "$MS.scope.0.status" attack-successfully-mitigated
expect_json_field "$MS.scope.0.target-prefix" '["192.0.2.0/24"]'
expect_json_field "$MS.scope.0.target-protocol" '[6,17]'
expect_json_field "$MS.scope.0.mitigation-start" "<present>"
start=$(json_field "$MS.scope.0.mitigation-start")
check "mitigation-start ($start) is the time of the PUT ($t0)" \
    test "${start:-0}" -ge "$t0" -a "${start:-0}" -le "$(date +%s)"
left=$(json_field "$MS.scope.0.lifetime")
check "GET gives the remaining lifetime ($left)" \
    test "${left:-0}" -le 3600 -a "${left:-0}" -ge 3590

get_mit
expect_code 2.05 "GET all"
check "GET all: one scope" \
    test "$(json_len "$MS.scope")" -eq 1
expect_json_field "$MS.scope.mid=1.status" attack-successfully-mitigated
expect_json_field "$MS.scope.mid=1.target-prefix" '["192.0.2.0/24"]'

get_mit 1 c=n
expect_code 2.05 "GET mid 1 ?c=n"
expect_json_field "$MS.scope.0.target-prefix" "<absent>"
expect_json_field "$MS.scope.0.target-protocol" "<absent>"
expect_json_field "$MS.scope.0.status" attack-successfully-mitigated
expect_json_field "$MS.scope.0.lifetime" "<present>"

get_mit 1 c=c
expect_code 2.05 "GET mid 1 ?c=c"
expect_json_field "$MS.scope.0.target-prefix" '["192.0.2.0/24"]'
expect_json_field "$MS.scope.0.status" "<absent>"

log "== refresh mid 1 with a new lifetime"
put_json 1 "$(mit_json 192.0.2.0/24 7200 '"target-protocol":[6,17]')"
expect_code 2.04 "refresh"
expect_json_field "$MS.scope.0.mid" 1
expect_json_field "$MS.scope.0.lifetime" 7200
get_mit 1
left=$(json_field "$MS.scope.0.lifetime")
check "the refresh set the lifetime ($left)" \
    test "${left:-0}" -gt 7100

log "== same mid, other target: refused, nothing changes"
put_json 1 "$(mit_json 192.0.2.128/25 7200 '"target-protocol":[6,17]')"
expect_code 4.00 "PUT mid 1 with another target"
expect_body_nonempty
get_mit 1
expect_code 2.05
expect_json_field "$MS.scope.0.target-prefix" '["192.0.2.0/24"]'
expect_json_field "$MS.scope.0.status" attack-successfully-mitigated
left=$(json_field "$MS.scope.0.lifetime")
check "lifetime unchanged ($left)" \
    test "${left:-0}" -gt 7100

log "== efficacy update (If-Match empty)"
put_json 1 "$(mit_json 192.0.2.0/24 7200 \
    '"target-protocol":[6,17],"attack-status":"under-attack"')" -O 1,
expect_code 2.04 "efficacy update of mid 1"
expect_json_field "$MS.scope.0.mid" 1
get_mit 1
expect_code 2.05 "mid 1 still there after the efficacy update"
expect_json_field "$MS.scope.0.status" attack-successfully-mitigated

put_json 1 "$(mit_json 192.0.2.0/24 7200 \
    '"target-protocol":[6],"attack-status":"under-attack"')" -O 1,
expect_code 4.00 "efficacy update that changes target-protocol"

log "== efficacy update for an unknown mid: silently ignored"
COAP_TIMEOUT=2 put_json 9 "$(mit_json 192.0.2.0/24 7200 \
    '"attack-status":"under-attack"')" -O 1,
expect_code none "efficacy update of unknown mid 9 (no response)"
get_mit 9
expect_code 4.04 "mid 9 was not created"
get_mit
check "still one mitigation" \
    test "$(json_len "$MS.scope")" -eq 1

log "== withdraw mid 1"
delete 1
expect_code 2.02 "DELETE mid 1"
get_mit 1
expect_code 2.05 "GET mid 1 during active-but-terminating"
expect_json_field "$MS.scope.0.status" dots-client-withdrawn-mitigation
check "mid 1 is gone after active-but-terminating ($ABT s)" \
    wait_until $((ABT + 3)) eval 'get_mit 1 && [ "$CODE" = 4.04 ]'
get_mit
expect_code 4.04 "GET all: nothing left"
expect_applied_then_withdrawn 1

log "== DELETE of an unknown mid"
delete 42
expect_code 2.02 "DELETE unknown mid 42"

log "== lifetime expiry"
put_json 2 "$(mit_json 2001:db8:6401::/48 2)"
expect_code 2.01 "PUT mid 2 with lifetime 2"
expect_json_field "$MS.scope.0.lifetime" 2
get_mit 2
expect_code 2.05 "mid 2 is there"
check "mid 2 is gone once its lifetime is over" \
    wait_until 6 eval 'get_mit 2 && [ "$CODE" = 4.04 ]'
expect_applied_then_withdrawn 2
check "two apply lines in all" \
    test "$(mitlog_count apply)" -eq 2
check "two withdraw lines in all" \
    test "$(mitlog_count withdraw)" -eq 2

finish
