#!/usr/bin/env bash
# opendots - DDoS Open Threat Signaling
# SPDX-License-Identifier: BSD-2-Clause
#
# Loss of the signal channel (RFC 9132 sections 4.4.1 and 4.7).  A
# preconfigured request (trigger-mitigation false) waits in status 8 and is
# not enforced while the client is heard, if only through its answers to
# the server's heartbeats.  When nothing comes from the client for
# missing-hb-allowed heartbeat intervals, dotsd enforces it and withdraws
# the client's active requests that overlap it (status 7), leaving the
# others alone.  The client's return does not stop it; a new immediate
# request that overlaps it deactivates it: 7, then 8 again.
#
#   signal_loss.sh DOTSD DOTS_CODEC HB_LISTENER
. "$(dirname "$0")/lib.sh"
[ $# -eq 3 ] || die "usage: $0 DOTSD DOTS_CODEC HB_LISTENER"
HB_LISTENER=$3
[ -x "$HB_LISTENER" ] || die "$HB_LISTENER: not an executable"
lib_init "$1" "$2"

# heartbeats every second, lost after two missed: silence > 2 s
TRANSPORT=dtls
dotsd_conf "heartbeat-interval 1 1 240
missing-hb-allowed 2 1 9
idle-heartbeat-interval 1 1 240
idle-missing-hb-allowed 2 1 9
$(client_block client1 'prefix 192.0.2.0/24' 'prefix 198.51.100.0/24')"
start_dotsd
as_client client1

lost_logged() {
	grep -q "client client1: no traffic for .*signal channel lost" \
	    "$T/dotsd.log"
}

log "== a preconfigured request and two immediate ones"
put_json 1 "$(mit_json 192.0.2.0/24 3600 '"trigger-mitigation":false')"
expect_code 2.01 "PUT mid 1, 192.0.2.0/24, trigger-mitigation false"
put_json 2 "$(mit_json 192.0.2.0/25 3600)"
expect_code 2.01 "PUT mid 2, 192.0.2.0/25 (overlaps mid 1)"
put_json 3 "$(mit_json 198.51.100.0/24 3600)"
expect_code 2.01 "PUT mid 3, 198.51.100.0/24 (overlaps nothing)"
check "mid 1 waits in attack-mitigation-signal-loss" \
    status_is 1 attack-mitigation-signal-loss
check "mids 2 and 3 applied" wait_until 5 \
    eval '[ "$(mitlog_count apply 2)" -eq 1 ] &&
	[ "$(mitlog_count apply 3)" -eq 1 ]'
check "mid 1 not applied" test "$(mitlog_count apply 1)" -eq 0

log "== heard only through its answers to our heartbeats, for 5 s"
client_creds
"$HB_LISTENER" -s 5 "${CREDS[@]}" 127.0.0.1 "$DOTSD_PORT" \
    >"$T/hb.out" 2>"$T/hb.err"
check "the client answered heartbeats ($(grep -c '^hb ' "$T/hb.out"))" \
    test "$(grep -c '^hb ' "$T/hb.out")" -ge 3
check "no signal loss logged while it answers" \
    bash -c "! grep -q 'signal channel lost' '$T/dotsd.log'"
check "mid 1 still not applied" test "$(mitlog_count apply 1)" -eq 0

log "== silence"
check "signal loss within 6 s" wait_until 6 lost_logged
check "mid 1 applied on the loss" \
    wait_until 3 eval '[ "$(mitlog_count apply 1)" -eq 1 ]'
check "mid 2, which overlaps it, withdrawn" \
    test "$(mitlog_count withdraw 2)" -eq 1
check "mid 3 left alone" test "$(mitlog_count withdraw 3)" -eq 0

log "== the client is back"
check "mid 1 now enforced (attack-successfully-mitigated)" \
    status_is 1 attack-successfully-mitigated
check "mid 2 attack-mitigation-withdrawn" \
    status_is 2 attack-mitigation-withdrawn
check "mid 3 still attack-successfully-mitigated" \
    status_is 3 attack-successfully-mitigated
sleep 2
get_mit 1
expect_code 2.05 "GET mid 1 two seconds later"
expect_json_field "$MS.scope.0.status" attack-successfully-mitigated
check "the return did not withdraw mid 1" \
    test "$(mitlog_count withdraw 1)" -eq 0

log "== an immediate request overlapping mid 1 deactivates it"
observe_start pre 5 "mitigate/cuid=$CUID/mid=1"
put_json 4 "$(mit_json 192.0.2.0/26 3600)"
expect_code 2.01 "PUT mid 4, 192.0.2.0/26"
check "mid 1 withdrawn from the mitigator" \
    wait_until 3 eval '[ "$(mitlog_count withdraw 1)" -eq 1 ]'
check "mid 4 applied" test "$(mitlog_count apply 4)" -eq 1
check "mid 1 attack-mitigation-withdrawn" \
    status_is 1 attack-mitigation-withdrawn
check "then back in attack-mitigation-signal-loss" \
    wait_until 4 status_is 1 attack-mitigation-signal-loss
observe_wait pre
log "  notifications of mid 1:"
observe_responses pre | sed 's/^/    /'
statuses=$(observe_responses pre | tail -n +2 |
    sed -n 's/.*"status":"\([a-z-]*\)".*/\1/p' | tr '\n' ' ')
check "notified: withdrawn, then signal-loss ($statuses)" \
    test "$statuses" = "attack-mitigation-withdrawn attack-mitigation-signal-loss "

finish
