#!/usr/bin/env bash
# opendots - DDoS Open Threat Signaling
# SPDX-License-Identifier: BSD-2-Clause
#
# The traffic-threshold trigger end to end, on real traffic: a veth pair
# whose far end lives in a network namespace made here; dotscd watches
# the near end (capacity 8 Mbit/s, start at 50 %, stop under 20 % for
# HOLD seconds) and talks to a real dotsd, whose log mitigator shows what
# the DOTS server was asked.  A UDP flood of ~10 Mbit/s from the
# namespace must make dotscd request mitigation of the configured prefix
# (origin threshold:wan0); once the flood stops, the mitigation must be
# withdrawn, and not before HOLD seconds of calm.
#
# Needs root (network namespaces); exits 77 (skipped) without.  The
# namespace and the veth pair go away on any exit.
#
#	trigger_threshold.sh DOTSD DOTS_CODEC DOTSCD
. "$(dirname "$0")/clientd_lib.sh"
[ $# -eq 3 ] || die "usage: $0 DOTSD DOTS_CODEC DOTSCD"

[ "$(id -u)" -eq 0 ] || skip "needs root for a network namespace"
command -v ip >/dev/null 2>&1 || skip "ip not found (iproute2)"

NS=dots-thr-$$
VETH=dthr$$a		# ours; at most 15 characters
PEER=dthr$$b		# in $NS
HOLD=4
FLOOD_PID=

thr_cleanup() {
	local rc=$?
	[ -z "$FLOOD_PID" ] || kill "$FLOOD_PID" 2>/dev/null
	ip link del "$VETH" 2>/dev/null
	ip netns del "$NS" 2>/dev/null
	(exit "$rc")
	lib_cleanup
}

clientd_init "$@"
trap thr_cleanup EXIT

ip netns add "$NS" || skip "cannot make a network namespace"
ip link add "$VETH" type veth peer name "$PEER" netns "$NS" ||
    die "cannot make a veth pair"
ip addr add 198.18.77.1/30 dev "$VETH"
ip link set "$VETH" up
ip -n "$NS" addr add 198.18.77.2/30 dev "$PEER"
ip -n "$NS" link set "$PEER" up
ip -n "$NS" link set lo up
rx_bytes() {
	cat "/sys/class/net/$VETH/statistics/rx_bytes"
}
before=$(rx_bytes)
ip netns exec "$NS" python3 -c 'import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for _ in range(10):
    s.sendto(b"x" * 1000, ("198.18.77.1", 9))'
check "the veth pair carries packets" test $(($(rx_bytes) - before)) -ge 10000

# flood SECONDS: ~10 Mbit/s of UDP from the namespace to our end, paced,
# in the background.
flood() {
	ip netns exec "$NS" python3 - "$1" <<'EOF' &
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
payload = b"x" * 1200
end = time.monotonic() + float(sys.argv[1])
while time.monotonic() < end:
    t = time.monotonic()
    for _ in range(100):		# 120 kB every 0.1 s
        try:
            s.sendto(payload, ("198.18.77.1", 9))
        except OSError:
            pass
    time.sleep(max(0.0, 0.1 - (time.monotonic() - t)))
EOF
	FLOOD_PID=$!
	BG_PIDS+=("$FLOOD_PID")
}

dotsd_conf "$(client_block client1 'prefix 203.0.113.0/24')"
start_dotsd
dotscd_conf "" "threshold \"wan0\" {
	interface $VETH
	capacity 8M
	start-percent 50
	stop-percent 20
	rise 2
	hold $HOLD
	prefix 203.0.113.0/24
	port 53
	protocol 17
	lifetime 600
}"
sed "s/@PORT@/$DOTSD_PORT/" "$T/dotscd.conf.in" >"$T/dotscd.conf"
"$DOTSCD" -n -f "$T/dotscd.conf" >/dev/null 2>&1 ||
    skip "this dotscd has no threshold block: $("$DOTSCD" -n -f \
    "$T/dotscd.conf" 2>&1)"
start_dotscd
check "session up within 10 s" wait_until 10 server_up

applied() {
	[ "$(mitlog_count apply)" -ge 1 ]
}
withdrawn() {
	[ "$(mitlog_count withdraw)" -ge 1 ]
}

log "== quiet link: nothing requested"
sleep 4
check "no mitigation applied while quiet" test "$(mitlog_count apply)" -eq 0
ctl '{"cmd":"list"}'
expect_ans result.mitigations "[]" "dotscd holds no mitigation"

log "== flood of ~10 Mbit/s on an 8 Mbit/s link"
flood 30
check "mitigation applied within 10 s of the flood" wait_until 10 applied
ctl '{"cmd":"list"}'
MID=$(ans result.mitigations.0.mid)
expect_ans result.mitigations.0.origin threshold:wan0 "origin"
expect_ans result.mitigations.0.state active "state"
expect_ans result.mitigations.0.scope.target-prefix.0 203.0.113.0/24 \
    "target-prefix"
expect_ans result.mitigations.0.scope.target-port-range.0.lower-port 53 \
    "port"
expect_ans result.mitigations.0.scope.target-protocol.0 17 "protocol"
check "dotscd logged the rate" \
    grep -q 'threshold:wan0: .* request mitigation of 203.0.113.0/24' \
    "$T/dotscd.log"
check "the server saw 203.0.113.0/24" grep -q '203.0.113.0/24' \
    "$T/mitigator.log"

log "== flood goes on: no withdrawal, one mitigation"
sleep 3
check "still no withdrawal" test "$(mitlog_count withdraw)" -eq 0
check "one apply only" test "$(mitlog_count apply)" -eq 1

log "== flood stops: withdrawn after the hold time"
kill "$FLOOD_PID" 2>/dev/null
wait "$FLOOD_PID" 2>/dev/null
FLOOD_PID=
stopped=$(date +%s)
sleep $((HOLD - 2))
check "not withdrawn before the hold time" \
    test "$(mitlog_count withdraw)" -eq 0
check "withdrawn within hold + 10 s" wait_until 12 withdrawn
check "withdrawn no sooner than the hold time" \
    test $(($(date +%s) - stopped)) -ge $((HOLD - 1))
check "dotscd logged the withdrawal" \
    grep -q 'threshold:wan0: .* withdraw mitigation of 203.0.113.0/24' \
    "$T/dotscd.log"
expect_applied_then_withdrawn "$MID"

log "== the interface vanishes: logged, nothing requested"
ip link del "$VETH"
sleep 3
check "dotscd logged the lost interface" grep -q "cannot read the counters" \
    "$T/dotscd.log"
check "no new mitigation" test "$(mitlog_count apply)" -eq 1

stop_dotscd
if grep -Eq 'AddressSanitizer|LeakSanitizer|runtime error:' \
    "$T/dotscd.log"; then
	grep -E -A 20 'AddressSanitizer|LeakSanitizer|runtime error:' \
	    "$T/dotscd.log" | head -n 60
	fail "dotscd.log has a sanitizer report"
fi
finish
