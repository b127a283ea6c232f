#!/usr/bin/env bash
# opendots - DDoS Open Threat Signaling
# SPDX-License-Identifier: BSD-2-Clause
#
# scripts/fastnetmon-notify.sh end to end: run as FastNetMon runs it,
# against the real dotscd, which talks to a real dotsd.  A ban must reach
# the DOTS server as a mitigation of the host (/32), origin
# detector:fastnetmon; the unban must withdraw it; with dotscd gone the
# script must fail with status 3.
#
#	trigger_fastnetmon_dotscd.sh DOTSD DOTS_CODEC DOTSCD NOTIFY_SCRIPT
. "$(dirname "$0")/clientd_lib.sh"
[ $# -eq 4 ] || die "usage: $0 DOTSD DOTS_CODEC DOTSCD NOTIFY_SCRIPT"
NOTIFY=$4
clientd_init "$1" "$2" "$3"

# notify ARGS...: the script with the attack's description on stdin.
notify() {
	printf 'IP: %s\nAttack type: udp_flood\n' "$1" |
	    DOTSCTL_SOCKET=$T/dotscd.sock DOTS_FNM_CONF=/nonexistent \
	    DOTS_FNM_LIFETIME=600 "$NOTIFY" "$@" >"$T/notify.out" 2>&1
	RC=$?
	log "  notify $* -> $RC: $(cat "$T/notify.out")"
}

applied() {
	[ "$(mitlog_count apply)" -ge 1 ]
}
withdrawn() {
	[ "$(mitlog_count withdraw)" -ge 1 ]
}

dotsd_conf "$(client_block client1 'prefix 203.0.113.0/24')"
start_dotsd
dotscd_conf
start_dotscd
check "session up within 10 s" wait_until 10 server_up
watch_start

log "== ban"
notify 203.0.113.7 incoming 250000 ban
check "exit 0" test "$RC" -eq 0
check "applied by the server" wait_until 10 applied
check "the server saw 203.0.113.7/32" grep -q '203.0.113.7/32' \
    "$T/mitigator.log"
ctl '{"cmd":"list"}'
MID=$(ans result.mitigations.0.mid)
expect_ans result.mitigations.0.origin detector:fastnetmon "origin"
expect_ans result.mitigations.0.scope.lifetime 600 "lifetime"
check "watch saw the trigger with its details" watch_has udp_flood

log "== attack_details: a refresh, still one mitigation"
notify 203.0.113.7 incoming 260000 attack_details
check "exit 0" test "$RC" -eq 0
ctl '{"cmd":"list"}'
expect_ans result.mitigations.0.mid "$MID" "the same mid"
check "no second mitigation" test "$(ans result.mitigations.1 2>/dev/null)" = ""

log "== unban"
notify 203.0.113.7 incoming 0 unban
check "exit 0" test "$RC" -eq 0
check "withdrawn by the server" wait_until 10 withdrawn
expect_applied_then_withdrawn "$MID"

log "== outside the client's prefixes: refused, status 1"
notify 198.51.100.7 incoming 1000 ban
check "exit 1" test "$RC" -eq 1
check "the server's diagnostic is logged" grep -q '4.01' "$T/notify.out"

log "== dotscd gone: status 3"
stop_dotscd
notify 203.0.113.7 incoming 1000 ban
check "exit 3" test "$RC" -eq 3
check "the reason is logged" grep -q 'not reachable' "$T/notify.out"

finish
