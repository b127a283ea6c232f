#!/usr/bin/env bash
# opendots - DDoS Open Threat Signaling
# SPDX-License-Identifier: BSD-2-Clause
#
# Observe on /mitigate (RFC 9132 section 4.4.2.1, RFC 7641): observers of
# one mitigation and of the client's collection are notified, with NON
# messages, when the client withdraws the mitigation (status 5); the
# observer of the mitigation hears 4.04 once it is gone.
#
# coap-client -v 6 prints every PDU it receives with its payload in hex;
# lib.sh's parse_transcript turns that into one response a line.
#
#   observe.sh DOTSD DOTS_CODEC
. "$(dirname "$0")/lib.sh"
lib_init "$@"

ABT=2
OBSERVE_SECONDS=10
dotsd_conf "$(client_block client1 'prefix 192.0.2.0/24')"
start_dotsd
as_client client1

put_json 1 "$(mit_json 192.0.2.0/24 3600)"
expect_code 2.01 "PUT mid 1"
check "mid 1 is attack-successfully-mitigated" \
    wait_until 5 status_is 1 attack-successfully-mitigated

log "== observe mid 1 and the collection for $OBSERVE_SECONDS s"
observe_start one $OBSERVE_SECONDS "mitigate/cuid=$CUID/mid=1"
observe_start all $OBSERVE_SECONDS "mitigate/cuid=$CUID"
first=$(observe_responses one | head -n 1)
log "  first response (mid 1): $first"
check "the registration's 2.05 carries Observe (mid 1)" \
    grep -q 'c:2.05 .*Observe:' "$T/obs.one.out"
check "the registration's 2.05 carries Observe (collection)" \
    grep -q 'c:2.05 .*Observe:' "$T/obs.all.out"
case $first in
*'"status":"attack-successfully-mitigated"'*)
	pass "first response: attack-successfully-mitigated" ;;
*) fail "first response should be the current status: $first" ;;
esac

log "== withdraw mid 1"
delete 1
expect_code 2.02 "DELETE mid 1"

observe_wait one
observe_wait all
log "  responses to the observer of mid 1:"
observe_responses one | sed 's/^/    /'
log "  responses to the observer of the collection:"
observe_responses all | sed 's/^/    /'

n=$(observe_responses one | grep -c '^2\.05 ')
check "mid 1: a notification after the first response ($n 2.05)" \
    test "$n" -ge 2
# notifications: the 2.05s after the first (the registration's)
notified() {
	observe_responses "$1" | grep '^2\.05 ' | tail -n +2 | grep -q "$2"
}
check "mid 1: notified of dots-client-withdrawn-mitigation" \
    notified one '"status":"dots-client-withdrawn-mitigation"'
check "collection: notified of dots-client-withdrawn-mitigation" \
    notified all '"mid":1,.*"status":"dots-client-withdrawn-mitigation"'
check "mid 1: 4.04 once the mitigation is gone ($ABT s later)" \
    eval 'observe_responses one | tail -n 1 | grep -q "^4\.04"'
check "notifications are NON (RFC 9132 section 4.4.2.1)" \
    eval '! grep -E "^v:1 t:CON c:2\.05" "$T/obs.one.out" "$T/obs.all.out"'


get_mit 1
expect_code 4.04 "mid 1 is gone"
expect_applied_then_withdrawn 1

finish
