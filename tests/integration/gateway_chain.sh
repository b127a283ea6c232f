#!/usr/bin/env bash
# opendots - DDoS Open Threat Signaling
# SPDX-License-Identifier: BSD-2-Clause
#
# dotsd as a DOTS gateway (RFC 8903 section 3.3): a client (coap-client,
# as client1) asks the gateway dotsd, whose mitigator "dots" relays
# through the gateway's dotscd (as client2) to an upstream dotsd with a
# log mitigator.
#
#   create: the upstream's mitigator gets the scope; the relayed request
#   carried cdid (the client's cuid, RFC 9132 4.3), kept by the upstream
#   because client2 is a trusted gateway there; status relayed back: the
#   client's GET and Observe show the upstream's mitigation; a restart of
#   the gateway dotsd (SIGKILL) and of its dotscd with the mitigation
#   active: nothing requested twice upstream, nothing lost; withdrawal
#   cascades (DELETE at the gateway -> withdrawn upstream).
#
#   gateway_chain.sh DOTSD DOTS_CODEC DOTSCD
. "$(dirname "$0")/gateway_lib.sh"
gw_init "$@"

UPLOG="$T/up/mitigator.log"

# lines_are ACTION N: the upstream's mitigator wrote N ACTION lines.
lines_are() {
	[ "$(count_lines "$UPLOG" "$1")" = "$2" ]
}

# live_are N: the gateway's dotscd has N mitigations pending or active.
live_are() {
	[ "$(live_mits gwcd)" = "$1" ]
}

extra_dotsd up "$(client_block client2 'prefix 192.0.2.0/24' \
    'prefix 198.51.100.0/24' 'gateway yes')"
extra_dotscd gwcd client2 "${XPORT[up]}"
dotsd_conf "$(dots_mitigator gwcd)
$(client_block client1 'prefix 192.0.2.0/24' 'prefix 198.51.100.0/24' \
    'mitigator up')"
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
ctl_at gwcd '{"cmd":"list"}'
check "dotscd holds one mitigation, origin gateway:<id>" \
    test "$(ans result.mitigations.0.origin | cut -c1-8)" = gateway:
upmid=$(ans result.mitigations.0.mid)

log "== restarts with the mitigation active"
kill_dotsd
start_dotsd
sleep 3
check "still one apply upstream after the gateway's restart" \
    lines_are apply 1
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
check "nothing requested again after dotscd's restart" lines_are apply 1
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

log "== withdrawal cascades"
delete 7
expect_code 2.02 "DELETE at the gateway"
check "withdrawn upstream within 15 s" wait_until 15 lines_are withdraw 1
check "one live mitigation left in dotscd" wait_until 5 live_are 1
check "the other one is still there upstream" lines_are apply 2
delete 8
check "both withdrawn upstream within 15 s" wait_until 15 lines_are withdraw 2
check "none left in dotscd" wait_until 5 live_are 0

extra_dotsd_stop up
extra_dotsd_stop gwcd
finish
