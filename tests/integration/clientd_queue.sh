#!/usr/bin/env bash
# opendots - DDoS Open Threat Signaling
# SPDX-License-Identifier: BSD-2-Clause
#
# dotscd's efficacy updates and session settings while the server is
# down, against the real dotsd: both are queued (answer `pending` when
# the wait runs out), shown in `servers` as queued-calls, and delivered
# when the session is back (logged 2.04 and 2.01); a caller still waiting
# then gets the server's answer; a queued efficacy update is dropped,
# with its caller told why, when its mitigation is withdrawn.
#
#   clientd_queue.sh DOTSD DOTS_CODEC DOTSCD
. "$(dirname "$0")/clientd_lib.sh"
[ $# -eq 3 ] || die "usage: $0 DOTSD DOTS_CODEC DOTSCD"
clientd_init "$@"

TRANSPORT=tls dotsd_conf "heartbeat-interval 30 1 60
idle-heartbeat-interval 30 1 60
$(client_block client1 'prefix 192.0.2.0/24' 'prefix 198.51.100.0/24')"
start_dotsd
# TLS: dotsd's stop is seen at once (the connection closes)
dotscd_conf "transport tls"
start_dotscd
check "session up" wait_until 10 server_up

SET='{"mitigating-config":{"heartbeat-interval":{"current-value":20}},"idle-config":{"heartbeat-interval":{"current-value":20}}}'

log "== while up: answered at once"
ctl '{"cmd":"mitigate","scope":{"target-prefix":["192.0.2.0/24"]}}'
expect_ans result.state active "a mitigation, active"
MID=$(ans result.mid)
ctl "{\"cmd\":\"session\",\"set\":$SET}"
expect_ans result.server-code 2.01 "session set while up: 2.01"
# read back with its sid: /config alone gives the server's defaults
HB_SET=result.config.ietf-dots-signal-channel:signal-config
HB_SET=$HB_SET.mitigating-config.heartbeat-interval.current-value
hb_now() {
	ctl '{"cmd":"session"}'
	[ "$(ans "$HB_SET" 2>/dev/null)" = 20 ] &&
	    [ "$(ans result.heartbeat-interval 2>/dev/null)" = 20 ]
}
check "the setting is in force (heartbeat-interval 20)" wait_until 5 hb_now
ctl "{\"cmd\":\"efficacy\",\"mid\":$MID,\"attack-status\":\"under-attack\"}"
expect_ans result.server-code 2.04 "efficacy while up: 2.04"

log "== while down: queued"
stop_dotsd
check "session down" wait_until 10 server_is down
ctl "{\"cmd\":\"efficacy\",\"mid\":$MID,\"attack-status\":\"attack-successfully-mitigated\",\"wait\":1}"
expect_ans result.state pending "efficacy while down: pending"
expect_ans result.mid "$MID" "its mid"
ctl "{\"cmd\":\"session\",\"set\":$SET,\"wait\":0}"
expect_ans result.state pending "session set while down: pending"
expect_ans ok true "session set while down: ok"
ctl '{"cmd":"servers"}'
expect_ans result.servers.0.queued-calls 2 "two calls queued"
ctl '{"cmd":"mitigate","wait":0,"scope":{"target-prefix":["198.51.100.0/24"]}}'
MID2=$(ans result.mid)
ctl "{\"cmd\":\"efficacy\",\"mid\":$MID2,\"attack-status\":\"under-attack\"}"
expect_ans error.code invalid "efficacy of a mitigation not delivered yet"

# a caller that waits through the restart
python3 - "$T/dotscd.sock" "{\"cmd\":\"efficacy\",\"mid\":$MID,\"attack-status\":\"under-attack\",\"wait\":20}" \
    >"$T/waiting.out" 2>&1 <<'PY' &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(30)
s.connect(sys.argv[1])
s.sendall(sys.argv[2].encode() + b"\n")
buf = b""
while b"\n" not in buf:
    d = s.recv(65536)
    if not d:
        break
    buf += d
print(buf.split(b"\n")[0].decode())
PY
WAITER=$!
BG_PIDS+=("$WAITER")
sleep 1

log "== back up: delivered"
start_dotsd
check "session up again" wait_until 15 server_up
check "the efficacy update delivered (2.04)" wait_until 10 grep -q \
    "efficacy update of mid $MID delivered (2.04)" "$T/dotscd.log"
check "the session configuration delivered (2.01)" wait_until 10 grep -q \
    "session configuration delivered (2.01)" "$T/dotscd.log"
wait "$WAITER"
ANS=$(cat "$T/waiting.out")
expect_ans result.server-code 2.04 "the waiting caller gets the server's answer"
no_calls() {
	ctl '{"cmd":"servers"}'
	! ans result.servers.0.queued-calls >/dev/null 2>&1
}
check "nothing queued any more" wait_until 5 no_calls

log "== dropped with its mitigation"
stop_dotsd
check "session down" wait_until 10 server_is down
ctl "{\"cmd\":\"efficacy\",\"mid\":$MID,\"attack-status\":\"under-attack\",\"wait\":0}"
expect_ans result.state pending "queued"
ctl "{\"cmd\":\"withdraw\",\"mid\":$MID,\"wait\":0}"
check "dropped when the mitigation is withdrawn" grep -q \
    "efficacy update of mid $MID dropped" "$T/dotscd.log"
check "nothing queued" no_calls
stop_dotscd
check "no sanitizer report in dotscd.log" \
    bash -c "! grep -Eq 'AddressSanitizer|LeakSanitizer|runtime error:' '$T/dotscd.log'"
finish
