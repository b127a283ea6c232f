#!/usr/bin/env bash
# opendots - DDoS Open Threat Signaling
# SPDX-License-Identifier: BSD-2-Clause
#
# dotsd as a DOTS gateway (RFC 8903 section 3.3): a client (coap-client,
# as client1) asks the gateway dotsd, whose mitigator "dots" relays
# through the gateway's dotscd (as client2) to an upstream dotsd whose
# mitigator (exec, a script) logs each call as the log mitigator does and
# reports counters of dropped traffic.
#
#   create: the upstream's mitigator gets the scope; the relayed request
#   carried cdid (the client's cuid, RFC 9132 4.3), kept by the upstream
#   because client2 is a trusted gateway there; status relayed back: the
#   client's GET and Observe show the upstream's mitigation; a restart of
#   the gateway dotsd (SIGKILL) and of its dotscd with the mitigation
#   active: nothing requested twice upstream, nothing lost; withdrawal
#   cascades (DELETE at the gateway -> withdrawn upstream).  Observe at the
#   gateway shows the upstream's status and counters; a request made while
#   the upstream is down waits (in progress) and is relayed when it is
#   back; one made while the gateway's dotscd is down, likewise.
#
#   gateway_chain.sh DOTSD DOTS_CODEC DOTSCD
. "$(dirname "$0")/gateway_lib.sh"
gw_init "$@"

UPLOG="$T/up/mitigator.log"

# lines_are ACTION N: the upstream's mitigator was asked to ACTION N
# mitigations (ids); the upstream's own restart applies its mitigations
# again, which is not a new request.
lines_are() {
	[ "$(awk -v a="$1" '$3 == a { sub(/.*"id":/, ""); sub(/,.*/, "");
	    print }' "$UPLOG" 2>/dev/null | sort -u | wc -l)" = "$2" ]
}

# live_are N: the gateway's dotscd has N mitigations pending or active.
live_are() {
	[ "$(live_mits gwcd)" = "$1" ]
}

mkdir -p "$T/up"
cat >"$T/up/mitigate.sh" <<EOF
#!/bin/sh
# what the log mitigator writes, and counters for the status
printf '%s exec %s %s\n' "\$(date -u +%Y-%m-%dT%H:%M:%SZ)" "\$DOTS_ACTION" \
    "\$(cat)" >>"$UPLOG"
echo "stats bytes=123456 pkts=789 bps=1000 pps=10"
EOF
chmod +x "$T/up/mitigate.sh"
extra_dotsd up "mitigator \"exec\" {
	type exec
	command $T/up/mitigate.sh
}
$(client_block client2 'prefix 192.0.2.0/24' 'prefix 198.51.100.0/24' \
    'prefix 203.0.113.0/24' 'gateway yes' 'mitigator exec')"
extra_dotscd gwcd client2 "${XPORT[up]}"
dotsd_conf "$(dots_mitigator gwcd)
$(client_block client1 'prefix 192.0.2.0/24' 'prefix 198.51.100.0/24' \
    'prefix 203.0.113.0/24' 'mitigator up')"
start_dotsd
as_client client1

log "== create"
put_json 7 "$(mit_json 192.0.2.0/24 3600 \
    '"target-port-range":[{"lower-port":53}],"target-protocol":[17]')"
expect_code 2.01 "PUT at the gateway"
check "the upstream's mitigator applies it within 10 s" \
    wait_until 10 grep -q ' apply ' "$UPLOG"
line=$(grep ' apply ' "$UPLOG" | head -n 1)
case $line in
*'"192.0.2.0/24"'*'"lower-port":53'*) pass "upstream got the scope" ;;
*) fail "upstream scope: $line" ;;
esac
case $line in
*'"client":"client2"'*) pass "upstream's client is the gateway" ;;
*) fail "upstream client: $line" ;;
esac
check "the upstream request carried cdid = the client's cuid" \
    test "$(store_cdids "$T/up/dotsd.db")" = "${CUIDS[client1]}"

log "== status relayed"
check "the gateway's status: attack-successfully-mitigated within 10 s" \
    wait_until 10 status_is 7 attack-successfully-mitigated
expect_json_field "$MS.scope.0.bytes-dropped" 123456
expect_json_field "$MS.scope.0.pkts-dropped" 789
expect_json_field "$MS.scope.0.pps-dropped" 10
put_json 7 "$(mit_json 192.0.2.0/24 3600 \
    '"target-port-range":[{"lower-port":53}],"target-protocol":[17],"attack-status":"under-attack"')" -O 1,
expect_code 2.04 "efficacy update at the gateway"
check "relayed upstream (the gateway's dotscd delivered it)" \
    wait_until 10 grep -q 'efficacy update.*delivered\|delivered.*efficacy' \
    "$T/gwcd/dotscd.log"
ctl_at gwcd '{"cmd":"list"}'
check "dotscd holds one mitigation, origin gateway:<id>" \
    test "$(ans result.mitigations.0.origin | cut -c1-8)" = gateway:
upmid=$(ans result.mitigations.0.mid)

log "== dotscd's arguments for gateways"
ctl_at gwcd '{"cmd":"mitigate","scope":{"target-prefix":["192.0.2.0/24"]},"cdid":"a b","wait":0}'
check "a cdid with a space is refused, naming it" \
    test "$(ans error.field)" = cdid
ctl_at gwcd '{"cmd":"mitigate","scope":{"target-prefix":["192.0.2.0/24"]},"hop-limit":0,"wait":0}'
check "hop-limit 0 is refused, naming it" \
    test "$(ans error.field)" = hop-limit
ctl_at gwcd '{"cmd":"list"}'
check "the relayed mitigation has its cdid and Hop-Limit (16)" \
    test "$(ans result.mitigations.0.cdid)/$(ans \
    result.mitigations.0.hop-limit)" = "${CUIDS[client1]}/16"

log "== restarts with the mitigation active"
kill_dotsd
start_dotsd
sleep 3
check "still one apply upstream after the gateway's restart" \
    test "$(count_lines "$UPLOG" apply)" = 1
check "still one live mitigation in dotscd" live_are 1
ctl_at gwcd '{"cmd":"list"}'
check "the same upstream mid ($upmid)" \
    test "$(ans result.mitigations.0.mid)" = "$upmid"
check "the gateway's status still attack-successfully-mitigated" \
    wait_until 5 status_is 7 attack-successfully-mitigated
extra_dotsd_stop gwcd
sleep 1
extra_dotscd gwcd client2 "${XPORT[up]}"
sleep 3
check "nothing requested again after dotscd's restart" \
    test "$(count_lines "$UPLOG" apply)" = 1
check "one live mitigation in dotscd" live_are 1

log "== a second request, while the gateway's dotscd is down"
extra_dotsd_stop gwcd
put_json 8 "$(mit_json 198.51.100.0/24 3600)"
expect_code 2.01 "PUT at the gateway, dotscd down"
sleep 2
check "not mitigated yet: attack-mitigation-in-progress" \
    status_is 8 attack-mitigation-in-progress
extra_dotscd gwcd client2 "${XPORT[up]}"
check "relayed once dotscd is back (within 15 s)" \
    wait_until 15 status_is 8 attack-successfully-mitigated
check "two applies upstream in all" lines_are apply 2

log "== Observe at the gateway"
put_json 9 "$(mit_json 203.0.113.0/24 3600)"
expect_code 2.01 "PUT at the gateway"
observe_start o9 8 "mitigate/cuid=$CUID/mid=9"
observe_wait o9
obs=$(observe_responses o9)
case $obs in
*attack-successfully-mitigated*'"bytes-dropped":"123456"'*) pass \
    "a notification carries the upstream's status and counters" ;;
*) fail "notifications: $obs" ;;
esac
delete 9
check "withdrawn upstream within 15 s" wait_until 15 lines_are withdraw 1

log "== the upstream down at request time"
extra_dotsd_stop up
put_json 10 "$(mit_json 203.0.113.0/25 3600)"
expect_code 2.01 "PUT at the gateway, upstream down"
sleep 2
check "not mitigated yet: attack-mitigation-in-progress" \
    status_is 10 attack-mitigation-in-progress
check "the gateway says why" grep -q \
    'not delivered to upstream up yet' "$T/dotsd.log"
ctl_at gwcd '{"cmd":"list"}'
check "pending in the gateway's dotscd" grep -q '"state": *"pending"' \
    <<<"$ANS"
extra_dotsd up
check "relayed when the upstream is back (within 20 s)" \
    wait_until 20 status_is 10 attack-successfully-mitigated
delete 10
check "withdrawn upstream within 15 s" wait_until 15 lines_are withdraw 2

log "== withdrawal cascades"
delete 7
expect_code 2.02 "DELETE at the gateway"
check "withdrawn upstream within 15 s" wait_until 15 lines_are withdraw 3
check "one live mitigation left in dotscd" wait_until 5 live_are 1
check "the other one is still there upstream" lines_are apply 4
delete 8
check "both withdrawn upstream within 15 s" wait_until 15 lines_are withdraw 4
check "none left in dotscd" wait_until 5 live_are 0

extra_dotsd_stop up
extra_dotsd_stop gwcd
gw_finish
